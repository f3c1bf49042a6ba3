// tier: integration
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isNewWarning, warningNotice } from '../../main/scheduler/notices';
import { planInputFromStatus } from '../../main/scheduler/plan-input';
import { parseSan } from '../../main/credentials/reading';
import { planRenewal } from '../../main/profiles/renewal-policy';
import { createAppService } from '../../main/services/create-app-service';
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

test('planInputFromStatus hands the scheduler the real service plan: its policy, its renewal instant, its canRenew', async () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const home = mkdtempSync(join(tmpdir(), 'mtls-notices-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const dataDir = join(home, 'data');
  const svc = createAppService({ dataDir, env: { HOME: home }, platform: 'linux', homedir: home, cliCommand: ['node', 'cli.js'], now: () => now, vars: { user: 'al', hostname: 'box' } });
  await svc.init({ url: 'https://a.example.com', name: 'a', identity: { kind: 'self-signed' }, days: 30, noSettings: true });
  await svc.init({ url: 'https://off.example.com', name: 'off', identity: { kind: 'self-signed' }, days: 30, noSettings: true });
  const offFile = join(dataDir, 'profiles', 'off', 'profile.json');
  const off = JSON.parse(readFileSync(offFile, 'utf8'));
  writeFileSync(offFile, JSON.stringify({ ...off, renewal: { ...off.renewal, auto: false, renewAt: 0.5 } }));
  const mk = await import('../../main/credentials/making');
  const keyPem = await mk.generateKey('ecdsa-p256');
  const certPem = await mk.createSelfSignedClientCert({ keyPem, sans: [parseSan('DNS:imp.example')], commonName: 'imp', days: 30, now });
  await svc.init({ url: 'https://imp.example.com', name: 'imp', identity: { kind: 'import-pem', certPem, keyPem }, noSettings: true });

  const st = (await svc.status('a'))!;
  const input = planInputFromStatus(st)!;
  assert.deepEqual(input.policy, DEFAULT_RENEWAL_POLICY);
  assert.equal(input.canRenew, true);
  // The scheduler's plan (no failed attempt yet) is the one the window shows.
  const plan = planRenewal({ validity: input.validity, policy: input.policy, canRenew: input.canRenew, now });
  assert.equal(plan.renewAt.toISOString(), st.renewal!.renewAt);
  assert.equal(plan.next.action, st.renewal!.action);
  assert.equal(st.renewal!.warning, plan.warning);

  const offInput = planInputFromStatus((await svc.status('off'))!)!;
  assert.deepEqual([offInput.policy.auto, offInput.policy.renewAt], [false, 0.5]);
  assert.equal(planRenewal({ validity: offInput.validity, policy: offInput.policy, canRenew: offInput.canRenew, now }).next.action, 'manual');
  const imp = planInputFromStatus((await svc.status('imp'))!)!;
  assert.equal(imp.canRenew, false);
  await svc.init({ url: 'https://csr.example.com', name: 'csr', identity: { kind: 'csr' }, noSettings: true });
  assert.equal(planInputFromStatus((await svc.status('csr'))!), null);
});
