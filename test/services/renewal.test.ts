import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { refreshActive } from '../../main/services/refresh';
import { refreshDeps } from '../../main/services/renewal';
import { DAY, kit, T0 } from './kit';

const serialOf = (file: string) => new X509Certificate(readFileSync(file, 'utf8')).serialNumber;

test('renew keeps the key and changes the certificate; rotate changes the key; rollback reaches the previous generation', async () => {
  const k = kit();
  await k.svc.init({ url: 'https://coder.example.com', name: 'acme', identity: { kind: 'self-signed' }, days: 30, noSettings: true });
  const st = (await k.svc.status())!;
  const key0 = readFileSync(st.files.key, 'utf8');
  const serial0 = serialOf(st.files.cert);
  k.clock.t = new Date(T0.getTime() + DAY);
  const r = await k.svc.renew();
  assert.equal(r.generation, 2);
  assert.equal(readFileSync(st.files.key, 'utf8'), key0, 'renew keeps the key');
  const serial1 = serialOf(st.files.cert);
  assert.notEqual(serial1, serial0);
  const settingsBefore = (await k.svc.status())!.settingsValues;
  await k.svc.rotate();
  assert.notEqual(readFileSync(st.files.key, 'utf8'), key0, 'rotate makes a new key');
  assert.deepEqual((await k.svc.status())!.settingsValues, settingsBefore, 'stable paths: no setting changes');
  const back = await k.svc.rollback();
  assert.equal(back.generation, 2);
  assert.equal(serialOf(st.files.cert), serial1);
  assert.equal(readFileSync(st.files.key, 'utf8'), key0);
});

test('a CA-issued identity is not renewed by mtls-tray: renew refuses, status says manual', async () => {
  const k = kit();
  await k.svc.init({ url: 'https://coder.example.com', name: 'csr', identity: { kind: 'csr' }, noSettings: true });
  await assert.rejects(k.svc.renew('csr'), { code: 'PROFILE_PENDING' });
  const csr = await k.svc.pendingCsr('csr');
  assert.match(csr, /BEGIN CERTIFICATE REQUEST/);
});

test("refresh renews by the profile's own policy: renewAt 0.5 renews at 60 % of the lifetime, the default two thirds does not", async () => {
  const k = kit();
  await k.svc.init({ url: 'https://half.example.com', name: 'half', identity: { kind: 'self-signed' }, days: 30, noSettings: true });
  k.editProfile('half', (p) => ({ ...p, renewal: { auto: true, renewAt: 0.5, jitter: 0 } }));
  k.clock.t = new Date(T0.getTime() + 18 * DAY);
  // As the hook runs it when nobody complained yet (proactive): only a due certificate is renewed.
  const res = await refreshActive(k.ctx.store, refreshDeps(k.ctx, false));
  assert.equal(res.ok && res.action, 'renewed', res.message);
  assert.equal((await k.svc.status('half'))!.generations[0]!.number, 2);

  const d = kit();
  await d.svc.init({ url: 'https://std.example.com', name: 'std', identity: { kind: 'self-signed' }, days: 30, noSettings: true });
  d.clock.t = new Date(T0.getTime() + 18 * DAY);
  const same = await refreshActive(d.ctx.store, refreshDeps(d.ctx, false));
  assert.equal(same.ok && same.action, 'none', same.message);
  assert.equal((await d.svc.status())!.renewal!.action, 'wait');
});

test('refresh after a rejection renews an expired certificate and the result is valid', async () => {
  const k = kit();
  await k.svc.init({ url: 'https://coder.example.com', name: 'acme', identity: { kind: 'self-signed' }, days: 1, noSettings: true });
  k.clock.t = new Date(T0.getTime() + 2 * DAY);
  const r = await k.svc.refresh();
  assert.deepEqual([r.ok, r.renewed], [true, true], r.message);
  const st = (await k.svc.status())!;
  assert.ok(st.profile.daysLeft! > 0.9, 'a fresh one-day certificate');
  assert.equal(st.generations[0]!.number, 2);
});
