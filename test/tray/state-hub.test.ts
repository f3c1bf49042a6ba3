import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStateHub } from '../../main/tray/state-hub';
import type { TrayState } from '../../main/tray/tray-state';
import { FakeAppService } from '../app/fakes';

test('refresh emits the new state to subscribers, and only when something changed', async () => {
  const svc = new FakeAppService(() => new Date('2026-01-10T00:00:00Z'));
  svc.add({ id: 'a', notBefore: new Date('2026-01-01T00:00:00Z') });
  const hub = createStateHub({ service: svc, launchAtLogin: false });
  const seen: TrayState[] = [];
  hub.subscribe((s) => seen.push(s));
  await hub.refresh();
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.active?.id, 'a');
  await hub.refresh();
  assert.equal(seen.length, 1, 'same state, no emission');
  svc.add({ id: 'b' });
  await hub.refresh();
  assert.equal(seen.length, 2);
  assert.deepEqual(seen[1]?.profiles.map((p) => p.id), ['a', 'b']);
});

test('busy and launch-at-login changes are emitted at once, and survive a refresh', async () => {
  const svc = new FakeAppService();
  svc.add({ id: 'a' });
  const hub = createStateHub({ service: svc, launchAtLogin: true });
  const seen: TrayState[] = [];
  hub.subscribe((s) => seen.push(s));
  hub.setBusy('rotate');
  assert.equal(seen.at(-1)?.busy, 'rotate');
  await hub.refresh();
  assert.equal(hub.current().busy, 'rotate');
  assert.equal(hub.current().launchAtLogin, true);
  hub.setLaunchAtLogin(false);
  assert.equal(seen.at(-1)?.launchAtLogin, false);
});

test('concurrent refreshes coalesce: a burst costs at most two reads', async () => {
  const svc = new FakeAppService();
  svc.add({ id: 'a' });
  const hub = createStateHub({ service: svc, launchAtLogin: false });
  await Promise.all([hub.refresh(), hub.refresh(), hub.refresh(), hub.refresh(), hub.refresh()]);
  assert.equal(svc.callsOf('listProfiles').length, 2);
});
