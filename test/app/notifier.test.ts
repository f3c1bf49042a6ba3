import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { NotificationConstructorOptions } from 'electron';
import { createNotifier, notificationOptions, type NotificationLike } from '../../main/app/notifier';
import { SNOOZE_MS, type AppNotice } from '../../main/scheduler/notices';

class FakeNotification extends EventEmitter {
  shown = 0;
  constructor(readonly options: NotificationConstructorOptions) {
    super();
  }
  show(): void {
    this.shown++;
  }
}

function rig(platform: NodeJS.Platform, supported = true) {
  const made: FakeNotification[] = [];
  const opened: Array<string | undefined> = [];
  const snoozed: Array<[string, string]> = [];
  const now = new Date('2026-01-01T12:00:00Z');
  const notify = createNotifier({
    createNotification: (o) => {
      const n = new FakeNotification(o);
      made.push(n);
      return n as unknown as NotificationLike;
    },
    isSupported: () => supported,
    platform,
    openWindow: (id) => opened.push(id),
    snooze: (id, until) => snoozed.push([id, until.toISOString()]),
    now: () => now,
  });
  return { notify, made, opened, snoozed, now };
}

const warning: AppNotice = { kind: 'warning', profileId: 'acme', title: 'Acme: certificate expires within a day', body: '5 hours left.', snoozable: true, urgent: true };

test('a notification is shown; clicking it opens the window on its profile', () => {
  const r = rig('linux');
  r.notify(warning);
  assert.equal(r.made.length, 1);
  assert.equal(r.made[0]?.shown, 1);
  assert.deepEqual(r.made[0]?.options, { title: warning.title, body: warning.body, silent: false, urgency: 'critical' });
  r.made[0]?.emit('click', {});
  assert.deepEqual(r.opened, ['acme']);
});

test('on macOS a warning offers "Remind me tomorrow", which snoozes the profile for a day', () => {
  const r = rig('darwin');
  r.notify(warning);
  assert.deepEqual(r.made[0]?.options.actions, [{ type: 'button', text: 'Remind me tomorrow' }]);
  r.made[0]?.emit('action', {}, 0);
  assert.deepEqual(r.snoozed, [['acme', new Date(r.now.getTime() + SNOOZE_MS).toISOString()]]);
  assert.deepEqual(r.opened, []);
});

test('non-warnings carry no snooze action and are silent unless urgent', () => {
  const o = notificationOptions({ kind: 'rotated', title: 't', body: 'b' }, 'darwin');
  assert.equal(o.actions, undefined);
  assert.equal(o.silent, true);
});

test('where notifications are unsupported nothing is created (and nothing throws)', () => {
  const r = rig('linux', false);
  r.notify(warning);
  assert.equal(r.made.length, 0);
});

test('a drift notice offers Restore and Keep theirs on macOS; the buttons reach the drift watch; elsewhere a click opens the window', () => {
  const drift: AppNotice = { kind: 'drift', title: "Cursor's settings changed outside mtls-tray", body: 'coder.tlsCertFile in Cursor now points at /x.', drift: { restore: ['/c.json'], keepTheirs: '/c.json' } };
  const restored: string[][] = [];
  const kept: string[] = [];
  const made: FakeNotification[] = [];
  const opened: Array<string | undefined> = [];
  const notify = createNotifier({
    createNotification: (o) => {
      const n = new FakeNotification(o);
      made.push(n);
      return n as unknown as NotificationLike;
    },
    isSupported: () => true,
    platform: 'darwin',
    openWindow: (id) => opened.push(id),
    snooze: () => assert.fail('no snooze'),
    driftRestore: (s) => void restored.push(s),
    driftKeepTheirs: (s) => void kept.push(s),
    now: () => new Date(),
  });
  notify(drift);
  assert.deepEqual(made[0]?.options.actions, [{ type: 'button', text: 'Restore' }, { type: 'button', text: 'Keep theirs' }]);
  made[0]?.emit('action', {}, 0);
  made[0]?.emit('action', {}, 1);
  assert.deepEqual([restored, kept, opened], [[['/c.json']], ['/c.json'], []]);
  // The loop notice offers no Restore, only Keep theirs.
  notify({ ...drift, drift: { restore: [], keepTheirs: '/c.json' } });
  assert.deepEqual(made[1]?.options.actions, [{ type: 'button', text: 'Keep theirs' }]);
  // Linux: no buttons; the click opens the window, whose drift section has both.
  const r = rig('linux');
  r.notify(drift);
  assert.equal(r.made[0]?.options.actions, undefined);
  r.made[0]?.emit('click', {});
  assert.deepEqual(r.opened, [undefined]);
});
