// tier: integration
/**
 * One number, one scope (issue 13 step 5): days left is one fraction in the JSON
 * (`report.daysLeft` = `profile.daysLeft`), and one formatter (base/time-left.ts) words it for
 * `status`, `list` and the window; at the boundaries: fresh, 1 day, expired 10 days ago.
 * `status --profile X` of a profile the editors do not use shows X's own files and names the
 * profile the editors use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeTimeLeft } from '../../main/base/time-left';
import { createSelfSignedClientCert } from '../../main/credentials/making';
import { CredentialStore } from '../../main/store';
import { daysLeftText } from '../../renderer/format';
import { makeWorld, type World } from './cli-harness';

const DAY = 86_400_000;

/** A certificate for the same key, valid `days` from `startDaysAgo` days ago. */
async function backdate(w: World, id: string, startDaysAgo: number, days: number): Promise<void> {
  const store = new CredentialStore({ dataDir: w.dataDir, env: {}, homedir: w.home });
  const cur = (await store.readCurrent(id))!;
  const then = new Date(Date.now() - startDaysAgo * DAY);
  const cert = await createSelfSignedClientCert({ keyPem: cur.key, sans: [{ type: 'email', value: 'dev@acme.test' }], commonName: 'dev', days, now: then });
  await store.writeGeneration(id, { cert, key: cur.key, ca: cur.ca, headers: cur.headers }, { operation: 'renew', now: then });
}

test('days left: one number in the JSON, the same words in status, list and the window', async () => {
  const w = makeWorld('days');
  for (const name of ['fresh', 'oneday', 'old']) assert.equal(w.cli(['init', '--url', 'https://coder.acme.test', '--name', name, '--self-signed', '--days', '30']).code, 0);
  await backdate(w, 'oneday', 0.9, 2); // 1.1 days left
  await backdate(w, 'old', 40.3, 30); // expired 10.3 days ago

  const cases: Array<[string, string, string, string]> = [
    // profile, status words, list column, window words
    ['fresh', '29 days left', '29d', '29 days left'],
    ['oneday', '1 day left', '1d', '1 day left'],
    ['old', 'expired 10 days ago', '-10d', 'expired 10 days ago'],
  ];
  const list = w.json<Array<{ id: string; daysLeft: number }>>(['list']);
  const listText = w.cli(['list']).stdout;
  for (const [id, words, column, windowWords] of cases) {
    const r = w.cli(['--json', 'status', '--profile', id]);
    const s = JSON.parse(r.stdout);
    // One number: the report and the summary are read at one moment.
    assert.equal(s.report.daysLeft, s.profile.daysLeft, `${id}: report.daysLeft = profile.daysLeft`);
    assert.ok(Math.abs(list.find((p) => p.id === id)!.daysLeft - s.report.daysLeft) < 0.001, `${id}: list JSON agrees`);
    assert.equal(describeTimeLeft(s.report.daysLeft), words);
    // CLI text.
    const text = w.cli(['status', '--profile', id]).stdout;
    assert.match(text, new RegExp(`\\(${words}, \\d+ % of lifetime used\\)`), `${id}: status says ${words}`);
    const row = listText.split('\n').find((l) => l.includes(` ${id} `))!;
    assert.match(row, new RegExp(`\\s${column}\\s`), `${id}: list says ${column}: ${row}`);
    // The window's formatter.
    assert.equal(daysLeftText(s.report.daysLeft), windowWords);
    assert.equal(daysLeftText(s.profile.daysLeft), windowWords);
  }
  // The expiry warning counts the same way as the words beside it.
  const old = JSON.parse(w.cli(['--json', 'status', '--profile', 'old']).stdout);
  assert.match(old.report.warnings.find((x: { code: string }) => x.code === 'EXPIRED').message, /\(10 days ago\)/);
});

test('status of a profile the editors do not use: its own files, and which profile the editors use', () => {
  const w = makeWorld('scope');
  assert.equal(w.cli(['init', '--url', 'https://a.acme.test', '--name', 'alpha', '--self-signed']).code, 0);
  assert.equal(w.cli(['init', '--url', 'https://b.acme.test', '--name', 'beta', '--self-signed']).code, 0);
  const s = w.json(['status', '--profile', 'alpha']);
  assert.equal(s.profile.active, false);
  assert.deepEqual(s.editorsUse, { id: 'beta', name: 'beta' });
  const own = join(w.dataDir, 'profiles', 'alpha', 'current');
  assert.equal(s.files.cert, join(own, 'client.crt'));
  assert.equal(s.files.key, join(own, 'client.key'));
  assert.equal(s.files.headers, join(own, 'headers'));
  for (const f of [s.files.cert, s.files.key, s.files.headers]) assert.ok(existsSync(f), f);
  assert.ok(!JSON.stringify(s.files).includes(join('active', 'current')), 'nothing of the active profile');
  const text = w.cli(['status', '--profile', 'alpha']).stdout;
  assert.match(text, /The editors use another profile: beta \(beta\)\. Switch with: mtls-tray switch alpha/);
  assert.ok(!text.includes(join('active', 'current')), text);

  const active = w.json(['status']);
  assert.equal(active.editorsUse, null);
  assert.equal(active.files.cert, join(w.dataDir, 'active', 'current', 'client.crt'));
});

test("doctor --profile X runs X's own headers, not the active profile's", async () => {
  const w = makeWorld('doctor-scope');
  // 127.0.0.1:9 refuses at once: the network checks fail fast, the header check still runs.
  assert.equal(w.cli(['init', '--url', 'https://127.0.0.1:9', '--name', 'alpha', '--self-signed', '--header', 'X-Alpha=one']).code, 0);
  assert.equal(w.cli(['init', '--url', 'https://127.0.0.1:9', '--name', 'beta', '--self-signed', '--header', 'X-Beta=two']).code, 0);
  const header = async (args: string[]) => {
    const r = await w.cliAsync(['--json', 'doctor', ...args]);
    const report = JSON.parse(r.stdout);
    return report.checks.find((c: { id: string }) => /header/i.test(c.id));
  };
  const alpha = await header(['--profile', 'alpha']);
  assert.equal(alpha.status, 'pass', JSON.stringify(alpha));
  assert.deepEqual(alpha.data.headerNames, ['X-Alpha']);
  const beta = await header([]);
  assert.deepEqual(beta.data.headerNames, ['X-Beta']);
});
