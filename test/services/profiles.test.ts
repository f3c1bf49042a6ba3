import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import { kit } from './kit';

test('switch writes settings only when the values differ (alt host, CA bundle); delete refuses the active profile', async () => {
  const k = kit();
  await k.svc.init({ url: 'https://a.example.com', name: 'a', identity: { kind: 'self-signed' } });
  await k.svc.init({ url: 'https://b.example.com', name: 'b', identity: { kind: 'self-signed' }, noSettings: true });
  await k.svc.init({ url: 'https://c.example.com', name: 'c', identity: { kind: 'self-signed' }, altHost: 'c.internal.example.com', noSettings: true });
  const mtime = () => statSync(k.codeSettings).mtimeMs;
  const before = mtime();
  const same = await k.svc.switchProfile('a');
  assert.deepEqual(same.settings.map((s) => s.wrote), [false]);
  const toB = await k.svc.switchProfile('b');
  assert.deepEqual(toB.settings.map((s) => [s.wrote, s.keys]), [[false, []]], 'same values: no write');
  assert.equal(mtime(), before);
  const toC = await k.svc.switchProfile('c');
  assert.deepEqual(toC.settings.map((s) => [s.wrote, s.keys]), [[true, ['coder.tlsAltHost']]]);
  assert.equal((await k.svc.listProfiles()).find((p) => p.active)?.id, 'c');
  await assert.rejects(k.svc.deleteProfile('c'), { code: 'PROFILE_ACTIVE' });
  await k.svc.deleteProfile('b');
  assert.deepEqual((await k.svc.listProfiles()).map((p) => p.id), ['a', 'c']);
});

test('rename keeps the id; status accepts the new display name', async () => {
  const k = kit();
  await k.svc.init({ url: 'https://a.example.com', name: 'a', identity: { kind: 'self-signed' }, noSettings: true });
  const r = await k.svc.renameProfile('a', 'Acme Prod');
  assert.deepEqual([r.id, r.name], ['a', 'Acme Prod']);
  assert.equal((await k.svc.status('Acme Prod'))!.profile.id, 'a');
  await assert.rejects(k.svc.renameProfile('a', '../x'), { code: 'INVALID_NAME' });
});

test('status carries the plan from the profile own policy and its canRenew', async () => {
  const k = kit();
  assert.equal(await k.svc.status(), null);
  await k.svc.init({ url: 'https://a.example.com', name: 'a', identity: { kind: 'self-signed' }, days: 30, noSettings: true });
  k.editProfile('a', (p) => ({ ...p, renewal: { auto: false, renewAt: 0.5, jitter: 0 } }));
  const st = (await k.svc.status())!;
  assert.deepEqual(st.renewal!.policy, { auto: false, renewAt: 0.5, jitter: 0 });
  assert.equal(st.renewal!.action, 'manual');
  assert.equal(st.profile.canRenew, true);
  const mid = Date.parse(st.report!.notBefore) + (Date.parse(st.report!.notAfter) - Date.parse(st.report!.notBefore)) / 2;
  assert.equal(st.renewal!.renewAt, new Date(mid).toISOString());
});

test('renameProfile (the window) refuses a display name another profile has, like edit --name', async () => {
  const k = kit();
  await k.svc.init({ url: 'https://one.example.com', name: 'one', identity: { kind: 'self-signed' }, noSettings: true });
  await k.svc.init({ url: 'https://two.example.com', name: 'two', identity: { kind: 'self-signed' }, noSettings: true });
  await assert.rejects(k.svc.renameProfile('two', 'one'), { code: 'PROFILE_NAME_TAKEN' });
  assert.equal((await k.svc.renameProfile('two', 'three')).name, 'three');
});
