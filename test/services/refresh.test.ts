import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { DEFAULT_RENEWAL_POLICY } from '../../main/profiles/profile';
import { certState, refreshActive, type RefreshDeps, type RefreshProblem } from '../../main/services/refresh';
import { renewProfile } from '../../main/services/reissue';
import { HEADERS, awkwardDataDir, newStore, seedProfile } from '../store/helpers';

const DAY = 86_400_000;

function deps(o: Partial<RefreshDeps> & { now: Date }, calls: { renew: number; fixes: RefreshProblem[] }): RefreshDeps {
  return {
    rejected: false,
    policy: () => DEFAULT_RENEWAL_POLICY,
    canRenew: () => true,
    renew: async () => void calls.renew++,
    describeManualFix: (_id, problem) => {
      calls.fixes.push(problem);
      return 'Ask your CA for a new certificate,\nthen run `mtls-tray csr import-cert`.';
    },
    ...o,
  };
}

test('certState: expired, not yet valid, expiring (past the policy renewal time or under a day), valid', () => {
  const info = (nb: string, na: string) => ({ notBefore: nb, notAfter: na, serial: '01' });
  const month = info('2030-01-01T00:00:00Z', '2030-01-31T00:00:00Z');
  const exact = { ...DEFAULT_RENEWAL_POLICY, jitter: 0 };
  assert.equal(certState(month, exact, new Date('2030-01-05T00:00:00Z')), 'valid');
  assert.equal(certState(month, exact, new Date('2030-01-20T23:59:59Z')), 'valid');
  assert.equal(certState(month, exact, new Date('2030-01-21T00:00:01Z')), 'expiring');
  assert.equal(certState(month, exact, new Date('2030-01-31T00:00:00Z')), 'expired');
  assert.equal(certState(month, exact, new Date('2029-12-31T23:59:59Z')), 'not-yet-valid');
  assert.equal(certState(info('2030-01-01T00:00:00Z', '2030-01-01T20:00:00Z'), exact, new Date('2030-01-01T00:00:01Z')), 'expiring', 'under a day left');
  // The profile's own share, not a fixed two thirds.
  assert.equal(certState(month, { ...exact, renewAt: 0.5 }, new Date('2030-01-16T00:00:01Z')), 'expiring');
  assert.equal(certState(month, exact, new Date('2030-01-16T00:00:01Z')), 'valid');
});

test('refresh decisions with a stand-in renew: when to renew, when to tell the user, the rate limit', async () => {
  const store = newStore(awkwardDataDir());
  const t0 = new Date();
  const calls = { renew: 0, fixes: [] as RefreshProblem[] };

  assert.deepEqual(await refreshActive(store, deps({ now: t0 }, calls)), {
    ok: false, profileId: null, problem: 'no-active',
    message: 'No mtls-tray profile is active: run `mtls-tray init` to create one or `mtls-tray switch NAME` to pick one.',
  });

  const { info } = await seedProfile(store, 'acme', { days: 30, now: t0 });
  const later = (ms: number) => new Date(t0.getTime() + ms);
  // Valid and nobody complained: nothing to do.
  let r = await refreshActive(store, deps({ now: later(DAY) }, calls));
  assert.deepEqual([r.ok, r.ok && r.action, calls.renew], [true, 'none', 0]);
  // Rejected by the server: renew (when the profile can).
  r = await refreshActive(store, deps({ now: later(DAY), rejected: true }, calls));
  assert.deepEqual([r.ok, r.ok && r.action, calls.renew], [true, 'renewed', 1]);
  // Rejected 5 s after it was made (revoked, or the gateway's CA list changed): a fresh
  // certificate refused for the first time is renewed once more, not reported as fine.
  r = await refreshActive(store, deps({ now: later(5_000), rejected: true }, calls));
  assert.deepEqual([r.ok, r.ok && r.action, calls.renew], [true, 'renewed', 2], r.message);
  assert.match(r.message, /the server refused the previous one, 5 s old/);
  // Made 0.5 s before this refresh started: another refresh of the same burst renewed; no lock, no renewal.
  r = await refreshActive(store, deps({ now: later(500), rejected: true }, calls));
  assert.deepEqual([r.ok, r.ok && r.action, calls.renew], [true, 'none', 2]);
  assert.match(r.message, /just renewed by another mtls-tray process/);
  // Expired: renewed; a renew that leaves it expired is a failure, not a success.
  r = await refreshActive(store, deps({ now: later(31 * DAY), rejected: true }, calls));
  assert.deepEqual([r.ok, !r.ok && r.problem, calls.renew], [false, 'expired', 3]);
  assert.match(r.message, /did not produce a valid one \(it has expired\)/);
  // Expiring: renew without being asked.
  r = await refreshActive(store, deps({ now: later(25 * DAY) }, calls));
  assert.deepEqual([r.ok, r.ok && r.action, calls.renew], [true, 'renewed', 4]);
  // Expired and the profile cannot renew (CSR / imported): fail with the manual fix.
  r = await refreshActive(store, deps({ now: later(31 * DAY), canRenew: () => false }, calls));
  assert.equal(r.ok, false);
  assert.match(r.message, /^The certificate of profile acme has expired \(valid until \S+\)\. Ask your CA/);
  assert.equal(calls.fixes.at(-1), 'expired');
  // Expiring but still valid and not rejected, cannot renew: fine for now, with a warning.
  r = await refreshActive(store, deps({ now: later(25 * DAY), canRenew: () => false }, calls));
  assert.equal(r.ok, true);
  assert.match(r.message, /expires soon\. Ask your CA/);
  // Rejected and cannot renew.
  r = await refreshActive(store, deps({ now: later(DAY), canRenew: () => false, rejected: true }, calls));
  assert.deepEqual([r.ok, !r.ok && r.problem], [false, 'rejected']);
  // A renew that leaves an expired certificate in place is a failure, not a success.
  r = await refreshActive(store, deps({ now: later(40 * DAY) }, calls));
  assert.equal(r.ok, false);
  assert.match(r.message, /did not produce a valid one \(it has expired\)/);
  assert.equal(info.number, 1);
  assert.equal(calls.renew, 5);
});

test('refresh for real: an expired self-signed certificate is renewed and openssl finds it valid', async () => {
  const store = newStore(awkwardDataDir());
  const past = new Date(Date.now() - 3 * DAY);
  await seedProfile(store, 'acme', { days: 1, now: past });
  const before = await store.readCurrent();
  const real = { renew: (id: string) => renewProfile(store, id, { days: 7, headers: HEADERS }), policy: () => DEFAULT_RENEWAL_POLICY, canRenew: () => true, describeManualFix: () => 'n/a' };
  const r = await refreshActive(store, { now: new Date(), rejected: true, ...real });
  assert.equal(r.ok, true, r.message);
  const after = (await store.readCurrent())!;
  assert.equal(after.key, before!.key);
  assert.notEqual(after.info.serial, before!.info.serial);
  const check = spawnSync('openssl', ['x509', '-in', store.paths.cert, '-noout', '-checkend', String(6 * 86400)], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
});

test('two editor windows refreshing at once renew once; the second finds the new certificate', async () => {
  const store = newStore(awkwardDataDir());
  await seedProfile(store, 'acme', { days: 30, now: new Date(Date.now() - 2 * DAY) });
  let renewals = 0;
  const now = new Date();
  const d: RefreshDeps = {
    now,
    rejected: true,
    policy: () => DEFAULT_RENEWAL_POLICY,
    canRenew: () => true,
    describeManualFix: () => 'fix it',
    renew: async (id) => {
      renewals++;
      await new Promise((r) => setTimeout(r, 5));
      return renewProfile(store, id, { days: 30, headers: HEADERS, now: new Date(now.getTime() + 1) });
    },
  };
  const [a, b] = await Promise.all([refreshActive(store, d), refreshActive(newStore(store.dataDir), d)]);
  assert.equal(renewals, 1);
  assert.deepEqual([a.ok, b.ok], [true, true]);
  // Either may take the lock first; the other finds the certificate it just made.
  const messages = [a.message, b.message];
  assert.equal(messages.filter((m) => /just renewed by another mtls-tray process/.test(m)).length, 1, messages.join(' | '));
  assert.equal(messages.filter((m) => /^Renewed the certificate/.test(m)).length, 1, messages.join(' | '));
});

test('2 fresh certificates refused in a row: exit 1 with the diagnosis, no third renewal; valid and not refused takes no lock', async () => {
  const store = newStore(awkwardDataDir());
  await seedProfile(store, 'acme', { days: 30 });
  let renewals = 0;
  const d = (now: Date): RefreshDeps => ({
    now,
    rejected: true,
    sameBurstMs: 0,
    policy: () => DEFAULT_RENEWAL_POLICY,
    canRenew: () => true,
    describeManualFix: () => 'run `mtls-tray doctor`',
    diagnose: async () => 'the server refused the handshake with TLS alert 42 bad certificate; fix: have the gateway trust our issuer',
    renew: async (id) => {
      renewals++;
      return renewProfile(store, id, { days: 30, headers: HEADERS });
    },
  });
  const first = await refreshActive(store, d(new Date(Date.now() + 2_000)));
  assert.equal(first.ok && first.action, 'renewed', first.message);
  const second = await refreshActive(store, d(new Date(Date.now() + 2_000)));
  assert.equal(second.ok, false);
  assert.equal(renewals, 1);
  assert.match(second.message, /^The gateway refused 2 fresh certificates of profile acme in a row \(the current one is \d+ s old\), so renewing again will not help: the server refused the handshake with TLS alert 42/);
  assert.ok(!second.message.includes('\n'));
  // Valid and nobody complained: answered without the writer lock (works on a read-only data dir).
  let locked = false;
  const spy = Object.create(store) as typeof store;
  spy.withWriteLock = (async () => { locked = true; throw new Error('no lock expected'); }) as typeof store.withWriteLock;
  const fine = await refreshActive(spy, { ...d(new Date(Date.now() + 120_000)), rejected: false });
  assert.deepEqual([fine.ok, locked], [true, false]);
});

test('a read-only data dir: a renewal that cannot take the lock still exits 0 while valid credentials are in place', async () => {
  const store = newStore(awkwardDataDir());
  await seedProfile(store, 'acme', { days: 30, now: new Date(Date.now() - 2 * DAY) });
  const ro = Object.create(store) as typeof store;
  ro.withWriteLock = (async () => {
    throw Object.assign(new Error("EROFS: read-only file system, open '/data/.lock'"), { code: 'EROFS' });
  }) as typeof store.withWriteLock;
  const r = await refreshActive(ro, { now: new Date(), rejected: true, policy: () => DEFAULT_RENEWAL_POLICY, canRenew: () => true, describeManualFix: () => 'n/a', renew: async () => assert.fail('no renewal') });
  assert.equal(r.ok, true, r.message);
  assert.match(r.message, /valid until \S+; the data directory is read-only, so it was not renewed/);
});
