import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryPreferences, type Preferences } from '../../main/app/preferences';
import { planRenewal, RETRY_MIN_MS } from '../../main/profiles/renewal-policy';
import { createRenewalScheduler, type RenewalScheduler } from '../../main/scheduler/renewal-scheduler';
import type { AppNotice } from '../../main/scheduler/notices';
import { DEFAULT_RENEWAL_POLICY } from '../../main/profiles/profile';
import { DAY, FakeAppService, FakeClock } from '../app/fakes';

const T0 = new Date('2026-03-01T09:00:00.000Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

interface Rig {
  clock: FakeClock;
  svc: FakeAppService;
  prefs: Preferences;
  notes: Array<AppNotice & { at: string }>;
  renewed: string[];
  scheduler: RenewalScheduler;
  advanceTo(d: Date): Promise<void>;
}

function rig(opts: { clock?: FakeClock; svc?: FakeAppService; prefs?: Preferences } = {}): Rig {
  const clock = opts.clock ?? new FakeClock(T0);
  const svc = opts.svc ?? new FakeAppService(clock.now);
  const prefs = opts.prefs ?? createMemoryPreferences();
  const notes: Rig['notes'] = [];
  const renewed: string[] = [];
  const scheduler = createRenewalScheduler({
    service: svc,
    now: clock.now,
    timers: clock.timers,
    notify: (n) => notes.push({ ...n, at: clock.now().toISOString() }),
    memory: prefs,
    onRenewed: (id) => renewed.push(id),
  });
  return { clock, svc, prefs, notes, renewed, scheduler, advanceTo: (d) => clock.advanceTo(d, () => scheduler.idle()) };
}

/** The renewal instant the real policy gives this certificate (jitter from its serial). */
function renewAtOf(svc: FakeAppService, id: string): Date {
  const p = svc.profiles.get(id)!;
  return planRenewal({ validity: { notBefore: p.notBefore, notAfter: p.notAfter, serial: p.serial }, policy: p.policy, now: p.notBefore, canRenew: true }).renewAt;
}

test('renews a self-signed certificate exactly at the policy time, then plans the next one from the new certificate', async () => {
  const r = rig();
  r.svc.add({ id: 'acme', notBefore: T0 });
  const due = renewAtOf(r.svc, 'acme');
  // two thirds of 30 days, minus up to 1/20 of the lifetime of jitter
  assert.ok(due.getTime() <= T0.getTime() + 20 * DAY && due.getTime() >= T0.getTime() + 18.5 * DAY);
  r.scheduler.start();
  await r.scheduler.idle();
  assert.equal(r.svc.callsOf('renew').length, 0);
  // It never sleeps more than an hour (clock changes, sleep, the CLI): the first wake is in an hour.
  assert.equal(r.scheduler.nextWakeAt()?.toISOString(), at(HOUR).toISOString());

  await r.advanceTo(new Date(due.getTime() - 1));
  assert.equal(r.svc.callsOf('renew').length, 0, 'not a millisecond early');
  await r.advanceTo(due);
  assert.deepEqual(r.svc.timesOf('renew'), [due.toISOString()]);
  assert.deepEqual(r.renewed, ['acme']);
  assert.equal(r.notes.length, 0, 'a successful automatic renewal is silent');

  const due2 = renewAtOf(r.svc, 'acme');
  assert.ok(due2.getTime() > due.getTime() + 18 * DAY);
  await r.advanceTo(due2);
  assert.deepEqual(r.svc.timesOf('renew'), [due.toISOString(), due2.toISOString()]);
  r.scheduler.stop();
});

test('a failing renewal backs off 1, 2, 4 minutes and notifies once; success resets', async () => {
  const r = rig();
  r.svc.add({ id: 'acme', notBefore: T0 });
  const due = renewAtOf(r.svc, 'acme');
  r.svc.renewFailures = 3;
  r.scheduler.start();
  await r.advanceTo(new Date(due.getTime() + 10 * 60_000));
  const m = RETRY_MIN_MS;
  assert.deepEqual(r.svc.timesOf('renew'), [due, new Date(due.getTime() + m), new Date(due.getTime() + 3 * m), new Date(due.getTime() + 7 * m)].map((d) => d.toISOString()));
  const failed = r.notes.filter((n) => n.kind === 'renew-failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]?.at, due.toISOString());
  assert.match(failed[0]!.body, /the local CA could not sign/);
  assert.deepEqual(r.renewed, ['acme']);
  r.scheduler.stop();
});

test('a certificate we cannot renew warns at 80 % of its lifetime, 7 days, 1 day and expiry, each once, at that instant', async () => {
  const r = rig();
  r.svc.add({ id: 'corp', name: 'Corp VPN', source: 'imported', notBefore: T0, notAfter: at(90 * DAY) });
  r.scheduler.start();
  await r.advanceTo(at(91 * DAY));
  assert.equal(r.svc.callsOf('renew').length, 0, 'an imported identity is never renewed by us');
  assert.deepEqual(
    r.notes.map((n) => [n.kind, n.at, n.title]),
    [
      ['warning', at(72 * DAY).toISOString(), 'Corp VPN: certificate 80% through its lifetime'],
      ['warning', at(83 * DAY).toISOString(), 'Corp VPN: certificate expires within a week'],
      ['warning', at(89 * DAY).toISOString(), 'Corp VPN: certificate expires within a day'],
      ['warning', at(90 * DAY).toISOString(), 'Corp VPN: certificate has expired'],
    ],
  );
  assert.ok(r.notes.every((n) => n.snoozable && n.profileId === 'corp'));
  assert.match(r.notes[0]!.body, /renew it with your CA/);
  assert.equal(r.notes[3]?.urgent, true);
  r.scheduler.stop();
});

test('automatic renewal off: no renewal, warnings say so', async () => {
  const r = rig();
  r.svc.add({ id: 'a', notBefore: T0, notAfter: at(10 * DAY), policy: { ...DEFAULT_RENEWAL_POLICY, auto: false } });
  r.scheduler.start();
  await r.advanceTo(at(8 * DAY));
  assert.equal(r.svc.callsOf('renew').length, 0);
  // 10-day certificate: 7 days left at day 3 (80 % comes later, at a lower severity)
  assert.deepEqual(r.notes.map((n) => n.at), [at(3 * DAY).toISOString()]);
  assert.match(r.notes[0]!.body, /not renewed automatically/);
  r.scheduler.stop();
});

test('a snooze silences a profile until it ends, then the warning comes at the snooze end', async () => {
  const r = rig();
  r.svc.add({ id: 'corp', source: 'imported', notBefore: T0, notAfter: at(90 * DAY) });
  r.scheduler.start();
  await r.advanceTo(at(71 * DAY));
  r.scheduler.snooze('corp', at(73 * DAY + 5 * 60_000));
  await r.scheduler.idle();
  await r.advanceTo(at(74 * DAY));
  assert.deepEqual(r.notes.map((n) => n.at), [at(73 * DAY + 5 * 60_000).toISOString()]);
  assert.deepEqual(Object.keys(r.prefs.get('snoozes')), ['corp']);
  r.scheduler.stop();
});

test('warnings already shown are not repeated after a restart; a new certificate starts afresh', async () => {
  const prefs = createMemoryPreferences();
  const clock = new FakeClock(T0);
  const svc = new FakeAppService(clock.now);
  svc.add({ id: 'corp', source: 'imported', notBefore: T0, notAfter: at(90 * DAY) });
  const first = rig({ clock, svc, prefs });
  first.scheduler.start();
  await first.advanceTo(at(75 * DAY));
  first.scheduler.stop();
  assert.equal(first.notes.length, 1);

  const second = rig({ clock, svc, prefs });
  second.scheduler.start();
  await second.scheduler.idle();
  assert.equal(second.notes.length, 0, 'the 80 % warning was shown before the restart');
  // the CA issued a new certificate (new serial) that is already past 80 %
  const p = svc.profiles.get('corp')!;
  p.serial = 'feedface';
  p.notBefore = at(0);
  p.notAfter = at(90 * DAY);
  second.scheduler.poke();
  await second.scheduler.idle();
  assert.equal(second.notes.length, 1);
  second.scheduler.stop();
});

test('pending CSR and unreadable profiles are skipped; other profiles still renew', async () => {
  const r = rig();
  r.svc.add({ id: 'csr', source: 'csr', pending: true });
  r.svc.add({ id: 'bad', broken: true });
  r.svc.add({ id: 'good', notBefore: T0, notAfter: at(3 * DAY) });
  const due = renewAtOf(r.svc, 'good');
  r.scheduler.start();
  await r.advanceTo(due);
  assert.deepEqual(r.svc.callsOf('renew'), [['good']]);
  // a 3-day certificate is "within a week of expiry" from birth; renewed on schedule, that is no news
  assert.equal(r.notes.length, 0);
  r.scheduler.stop();
});

test('a short-lived renewable certificate warns only once its renewal is overdue', async () => {
  const r = rig();
  r.svc.add({ id: 'short', notBefore: T0, notAfter: at(DAY) });
  const due = renewAtOf(r.svc, 'short');
  r.svc.renewFailures = 100;
  r.scheduler.start();
  await r.advanceTo(new Date(due.getTime() - 1));
  assert.equal(r.notes.length, 0, 'on schedule: silent, although less than a day is left');
  await r.advanceTo(due);
  assert.deepEqual(r.notes.map((n) => n.kind), ['renew-failed', 'warning']);
  assert.match(r.notes[1]!.title, /within a day/);
  assert.match(r.notes[1]!.body, /Automatic renewal has not succeeded yet/);
  await r.advanceTo(at(DAY));
  assert.deepEqual(r.notes.map((n) => n.kind), ['renew-failed', 'warning', 'warning']);
  assert.match(r.notes[2]!.title, /has expired/);
  assert.equal(r.notes[2]?.at, at(DAY).toISOString());
  r.scheduler.stop();
});

test('an expired renewable certificate (laptop was off) is renewed at once on start', async () => {
  const r = rig();
  r.svc.add({ id: 'a', notBefore: at(-40 * DAY), notAfter: at(-10 * DAY) });
  r.scheduler.start();
  await r.scheduler.idle();
  assert.deepEqual(r.svc.timesOf('renew'), [T0.toISOString()]);
  // renewed before the expiry warning was raised: nothing to warn about any more
  assert.equal(r.notes.length, 0);
  r.scheduler.stop();
});

test('stop() leaves no timer behind; a list failure is retried in a minute', async () => {
  const r = rig();
  r.svc.listError = new Error('EIO');
  r.scheduler.start();
  await r.scheduler.idle();
  assert.equal(r.scheduler.nextWakeAt()?.toISOString(), at(60_000).toISOString());
  r.scheduler.stop();
  assert.equal(r.clock.pendingCount(), 0);
});
