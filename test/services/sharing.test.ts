import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { kit } from './kit';

test('export then import: the teammate gets the same deployment, headers, policy and CA bundle, and a key of their own', async () => {
  const a = kit();
  await a.svc.init({ url: 'https://coder.example.com', name: 'acme', identity: { kind: 'self-signed' }, altHost: 'coder.internal', headers: [{ name: 'X-Team', value: 'blue' }], noSettings: true });
  a.editProfile('acme', (p) => ({ ...p, renewal: { auto: true, renewAt: 0.5, jitter: 0.01 } }));
  const text = await a.svc.exportProfile(undefined, {});
  assert.doesNotMatch(text, /PRIVATE KEY/);
  const b = kit();
  const preview = await b.svc.previewImport(text);
  assert.deepEqual([preview.name, preview.url, preview.needsPassphrase], ['acme', 'https://coder.example.com', false]);
  const res = await b.svc.importProfile(text, { noSettings: true });
  assert.deepEqual([res.profile.url, res.profile.altHost, res.profile.source], ['https://coder.example.com', 'coder.internal', 'self-signed']);
  const st = (await b.svc.status())!;
  assert.deepEqual(st.renewal!.policy, { auto: true, renewAt: 0.5, jitter: 0.01 });
  assert.match(readFileSync(st.files.headers, 'utf8'), /^X-Team=blue$/m);
  const stA = (await a.svc.status())!;
  assert.notEqual(readFileSync(st.files.key, 'utf8'), readFileSync(stA.files.key, 'utf8'));
  // The link carries the same profile.
  const viaLink = await kit().svc.previewImport(await a.svc.exportLink());
  assert.deepEqual(viaLink.review, preview.review);
});

test('export with the identity: the same certificate arrives, only with the passphrase', async () => {
  const a = kit();
  await a.svc.init({ url: 'https://coder.example.com', name: 'acme', identity: { kind: 'self-signed' }, noSettings: true });
  await assert.rejects(a.svc.exportProfile(undefined, { withIdentityPassphrase: 'short' }), { code: 'WEAK_PASSPHRASE' });
  const text = await a.svc.exportProfile(undefined, { withIdentityPassphrase: 'correct horse' });
  const b = kit();
  assert.equal((await b.svc.previewImport(text)).needsPassphrase, true);
  await assert.rejects(b.svc.importProfile(text, { noSettings: true }), { code: 'PASSPHRASE_NEEDED' });
  await b.svc.importProfile(text, { passphrase: 'correct horse', noSettings: true });
  const [sa, sb] = [(await a.svc.status())!, (await b.svc.status())!];
  assert.equal(sb.report!.fingerprintSha256, sa.report!.fingerprintSha256);
  assert.equal(sb.profile.source, 'imported');
});
