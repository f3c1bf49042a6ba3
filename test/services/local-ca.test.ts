import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { createCsr, generateKey } from '../../main/credentials/making';
import { parseSan } from '../../main/credentials/reading';
import { kit } from './kit';

test('ca sign copies only the allowed SANs, and the certificate chains to ca cert', async () => {
  const k = kit();
  await assert.rejects(k.svc.caCert(), { code: 'NOT_A_LOCAL_CA' });
  await k.svc.init({ url: 'https://coder.example.com', name: 'team', identity: { kind: 'local-ca' }, noSettings: true });
  const keyPem = await generateKey('ecdsa-p256');
  const csrPem = await createCsr({ keyPem, sans: ['DNS:mate.example.com', 'IP:10.0.0.7', 'email:mate@example.com'].map(parseSan), commonName: 'mate' });
  const def = await k.svc.caSign(csrPem, {});
  assert.deepEqual(def.copied, ['DNS:mate.example.com', 'email:mate@example.com']);
  assert.deepEqual(def.refused, ['IP:10.0.0.7'], 'no IP by default');
  const only = await k.svc.caSign(csrPem, { allowSans: ['email:*@example.com'] });
  assert.deepEqual([only.copied, only.refused], [['email:mate@example.com'], ['DNS:mate.example.com', 'IP:10.0.0.7']]);
  const ca = new X509Certificate(await k.svc.caCert());
  assert.ok(new X509Certificate(def.certPem).verify(ca.publicKey));
  await k.svc.init({ url: 'https://other.example.com', name: 'other', identity: { kind: 'self-signed' }, noSettings: true });
  await assert.rejects(k.svc.caSign(csrPem, { profileId: 'other' }), { code: 'NOT_A_LOCAL_CA' });
});
