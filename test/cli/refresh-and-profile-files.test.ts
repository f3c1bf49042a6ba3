/**
 * The editor's certificate-refresh hook end to end (the script in coder.tlsCertRefreshCommand,
 * run with `sh -c` like the extension does, with no tray app running), and profile.json
 * files that are broken or from a newer version: refused with a clear message, never reset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSelfSignedClientCert } from '../../main/credentials/making';
import { CredentialStore } from '../../main/store';
import { makeWorld, type World } from './cli-harness';

function runHook(w: World): { code: number; out: string } {
  const cmd = String(w.settings()['coder.tlsCertRefreshCommand']);
  const r = spawnSync('/bin/sh', ['-c', cmd], { env: { ...w.env, CODER_URL: 'https://coder.acme.test' }, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** Puts an expired certificate for the same key in place, as if the laptop slept for weeks. */
async function expire(w: World, id: string): Promise<void> {
  const store = new CredentialStore({ dataDir: w.dataDir, env: {}, homedir: w.home });
  const cur = (await store.readCurrent(id))!;
  const then = new Date(Date.now() - 40 * 86_400_000);
  const cert = await createSelfSignedClientCert({ keyPem: cur.key, sans: [{ type: 'email', value: 'dev@acme.test' }], commonName: 'dev', days: 30, now: then });
  await store.writeGeneration(id, { cert, key: cur.key, ca: cur.ca, headers: cur.headers }, { operation: 'renew', now: then });
}

test('the refresh hook renews an expired self-signed certificate and exits 0; a second call does not renew again', async () => {
  const w = makeWorld('refresh');
  assert.equal(w.cli(['init', '--url', 'https://coder.acme.test', '--name', 'acme', '--self-signed', '--proxy-support']).code, 0);
  await expire(w, 'acme');
  const expired = w.cli(['--json', 'status']);
  assert.equal(expired.code, 1, 'status fails on an expired certificate');
  assert.ok(JSON.parse(expired.stdout).report.warnings.some((x: { code: string }) => x.code === 'EXPIRED'));
  const settingsBefore = readFileSync(w.codeSettings);

  const hook = runHook(w);
  assert.equal(hook.code, 0, hook.out);
  const after = w.json(['status']);
  assert.ok(after.report.daysLeft >= 29, 'valid again');
  assert.deepEqual(after.report.warnings, []);
  const gen = after.generations[0].number;

  const again = runHook(w);
  assert.equal(again.code, 0, again.out);
  assert.equal(w.json(['status']).generations[0].number, gen, 'no second renewal right away');
  assert.deepEqual(readFileSync(w.codeSettings), settingsBefore, 'the hook never touches settings');
});

test('the refresh hook cannot renew a CA-issued certificate: exit 1 and one line saying what to do', async () => {
  const w = makeWorld('refresh-ca');
  const dir = w.root;
  execSync(`openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem -out c.pem -subj /CN=dev -days 2 -addext subjectAltName=email:dev@acme.test -addext extendedKeyUsage=clientAuth`, { cwd: dir, stdio: 'ignore' });
  assert.equal(w.cli(['init', '--url', 'https://coder.acme.test', '--name', 'acme', '--import-pem', join(dir, 'c.pem'), join(dir, 'k.pem')]).code, 0);
  const hook = runHook(w);
  assert.equal(hook.code, 1);
  assert.equal(hook.out.trim().split('\n').length, 1, `one line: ${hook.out}`);
  assert.match(hook.out, /CA|import/);
});

test('a broken or newer profile.json is refused with its path named, and left exactly as it was', () => {
  const w = makeWorld('profile-files');
  assert.equal(w.cli(['init', '--url', 'https://coder.acme.test', '--name', 'acme', '--self-signed']).code, 0);
  const file = join(w.dataDir, 'profiles', 'acme', 'profile.json');
  const good = readFileSync(file, 'utf8');
  const cases: Array<[string, RegExp]> = [
    [good.replace('"schema": 1', '"schema": 2'), /newer mtls-tray.*schema 2/],
    [good.slice(0, good.length / 2), /not valid JSON/],
    [good.replace('"validityDays": 30', '"validityDays": "30"'), /validityDays.*number/],
    [good.replace('"url": "https://coder.acme.test"', '"url": "https://coder.acme.test", "headerCommand": "id"'), /headerCommand.*not a field/],
    [good.replace(/"headers": \[[^\]]*\]/, '"headers": [{"name": "X A", "value": "v"}]'), /X A|header/i],
  ];
  for (const [text, message] of cases) {
    writeFileSync(file, text);
    for (const args of [['status'], ['renew'], ['list']]) {
      const r = w.cli(args);
      assert.equal(r.code, 1, `${args}: ${r.stdout}`);
      assert.ok(r.stderr.includes(file), `${args}: names ${file}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal(readFileSync(file, 'utf8'), text, 'never reset');
  }
  writeFileSync(file, good);
  assert.equal(w.cli(['status']).code, 0);
});
