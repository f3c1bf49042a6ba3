// issue 16 item 11: `ca sign` without --allow-san copies only the names that belong to the
// requester by the CSR's own subject, never the CA owner's names, never IP or URI; with
// --allow-san the operator decides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCsr, generateKey } from '../../main/credentials/making';
import { parseSan } from '../../main/credentials/reading';
import { kit } from '../services/kit';

test('the default copies only the requester\'s own names, never the owner\'s', async () => {
  const k = kit();
  await k.svc.init({ url: 'https://coder.example.com', name: 'team', identity: { kind: 'local-ca' }, sans: ['email:owner@example.com', 'DNS:owner-box.example.com'], noSettings: true });
  const keyPem = await generateKey('ecdsa-p256');
  const asked = ['email:mate@example.com', 'DNS:mate.dev.example.com', 'email:owner@example.com', 'DNS:owner-box.example.com', 'DNS:payroll.example.com', 'email:ceo@example.com', 'IP:10.0.0.7', 'URI:spiffe://corp/mate'];
  const csrPem = await createCsr({ keyPem, sans: asked.map(parseSan), commonName: 'mate' });
  const def = await k.svc.caSign(csrPem, {});
  assert.deepEqual(def.copied, ['email:mate@example.com', 'DNS:mate.dev.example.com']);
  assert.ok(!def.copied.includes('email:owner@example.com'), "never the CA owner's identity");

  // Our own default CN is user@host: its user part names emails, its host part DNS names.
  const csr2 = await createCsr({ keyPem, sans: ['email:dev@example.com', 'DNS:laptop.dev.example.com', 'email:owner@example.com'].map(parseSan), commonName: 'dev@laptop' });
  assert.deepEqual((await k.svc.caSign(csr2, {})).copied, ['email:dev@example.com', 'DNS:laptop.dev.example.com']);

  // Only the owner's names asked for: refused outright, with the option that overrides it.
  const csr3 = await createCsr({ keyPem, sans: [parseSan('email:owner@example.com')], commonName: 'owner' });
  await assert.rejects(k.svc.caSign(csr3, {}), (e: any) => e.code === 'CSR_NO_ALLOWED_SAN' && /--allow-san/.test(e.fix));

  // --allow-san is the operator's explicit decision.
  const only = await k.svc.caSign(csrPem, { allowSans: ['email:*@example.com'] });
  assert.deepEqual(only.copied, ['email:mate@example.com', 'email:owner@example.com', 'email:ceo@example.com']);
});
