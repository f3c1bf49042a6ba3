import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildTrayMenu, statusLine, type TrayMenuItem } from '../../main/tray/tray-menu';
import { allTrayIconFiles, TOOLTIP_MAX, trayIconFile, trayIconState, trayTooltip } from '../../main/tray/tray-icon';
import { describeTimeLeft } from '../../main/base/time-left';
import { EMPTY_TRAY_STATE, loadTrayState, type TrayState } from '../../main/tray/tray-state';
import type { ProfileSummaryDto } from '../../main/services/app-service';
import { canRenewUnattended } from '../../main/profiles/profile';

function profile(p: Partial<ProfileSummaryDto> & { id: string }): ProfileSummaryDto {
  const base = { name: p.id, url: 'https://coder.example', altHost: null, source: 'self-signed' as const, sans: [], pending: false, active: false, notAfter: '2026-02-01T00:00:00.000Z', daysLeft: 20.5, level: 'ok' as const, ...p };
  // The service's classifier decides canRenew; the tests ask it the same way.
  return { canRenew: canRenewUnattended(base), canRotate: canRenewUnattended(base), ...base };
}
function state(active: ProfileSummaryDto | null, extra: Partial<TrayState> = {}, others: ProfileSummaryDto[] = []): TrayState {
  const a = active ? { ...active, active: true } : null;
  return { ...EMPTY_TRAY_STATE, profiles: a ? [a, ...others] : others, active: a, ...extra };
}
type Labelled = Exclude<TrayMenuItem, { kind: 'separator' }>;
function item(items: TrayMenuItem[], id: string): Labelled {
  for (const i of items) {
    if (i.kind === 'separator') continue;
    if (i.id === id) return i;
    if (i.kind === 'submenu') {
      const found = i.items.find((x): x is Labelled => x.kind !== 'separator' && x.id === id);
      if (found) return found;
    }
  }
  throw new Error(`no item ${id}`);
}
const enabled = (items: TrayMenuItem[], id: string) => {
  const i = item(items, id);
  return 'enabled' in i ? i.enabled : false;
};
/** The fixed skeleton: ids (and separators) in order, whatever the state. */
const skeleton = (items: TrayMenuItem[]) => items.map((i) => (i.kind === 'separator' ? '-' : i.id));
const SKELETON = ['status', '-', 'rotate', 'renew', 'request-csr', 'import-cert', 'setup-issuer', 'switch', '-', 'open', 'export', 'test', '-', 'launch-at-login', 'quit'];

test('healthy self-signed profile: status line with days left, every action enabled', () => {
  const s = state(profile({ id: 'acme', name: 'Acme prod', daysLeft: 20.5 }), { launchAtLogin: true });
  const m = buildTrayMenu(s);
  assert.deepEqual(skeleton(m), SKELETON);
  assert.equal(item(m, 'status').label, 'Acme prod: 20 days left');
  for (const id of ['rotate', 'renew', 'switch', 'open', 'export', 'test', 'launch-at-login', 'quit']) assert.equal(enabled(m, id), true, id);
  assert.equal(item(m, 'rotate').label, 'Rotate certificate');
  const login = item(m, 'launch-at-login');
  assert.ok(login.kind === 'checkbox' && login.checked);
  assert.deepEqual((item(m, 'rotate') as { action: unknown }).action, { type: 'rotate' });
  assert.equal(trayIconState(s), 'ok');
});

test('no profile yet: set-up entry, profile actions disabled, attention icon', () => {
  const s = state(null);
  const m = buildTrayMenu(s);
  assert.deepEqual(skeleton(m), SKELETON);
  assert.equal(item(m, 'status').label, 'No profile yet: open to set up');
  assert.equal(item(m, 'open').label, 'Set up…');
  for (const id of ['rotate', 'renew', 'switch', 'export', 'test']) assert.equal(enabled(m, id), false, id);
  for (const id of ['open', 'launch-at-login', 'quit']) assert.equal(enabled(m, id), true, id);
  assert.equal(item(m, 'switch:none').label, 'No profiles');
  assert.equal(trayIconState(s), 'expiring');
});

test('expiring, expired and broken profiles: status words and icon per state', () => {
  const exp = state(profile({ id: 'a', name: 'A', daysLeft: 0.3, level: 'expiring' }));
  assert.equal(statusLine(exp), 'A: 7 hours left');
  assert.equal(trayIconState(exp), 'expiring');
  const gone = state(profile({ id: 'a', name: 'A', daysLeft: -2.5, level: 'expired' }));
  assert.equal(statusLine(gone), 'A: expired 2 days ago');
  assert.equal(trayIconState(gone), 'error');
  // an expired certificate can still be rotated or renewed from the tray
  assert.equal(enabled(buildTrayMenu(gone), 'rotate'), true);
  const broken = state(profile({ id: 'a', name: 'A', daysLeft: null, notAfter: null, level: 'broken' }));
  assert.equal(statusLine(broken), 'A: credentials missing or unreadable');
  assert.equal(trayIconState(broken), 'error');
});

test('identities we cannot reissue (CSR pending, imported): rotate and renew disabled, the rest works', () => {
  const pending = state(profile({ id: 'c', name: 'Corp', source: 'csr', pending: true, daysLeft: null, notAfter: null, level: 'pending' }));
  const m = buildTrayMenu(pending);
  assert.equal(item(m, 'status').label, 'Corp: waiting for the certificate from your CA');
  assert.equal(enabled(m, 'rotate'), false);
  assert.equal(enabled(m, 'renew'), false);
  assert.equal(enabled(m, 'export'), true);
  assert.equal(enabled(m, 'import-cert'), true, 'its first certificate comes through the tray too');
  assert.equal(enabled(m, 'setup-issuer'), false, 'nothing to renew before the first certificate');
  assert.equal(trayIconState(pending), 'expiring');
  const imported = buildTrayMenu(state(profile({ id: 'i', source: 'imported' })));
  assert.equal(enabled(imported, 'rotate'), false);
  assert.equal(enabled(imported, 'test'), true);
});

test('switch profile: one radio item per profile, the active one checked', () => {
  const s = state(profile({ id: 'a', name: 'Alpha & Co' }), {}, [profile({ id: 'b', name: 'Beta' }), profile({ id: 'c', name: 'Gamma\nnewline' })]);
  const sub = item(buildTrayMenu(s), 'switch');
  assert.ok(sub.kind === 'submenu');
  assert.deepEqual(
    sub.items.map((i) => (i.kind === 'radio' ? [i.id, i.label, i.checked, i.action] : null)),
    [
      ['switch:a', 'Alpha & Co', true, { type: 'switch', profileId: 'a' }],
      ['switch:b', 'Beta', false, { type: 'switch', profileId: 'b' }],
      ['switch:c', 'Gamma newline', false, { type: 'switch', profileId: 'c' }],
    ],
  );
});

test('while an action runs its status shows and every profile action is disabled', () => {
  const s = state(profile({ id: 'a', name: 'A' }), { busy: 'rotate' });
  const m = buildTrayMenu(s);
  assert.equal(item(m, 'status').label, 'Rotating certificate…');
  for (const id of ['rotate', 'renew', 'switch', 'export', 'test']) assert.equal(enabled(m, id), false, id);
  assert.equal(enabled(m, 'quit'), true);
  // the tooltip still names the profile and its time left
  assert.match(trayTooltip(s), /^mtls-tray: A: 20 days left$/);
});

test('unreadable data directory: error shown, icon error, app still quittable', () => {
  const s = state(null, { loadError: 'EACCES: permission denied, scandir /home/u/.local/share/mtls-tray/profiles' });
  const m = buildTrayMenu(s);
  assert.match(item(m, 'status').label, /^Cannot read profiles: EACCES/);
  assert.ok(item(m, 'status').label.length <= 100);
  assert.equal(trayIconState(s), 'error');
  assert.equal(enabled(m, 'quit'), true);
});

test('tooltip: active profile and days left, bounded to what Windows shows', () => {
  assert.equal(trayTooltip(state(profile({ id: 'a', name: 'Acme', daysLeft: 1.2 }))), 'mtls-tray: Acme: 1 day left');
  const long = trayTooltip(state(profile({ id: 'a', name: 'x'.repeat(300) })));
  assert.ok(long.length <= TOOLTIP_MAX);
  assert.ok(long.endsWith('…'));
});

test('time-left wording at the boundaries', () => {
  assert.equal(describeTimeLeft(30), '30 days left');
  assert.equal(describeTimeLeft(1), '1 day left');
  assert.equal(describeTimeLeft(0.99), '23 hours left');
  assert.equal(describeTimeLeft(1 / 24), '1 hour left');
  assert.equal(describeTimeLeft(0.01), 'less than an hour left');
  assert.equal(describeTimeLeft(0), 'expired just now');
  assert.equal(describeTimeLeft(-0.5), 'expired 12 hours ago');
  assert.equal(describeTimeLeft(-1), 'expired 1 day ago');
});

test('icon files per platform: template PNG on macOS, ICO on Windows, PNG on Linux; all exist in assets/', () => {
  assert.equal(trayIconFile('ok', 'darwin'), 'tray-okTemplate.png');
  assert.equal(trayIconFile('error', 'win32'), 'tray-error.ico');
  assert.equal(trayIconFile('expiring', 'linux'), 'tray-expiring.png');
  for (const f of allTrayIconFiles()) assert.ok(existsSync(fileURLToPath(new URL(`../../assets/${f}`, import.meta.url))), f);
});

test('loadTrayState: finds the active profile; a failing service becomes an error state, not an exception', async () => {
  const ok = await loadTrayState({ listProfiles: async () => [profile({ id: 'a' }), profile({ id: 'b', active: true })] }, { busy: null, launchAtLogin: true });
  assert.equal(ok.active?.id, 'b');
  assert.equal(ok.launchAtLogin, true);
  const bad = await loadTrayState({ listProfiles: async () => { throw new Error('disk on fire'); } }, { busy: null, launchAtLogin: false });
  assert.equal(bad.loadError, 'disk on fire');
  assert.equal(bad.active, null);
});

test('a CA-issued profile with an issuer command: renew is offered, rotate is not (a new key is a re-enrolment)', () => {
  const p = profile({ id: 'corp', source: 'csr', canRenew: true, canRotate: false });
  const items = buildTrayMenu(state(p));
  assert.equal(enabled(items, 'renew'), true);
  assert.equal(enabled(items, 'rotate'), false);
});

test('the CA-issued actions of issue 12: offered for a CA-issued active profile only, greyed (never removed) otherwise', () => {
  const ids = ['request-csr', 'import-cert', 'setup-issuer'];
  const corp = buildTrayMenu(state(profile({ id: 'corp', name: 'Corp', source: 'imported' })));
  for (const id of ids) assert.equal(enabled(corp, id), true, id);
  assert.deepEqual(ids.map((id) => item(corp, id).label), ['Request a new certificate…', 'Import issued certificate…', 'Set up automatic renewal…']);
  assert.deepEqual((item(corp, 'request-csr') as { action: unknown }).action, { type: 'request-csr' });
  assert.deepEqual((item(corp, 'import-cert') as { action: unknown }).action, { type: 'import-cert' });
  assert.deepEqual((item(corp, 'setup-issuer') as { action: unknown }).action, { type: 'setup-issuer' });
  assert.equal(enabled(corp, 'renew'), false, 'no issuer command: no Renew now');
  const selfSigned = buildTrayMenu(state(profile({ id: 'a' })));
  assert.deepEqual(skeleton(selfSigned), SKELETON);
  for (const id of ids) assert.equal(enabled(selfSigned, id), false, `${id} greyed for a self-signed profile`);
  for (const id of ids) assert.equal(enabled(buildTrayMenu(state(null)), id), false, `${id} greyed without a profile`);
  const busy = buildTrayMenu(state(profile({ id: 'corp', source: 'csr' }), { busy: 'reenrol' }));
  assert.equal(item(busy, 'status').label, 'Re-enrolling…');
  for (const id of ids) assert.equal(enabled(busy, id), false, `${id} greyed while a re-enrolment runs`);
});
