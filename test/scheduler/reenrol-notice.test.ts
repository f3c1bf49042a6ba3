// tier: integration
/**
 * Issue 12, notifications: a CA-issued profile without an issuer command is reminded at the
 * policy thresholds with the re-enrolment action; with an issuer command it renews instead.
 * Real service and files, `openssl ca` as the CA, the scheduler's clock moved on.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createNotifier, noticeActions, notificationOptions } from '../../main/app/notifier';
import { createMemoryPreferences } from '../../main/app/preferences';
import type { AppNotice } from '../../main/base/notice';
import { warningNotice } from '../../main/scheduler/notices';
import { createRenewalScheduler } from '../../main/scheduler/renewal-scheduler';
import { createAppService } from '../../main/services/create-app-service';
import { makeOpensslCa } from '../helpers/openssl-ca';

const DAY = 86_400_000;

test('warningNotice: a CA-issued profile without an issuer command gets the re-enrolment action', () => {
  const n = warningNotice({ id: 'corp', name: 'Corp' }, 'days-7', 5, false, true)!;
  assert.deepEqual(n.action, { kind: 'reenrol', label: 'Request a new certificate…' });
  assert.match(n.body, /mtls-tray csr new --profile corp --out corp.csr/);
  assert.match(n.body, /Import issued certificate…/);
  assert.equal(warningNotice({ id: 'a', name: 'A' }, 'days-7', 5, false)!.action, undefined);
  assert.deepEqual(noticeActions(n), ['reenrol', 'snooze']);
  assert.deepEqual(notificationOptions(n, 'darwin').actions?.map((a) => a.text), ['Request a new certificate…', 'Remind me tomorrow']);
});

test('notifier: the re-enrolment button runs the re-enrolment, the other one snoozes', () => {
  const handlers: Record<string, (...a: unknown[]) => void> = {};
  const reenrolled: string[] = [];
  const snoozed: string[] = [];
  const notify = createNotifier({
    createNotification: () => ({ show: () => undefined, on: ((ev: string, fn: (...a: unknown[]) => void) => (handlers[ev] = fn)) as never }),
    isSupported: () => true,
    platform: 'darwin',
    openWindow: () => undefined,
    snooze: (id) => snoozed.push(id),
    reenrol: (id) => reenrolled.push(id),
    now: () => new Date(),
  });
  notify(warningNotice({ id: 'corp', name: 'Corp' }, 'days-1', 0.5, false, true)!);
  handlers['action']!({}, 0);
  handlers['action']!({}, 1);
  assert.deepEqual(reenrolled, ['corp']);
  assert.deepEqual(snoozed, ['corp']);
});

test('scheduler: reminded at the thresholds with the re-enrolment action, until an issuer command renews it', async () => {
  const home = mkdtempSync(join(tmpdir(), 'mtls-reenrol-notice-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
  const ca = makeOpensslCa('Corp Issuing CA', home);
  let shift = 0;
  const now = () => new Date(Date.now() + shift);
  const svc = createAppService({ dataDir: join(home, 'data'), env: { HOME: home, PATH: process.env.PATH }, platform: 'linux', homedir: home, cliCommand: ['node', 'cli.js'], now });
  const init = await svc.init({ url: 'https://coder.corp.test', name: 'corp', identity: { kind: 'csr' }, sans: ['email:dev@corp.test'], noSettings: true });
  await svc.csrImportCert(await ca.sign(init.csrPem!, { days: 10 }), 'corp', { noSettings: true });

  const notes: AppNotice[] = [];
  const memory = createMemoryPreferences();
  const scheduler = createRenewalScheduler({ service: svc, now, timers: { set: () => 0, clear: () => undefined }, notify: (n) => notes.push(n), memory: memory as never });
  const pass = async (days: number) => {
    shift = days * DAY;
    scheduler.poke();
    await scheduler.idle();
  };
  scheduler.start();
  await scheduler.idle();
  assert.equal(notes.length, 0, 'a fresh certificate: nothing to say');
  await pass(8.2); // 82 % of its lifetime, under 2 days left: within a week
  assert.equal(scheduler.lastPass()!.renewed.length, 0, 'no issuer command: never renewed behind the user');
  const w = notes.at(-1)!;
  assert.equal(w.kind, 'warning');
  assert.equal(w.action?.kind, 'reenrol');
  assert.match(w.body, /csr new --profile corp/);
  await pass(9.5);
  assert.match(notes.at(-1)!.title, /within a day/);
  assert.equal(notes.at(-1)!.action?.kind, 'reenrol');

  // With an issuer command, the due certificate is renewed instead of reminded.
  const script = join(home, 'issue.sh');
  writeFileSync(script, `#!/bin/sh\nset -e\nout=$(mktemp)\nopenssl ca -batch -config '${ca.dir}/ca.cnf' -notext -in "$MTLS_TRAY_CSR_FILE" -out "$out" -extensions ext_client -days 10 2>/dev/null\ncat "$out"; rm -f "$out"\n`, { mode: 0o755 });
  await svc.setIssuerCommand('corp', { command: script });
  shift = 0;
  const before = notes.length;
  await pass(9.6);
  scheduler.stop();
  assert.deepEqual(scheduler.lastPass()!.renewed, ['corp'], JSON.stringify(notes.slice(before)));
  assert.equal(notes.slice(before).filter((n) => n.action).length, 0);
});
