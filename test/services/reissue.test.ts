import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseHeaderCommandOutput } from '../../main/base/header-output';

function headersOf(text: string): Record<string, string> {
  const r = parseHeaderCommandOutput(text);
  assert.ok(r.ok, JSON.stringify(r));
  return r.headers;
}
import { renewProfile, rotateProfile, defaultEngine } from '../../main/services/reissue';
import { HEADERS, awkwardDataDir, isUserErr, newStore, opensslCa, seedProfile, tempDir } from '../store/helpers';

const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('hex');

test('renew: same key, new serial, same subject and SANs, headers recomputed (the key pin stays)', async () => {
  const store = newStore(awkwardDataDir());
  const first = await seedProfile(store);
  const now = new Date(Date.now() + 3_600_000);
  const g = await renewProfile(store, 'acme', { days: 12, headers: HEADERS, now });
  assert.equal(g.operation, 'renew');
  const cur = (await store.readCurrent())!;
  const [a, b] = [new X509Certificate(first.cert), new X509Certificate(cur.cert)];
  assert.equal(cur.key, first.key);
  assert.notEqual(b.serialNumber, a.serialNumber);
  assert.equal(b.subject, a.subject);
  assert.equal(b.subjectAltName, a.subjectAltName);
  assert.equal(Math.round((new Date(b.validTo).getTime() - now.getTime()) / 86_400_000), 12);
  const before = headersOf(readFileSync(join(first.info.dir, 'headers'), 'utf8'));
  const after = headersOf(cur.headers);
  assert.notEqual(after['X-Client-Cert-Sha256'], before['X-Client-Cert-Sha256']);
  assert.equal(after['X-Client-Cert-Sha256'], g.fingerprintSha256);
  assert.equal(after['X-Client-Key-Pin'], before['X-Client-Key-Pin'], 'same key, same pin');
});

test('rotate: new key that matches the new certificate, same identity', async () => {
  const store = newStore(awkwardDataDir());
  const first = await seedProfile(store);
  const g = await rotateProfile(store, 'acme', { days: 12, headers: HEADERS, keyAlgorithm: 'ecdsa-p384' });
  const cur = (await store.readCurrent())!;
  assert.notEqual(cur.key, first.key);
  const c = new X509Certificate(cur.cert);
  assert.equal(c.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
  assert.equal(spki(cur.key), c.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'));
  assert.equal(c.subjectAltName, new X509Certificate(first.cert).subjectAltName);
  assert.equal(g.spkiSha256, headersOf(cur.headers)['X-Client-Key-Pin']);
  assert.notEqual(g.spkiSha256, first.info.spkiSha256);
});

test('local CA profile: renewed and rotated certificates verify against the CA with openssl', async () => {
  const dir = tempDir();
  const ca = opensslCa(dir);
  const store = newStore(awkwardDataDir());
  await seedProfile(store, 'acme', { issuer: ca });
  for (const op of ['renew', 'rotate'] as const) {
    if (op === 'renew') await renewProfile(store, 'acme', { days: 5, headers: HEADERS, issuer: ca });
    else await rotateProfile(store, 'acme', { days: 5, headers: HEADERS, issuer: ca, keyAlgorithm: 'ecdsa-p256' });
    const certFile = join(dir, `${op}.crt`);
    writeFileSync(certFile, (await store.readCurrent())!.cert);
    const v = spawnSync('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), '-purpose', 'sslclient', certFile], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);
  }
});

test('an engine failure leaves the store as it was', async () => {
  const store = newStore(awkwardDataDir());
  await seedProfile(store);
  const engine = { ...defaultEngine, renewCertificate: async () => { throw new Error('HSM unplugged'); } };
  await assert.rejects(renewProfile(store, 'acme', { days: 5, headers: HEADERS, engine }), /HSM unplugged/);
  const wrongKeyEngine = { ...defaultEngine, renewCertificate: async () => (await seedProfile(newStore(awkwardDataDir()), 'x')).cert };
  await assert.rejects(renewProfile(store, 'acme', { days: 5, headers: HEADERS, engine: wrongKeyEngine }), isUserErr('KEY_MISMATCH'));
  assert.deepEqual((await store.listGenerations('acme')).map((g) => g.number), [1]);
});
