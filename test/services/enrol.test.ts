import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateKey, createSelfSignedClientCert } from '../../main/credentials/making';
import { parseSan } from '../../main/credentials/reading';
import { kit, readText, T0 } from './kit';

test('init --self-signed writes the profile, its first generation, the scripts and the editor settings once', async () => {
  const k = kit();
  const res = await k.svc.init({ url: 'https://coder.example.com', name: 'acme', identity: { kind: 'self-signed' }, sans: ['box.example.com'] });
  assert.deepEqual([res.profile.id, res.profile.active, res.profile.canRenew, res.profile.level], ['acme', true, true, 'ok']);
  assert.deepEqual(res.settings.map((s) => [s.editor, s.wrote]), [['code', true]]);
  const st = (await k.svc.status())!;
  assert.deepEqual(st.report!.sans, ['DNS:box.example.com']);
  assert.ok(existsSync(st.files.headerCommand) && existsSync(st.files.refreshCommand));
  assert.match(readText(k.codeSettings)!, /coder\.tlsCertFile/);
});

test('a failing step leaves no half profile behind', async () => {
  const k = kit();
  await k.svc.init({ url: 'https://first.example.com', name: 'first', identity: { kind: 'self-signed' }, noSettings: true });
  // The scripts cannot be installed (bin/ is a file now): the last step of create fails.
  const bin = join(k.dataDir, 'bin');
  await import('node:fs/promises').then((fs) => fs.rm(bin, { recursive: true }));
  writeFileSync(bin, 'not a directory');
  await assert.rejects(k.svc.init({ url: 'https://second.example.com', name: 'second', identity: { kind: 'local-ca' }, noSettings: true }));
  assert.deepEqual((await k.svc.listProfiles()).map((p) => p.id), ['first']);
  assert.equal(existsSync(join(k.dataDir, 'profiles', 'second')), false);
});

test('an imported identity that cannot work is refused and nothing is written', async () => {
  const k = kit();
  const keyPem = await generateKey('ecdsa-p256');
  const otherKey = await generateKey('ecdsa-p256');
  const certPem = await createSelfSignedClientCert({ keyPem, sans: [parseSan('DNS:imp.example')], commonName: 'imp', days: 30, now: T0 });
  await assert.rejects(k.svc.init({ url: 'https://coder.example.com', name: 'imp', identity: { kind: 'import-pem', certPem, keyPem: otherKey }, noSettings: true }), { code: 'KEY_MISMATCH' });
  assert.deepEqual(await k.svc.listProfiles(), []);
  const ok = await k.svc.init({ url: 'https://coder.example.com', name: 'imp', identity: { kind: 'import-pem', certPem, keyPem }, noSettings: true });
  assert.deepEqual([ok.profile.source, ok.profile.canRenew], ['imported', false]);
  await assert.rejects(k.svc.renew('imp'), { code: 'CANNOT_RENEW' });
});

test('a CSR profile waits for its certificate: no generation, no editor settings yet, the request to hand to the CA', async () => {
  const k = kit();
  mkdirSync(join(k.home, '.config', 'Code', 'User'), { recursive: true });
  const res = await k.svc.init({ url: 'https://coder.example.com', name: 'corp', identity: { kind: 'csr' } });
  assert.equal(res.profile.level, 'pending');
  assert.deepEqual(res.settings, []);
  assert.equal(readText(k.codeSettings), null, 'no settings for a profile without credentials');
  assert.match(res.csrPem!, /CERTIFICATE REQUEST/);
});

test('errors name the input they are about (UserError.field), so the wizard marks it', async () => {
  const k = kit();
  const keyPem = await generateKey('ecdsa-p256');
  const certPem = await createSelfSignedClientCert({ keyPem, sans: [parseSan('DNS:imp.example')], commonName: 'imp', days: 30, now: T0 });
  const base = { url: 'https://coder.example.com', noSettings: true } as const;
  await assert.rejects(k.svc.init({ ...base, identity: { kind: 'import-pem', certPem, keyPem: await generateKey('ecdsa-p256') } }), { code: 'KEY_MISMATCH', field: 'keyFile' });
  await assert.rejects(k.svc.init({ ...base, identity: { kind: 'import-p12', p12: Buffer.from('junk junk junk'), passphrase: 'x' } }), { field: 'p12File' });
  await assert.rejects(k.svc.init({ ...base, identity: { kind: 'self-signed' }, altHost: 'no such host!' }), { code: 'INVALID_ALT_HOST', field: 'altHost' });
  await assert.rejects(k.svc.init({ ...base, identity: { kind: 'self-signed' }, sans: ['DNS:bad host'] }), { code: 'SAN_INVALID', field: 'sans' });
  await assert.rejects(k.svc.previewImport('{"format": "something else"}'), { field: 'profile' });
});
