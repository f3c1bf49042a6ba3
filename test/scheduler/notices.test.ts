import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNewWarning, warningNotice } from '../../main/scheduler/notices';
import { planInputFromStatus } from '../../main/scheduler/plan-input';
import { FakeAppService, DAY } from '../app/fakes';
import { DEFAULT_RENEWAL_POLICY } from '../../main/profiles/profile';

test('isNewWarning: only a worse level, or any level of a new certificate, is news', () => {
  assert.equal(isNewWarning(undefined, 'ab', 'ok'), false);
  assert.equal(isNewWarning(undefined, 'ab', 'lifetime-80'), true);
  assert.equal(isNewWarning('ab/lifetime-80', 'ab', 'lifetime-80'), false);
  assert.equal(isNewWarning('ab/days-7', 'ab', 'lifetime-80'), false);
  assert.equal(isNewWarning('ab/days-7', 'ab', 'days-1'), true);
  assert.equal(isNewWarning('ab/expired', 'cd', 'lifetime-80'), true);
  assert.equal(isNewWarning('garbage', 'ab', 'days-7'), true);
});

test('warning texts: named profile, time left, what to do; nothing for ok', () => {
  assert.equal(warningNotice({ id: 'a', name: 'A' }, 'ok', 10, true), null);
  const n = warningNotice({ id: 'a', name: 'Acme' }, 'days-7', 6.5, false);
  assert.equal(n?.title, 'Acme: certificate expires within a week');
  assert.match(n!.body, /^6 days left\. This certificate is not renewed automatically/);
  assert.equal(n?.snoozable, true);
});

test('planInputFromStatus reproduces the service planned renewal instant and the auto flag', async () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const svc = new FakeAppService(() => now);
  svc.add({ id: 'a', notBefore: now, notAfter: new Date(now.getTime() + 30 * DAY) });
  svc.add({ id: 'off', notBefore: now, policy: { ...DEFAULT_RENEWAL_POLICY, auto: false } });
  svc.add({ id: 'imp', source: 'imported', notBefore: now });
  const st = (await svc.status('a'))!;
  const input = planInputFromStatus(st)!;
  const renewAt = input.validity.notBefore.getTime() + input.policy.renewAt * (input.validity.notAfter.getTime() - input.validity.notBefore.getTime());
  assert.ok(Math.abs(renewAt - Date.parse(st.renewal!.renewAt!)) < 1);
  assert.equal(input.policy.jitter, 0);
  assert.equal(input.policy.auto, true);
  assert.equal(planInputFromStatus((await svc.status('off'))!)?.policy.auto, false);
  const imp = planInputFromStatus((await svc.status('imp'))!)!;
  assert.equal(imp.canRenew, false);
  svc.add({ id: 'csr', source: 'csr', pending: true });
  assert.equal(planInputFromStatus((await svc.status('csr'))!), null);
});
