import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RENEWAL_POLICY } from '../../main/profiles/profile';
import { RETRY_MAX_MS, RETRY_MIN_MS, backoffMs, jitterFromSerial, planRenewal, warningLevel, type Validity } from '../../main/profiles/renewal-policy';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
function validity(days: number): Validity {
  return { notBefore: at(0), notAfter: at(days * DAY), serial: '0a1b2c' };
}
const policy = DEFAULT_RENEWAL_POLICY;

test('renews at two thirds of the actual lifetime minus the jitter, for short and long certificates', () => {
  for (const days of [1, 7, 30, 90, 365]) {
    for (const random of [0, 0.5, 0.999]) {
      const v = validity(days);
      const plan = planRenewal({ validity: v, policy, now: at(0), canRenew: true, random });
      const expected = T0 + (days * DAY * 2) / 3 - days * DAY * (1 / 20) * random;
      assert.ok(Math.abs(plan.renewAt.getTime() - expected) < 2, `${days}d r=${random}`);
      assert.equal(plan.next.action, 'wait');
      assert.equal(plan.next.at.getTime(), plan.renewAt.getTime());
      // one millisecond before: still waiting; at the instant: renew
      const before = planRenewal({ validity: v, policy, now: new Date(plan.renewAt.getTime() - 1), canRenew: true, random });
      assert.equal(before.next.action, 'wait');
      const due = planRenewal({ validity: v, policy, now: plan.renewAt, canRenew: true, random });
      assert.equal(due.next.action, 'renew');
    }
  }
});

test('jitter never moves renewal earlier than 2/3 - 1/20 of the lifetime, nor later than 2/3', () => {
  const v = validity(30);
  for (let i = 0; i < 200; i++) {
    const plan = planRenewal({ validity: v, policy, now: at(0), canRenew: true, random: i / 200 });
    const share = (plan.renewAt.getTime() - T0) / (30 * DAY);
    assert.ok(share <= 2 / 3 + 1e-12 && share >= 2 / 3 - 1 / 20 - 1e-12, String(share));
  }
});

test('the default jitter comes from the serial, so the plan survives a restart', () => {
  const a = jitterFromSerial('0A1B2C');
  assert.equal(a, jitterFromSerial('0a1b2c'));
  assert.ok(a >= 0 && a < 1);
  assert.notEqual(a, jitterFromSerial('0a1b2d'));
  const v = validity(30);
  const p1 = planRenewal({ validity: v, policy, now: at(DAY), canRenew: true });
  const p2 = planRenewal({ validity: v, policy, now: at(5 * DAY), canRenew: true });
  assert.equal(p1.renewAt.getTime(), p2.renewAt.getTime());
});

test('after a failure: retry in 1 minute, doubling, capped at 1 hour', () => {
  assert.equal(backoffMs(0), 0);
  assert.equal(backoffMs(1), RETRY_MIN_MS);
  assert.equal(backoffMs(2), 2 * RETRY_MIN_MS);
  assert.equal(backoffMs(3), 4 * RETRY_MIN_MS);
  assert.equal(backoffMs(6), 32 * RETRY_MIN_MS);
  assert.equal(backoffMs(7), RETRY_MAX_MS);
  assert.equal(backoffMs(1000), RETRY_MAX_MS);
  const v = validity(30);
  const due = at(25 * DAY);
  for (let failures = 1; failures <= 10; failures++) {
    const last = { at: due, ok: false, failures };
    const plan = planRenewal({ validity: v, policy, now: due, canRenew: true, random: 0, last });
    assert.equal(plan.next.action, 'retry');
    assert.equal(plan.next.at!.getTime() - due.getTime(), backoffMs(failures));
    const later = planRenewal({ validity: v, policy, now: new Date(due.getTime() + backoffMs(failures)), canRenew: true, random: 0, last });
    assert.equal(later.next.action, 'renew');
  }
});

test('a successful last attempt does not delay a renewal that is due', () => {
  const plan = planRenewal({ validity: validity(30), policy, now: at(25 * DAY), canRenew: true, random: 0, last: { at: at(25 * DAY), ok: true, failures: 0 } });
  assert.equal(plan.next.action, 'renew');
});

test('expired and not-yet-valid certificates are renewed at once when we can', () => {
  const v = validity(30);
  assert.equal(planRenewal({ validity: v, policy, now: at(31 * DAY), canRenew: true }).next.action, 'renew');
  assert.equal(planRenewal({ validity: v, policy, now: at(-DAY), canRenew: true }).next.action, 'renew');
});

test('CSR and imported identities, or auto-renew off, only warn', () => {
  const v = validity(30);
  const manual = planRenewal({ validity: v, policy, now: at(25 * DAY), canRenew: false });
  assert.equal(manual.next.action, 'manual');
  assert.match(manual.next.reason, /CA/);
  const off = planRenewal({ validity: v, policy: { ...policy, auto: false }, now: at(25 * DAY), canRenew: true });
  assert.equal(off.next.action, 'manual');
  assert.match(off.next.reason, /off/);
});

test('warning levels at 80 % of lifetime, 7 days and 1 day, in order, with the next one announced', () => {
  const v = validity(90);
  const cases: Array<[number, string, number | null]> = [
    [0, 'ok', 72 * DAY],
    [72 * DAY - 1, 'ok', 72 * DAY],
    [72 * DAY, 'lifetime-80', 83 * DAY],
    [83 * DAY, 'days-7', 89 * DAY],
    [89 * DAY, 'days-1', 90 * DAY],
    [90 * DAY, 'expired', null],
  ];
  for (const [t, level, next] of cases) {
    const w = warningLevel(v, at(t));
    assert.equal(w.level, level, `at ${t / DAY}d`);
    assert.equal(w.next?.getTime() ?? null, next === null ? null : T0 + next);
  }
  // For a 7-day certificate, "7 days left" comes before 80 % of lifetime.
  const short = validity(7);
  assert.equal(warningLevel(short, at(1)).level, 'days-7');
  assert.equal(warningLevel(short, at(5.6 * DAY)).level, 'days-7');
  assert.equal(warningLevel(short, at(6 * DAY)).level, 'days-1');
  assert.equal(warningLevel(v, at(-1)).level, 'not-yet-valid');
});

test('lifetime used and days left are reported', () => {
  const plan = planRenewal({ validity: validity(10), policy, now: at(2.5 * DAY), canRenew: true });
  assert.equal(plan.lifetimeUsed, 0.25);
  assert.equal(plan.daysLeft, 7.5);
});
