// tier: integration
/**
 * Issue 12, automatic: the issuer command reaches a real CA (`openssl ca` behind a minimal
 * HTTP endpoint on 127.0.0.1) with `curl --data-binary @-`. init --csr completes through it;
 * renew from the CLI, a scheduler-due renewal and a refresh-hook renewal all publish
 * CA-issued generations. Bad issuers (≥ 10 ways) give a clear error naming the command, its
 * exit code and stderr, and change nothing on disk or in settings.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createMemoryPreferences } from '../../main/app/preferences';
import type { AppNotice } from '../../main/base/notice';
import { createRenewalScheduler } from '../../main/scheduler/renewal-scheduler';
import { createAppService } from '../../main/services/create-app-service';
import { makeOpensslCa, startCaServer, type CaServer } from '../helpers/openssl-ca';
import { makeWorld, type World } from './cli-harness';
import { current, keyFingerprint, snapshot } from './reenrol-helpers';

const servers: CaServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

function ok(w: World, args: string[]) {
  const r = w.cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r;
}

/** The CA server runs in this process: a CLI that reaches it must not block our event loop. */
async function okAsync(w: World, args: string[]) {
  const r = await w.cliAsync(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r;
}

function issuerOf(w: World): string {
  return new X509Certificate(current(w, 'client.crt')).issuer.replace(/\n/g, ', ');
}

test('init --csr --issuer-command completes at once; renew, the scheduler and the refresh hook publish CA-issued generations; bad issuers change nothing', async (t) => {
  const w = makeWorld('issuer');
  const ca = makeOpensslCa('Corp Issuing CA', w.root);
  const good = await startCaServer(ca, { days: 3 });
  servers.push(good);
  writeFileSync(w.codeSettings, '{\n  "editor.fontSize": 14\n}\n');
  const init = await w.cliAsync(['--json', 'init', '--url', 'https://coder.corp.test', '--name', 'corp', '--csr', join(w.root, 'req.csr'), '--san', 'email:dev@corp.test', '--issuer-command', good.command]);
  assert.equal(init.code, 0, init.stderr);
  const created = JSON.parse(init.stdout);
  assert.equal(created.profile.pending, false, 'complete as soon as the command answers');
  assert.equal(created.profile.canRenew, true);
  assert.match(issuerOf(w), /Corp Issuing CA/);
  const fp = keyFingerprint(w);
  const settingsText = readFileSync(w.codeSettings, 'utf8');
  assert.match(settingsText, /coder.tlsCertFile/);

  // renew from the CLI: same key, a new CA-issued certificate.
  const serial1 = new X509Certificate(current(w, 'client.crt')).serialNumber;
  const r = JSON.parse((await okAsync(w, ['--json', 'renew'])).stdout);
  assert.equal(r.generation, 2);
  assert.match(r.message, /through its issuer command/);
  assert.notEqual(new X509Certificate(current(w, 'client.crt')).serialNumber, serial1);
  assert.equal(keyFingerprint(w), fp);
  assert.match(issuerOf(w), /Corp Issuing CA/);
  assert.equal(readFileSync(w.codeSettings, 'utf8'), settingsText);

  // The scheduler, in the tray's process, with its clock 2.5 days on: the 3-day certificate is due.
  const later = () => new Date(Date.now() + 2.5 * 86_400_000);
  const svc = createAppService({ dataDir: w.dataDir, env: { ...w.env }, platform: 'linux', homedir: w.home, cliCommand: ['node', 'cli.js'], now: later });
  const notes: AppNotice[] = [];
  const scheduler = createRenewalScheduler({ service: svc, now: later, timers: { set: () => 0, clear: () => undefined }, notify: (n) => notes.push(n), memory: createMemoryPreferences() as never });
  scheduler.start();
  await scheduler.idle();
  scheduler.stop();
  assert.deepEqual(scheduler.lastPass()?.renewed, ['corp'], JSON.stringify({ pass: scheduler.lastPass(), notes }));
  const afterScheduler = w.json(['status']);
  assert.equal(afterScheduler.generations[0].number, 3);
  assert.match(issuerOf(w), /Corp Issuing CA/);
  assert.equal(keyFingerprint(w), fp);

  // The refresh hook (the editor's coder.tlsCertRefreshCommand after a refusal), two minutes on,
  // so the last renewal is not "just now".
  const hookSvc = createAppService({ dataDir: w.dataDir, env: { ...w.env }, platform: 'linux', homedir: w.home, cliCommand: ['node', 'cli.js'], now: () => new Date(later().getTime() + 120_000) });
  const hook = await hookSvc.refresh();
  assert.equal(hook.ok, true, hook.message);
  assert.equal(hook.renewed, true, hook.message);
  assert.equal(w.json(['status']).generations[0].number, 4);
  assert.match(issuerOf(w), /Corp Issuing CA/);
  assert.equal(readFileSync(w.codeSettings, 'utf8'), settingsText);
  t.diagnostic(`generations 1..4 all issued by Corp Issuing CA (${good.requests()} CA requests); key ${fp.slice(0, 16)} throughout; settings.json untouched`);

  // Bad issuers.
  const other = makeOpensslCa('Unrelated CA', w.root);
  const now = Date.now();
  const expired = await startCaServer(ca, { startDate: new Date(now - 20 * 86_400_000), endDate: new Date(now - 86_400_000) });
  const future = await startCaServer(ca, { startDate: new Date(now + 5 * 86_400_000), endDate: new Date(now + 30 * 86_400_000) });
  const serverOnly = await startCaServer(ca, { profile: 'server' });
  servers.push(expired, future, serverOnly);
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(w.root, 'x.key'), '-out', join(w.root, 'x.csr'), '-subj', '/CN=someone else'], { stdio: 'pipe' });
  writeFileSync(join(w.root, 'x.crt'), ca.signSync(readFileSync(join(w.root, 'x.csr'), 'utf8')));
  const q = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;
  const modes: Array<[string, string, RegExp, number?]> = [
    ['hangs past the timeout', 'sleep 31.25', /did not finish within 1 s/, 1],
    ['exit 1', 'cat >/dev/null; echo "CA says no: quota exceeded" >&2; exit 1', /failed with exit code 1; stderr: CA says no: quota exceeded/],
    ['command not found', 'no-such-issuer-cmd-xyz', /exit code 127/],
    ['empty output', 'cat >/dev/null', /printed nothing/],
    ['garbage', 'cat >/dev/null; echo "<html>502 Bad Gateway</html>"', /printed no PEM certificate/],
    ['another key', `cat >/dev/null; cat ${q(join(w.root, 'x.crt'))}`, /different key/],
    ['expired', expired.command, /expired on/],
    ['not yet valid', future.command, /not valid until/],
    ['serverAuth only', serverOnly.command, /does not allow client authentication/],
    ['unrelated chain', `${good.command}; cat ${q(other.certFile)}`, /CHAIN_ORDER|did not issue/],
    ['10 MB output', 'cat >/dev/null; head -c 10485760 /dev/zero | tr "\\0" A', /more than 1048576 bytes/],
    ['private key in output', `${good.command}; cat ${q(join(w.root, 'x.key'))}`, /printed a private key/],
    ['exit 3, reads its env', 'echo "$MTLS_TRAY_PROFILE" >&2; test -s "$MTLS_TRAY_CSR_FILE" && exit 3', /exit code 3; stderr: corp/],
  ];
  const servingCert = current(w, 'client.crt');
  const rows: string[] = [];
  for (const [what, command, msg, timeout] of modes) {
    ok(w, ['edit', '--issuer-command', command, '--issuer-timeout', String(timeout ?? 30)]);
    const before = snapshot(w.dataDir);
    const started = Date.now();
    const res = await w.cliAsync(['renew']);
    const ms = Date.now() - started;
    assert.equal(res.code, 1, `${what}: ${res.stdout}`);
    assert.match(res.stderr, msg, what);
    assert.match(res.stderr, /issuer command `/, `${what}: names the command`);
    assert.deepEqual(snapshot(w.dataDir), before, `${what}: nothing changed on disk`);
    assert.equal(readFileSync(w.codeSettings, 'utf8'), settingsText, `${what}: settings untouched`);
    assert.equal(current(w, 'client.crt'), servingCert, `${what}: the current generation keeps serving`);
    rows.push(`${what.padEnd(22)} ${String(ms).padStart(5)} ms  ${res.stderr.split('\n')[0]!.slice(0, 200)}`);
  }
  // The timed-out command's process group is gone.
  assert.throws(() => execFileSync('pgrep', ['-f', 'sleep 31.25'], { stdio: 'pipe' }));
  t.diagnostic(`bad issuers (${modes.length}):\n${rows.join('\n')}`);

  // A failing issuer in the scheduler: nothing published, a notification that says what failed, back-off.
  ok(w, ['edit', '--issuer-command', 'cat >/dev/null; echo "ca down" >&2; exit 7', '--issuer-timeout', '30']);
  const before = snapshot(w.dataDir);
  const notes2: AppNotice[] = [];
  const svc2 = createAppService({ dataDir: w.dataDir, env: { ...w.env }, platform: 'linux', homedir: w.home, cliCommand: ['node', 'cli.js'], now: later });
  const s2 = createRenewalScheduler({ service: svc2, now: later, timers: { set: () => 0, clear: () => undefined }, notify: (n) => notes2.push(n), memory: createMemoryPreferences() as never });
  s2.start();
  await s2.idle();
  s2.stop();
  assert.deepEqual(s2.lastPass()?.failed, ['corp']);
  const failed = notes2.find((n) => n.kind === 'renew-failed');
  assert.ok(failed, JSON.stringify(notes2));
  assert.match(failed.body, /exit code 7; stderr: ca down/);
  assert.match(failed.body, /retries with back-off/);
  assert.deepEqual(snapshot(w.dataDir), before);
  t.diagnostic(`scheduler notification: ${failed.title} — ${failed.body}`);
});
