// The status view in Chromium against the real handlers and service: warnings for fixture
// certificates (CN only, expired, close to expiry) with the buttons that fix them, renewal and
// rollback through the history, the proxy-setting fix with its diff, fix texts worded for the
// window, "Remind me tomorrow" where nothing can renew, a local CA's certificate copied and
// saved, and profile management (switch, rename, delete with confirmation, the active one protected).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readJsonc, until, type Session } from './harness';
import { test } from './fixtures';
import { makeLeaf } from './pki';

const DAY = 86_400_000;
let pki: string;

test.beforeAll(async () => {
  pki = mkdtempSync(join(tmpdir(), 'mtls-renderer-pki-'));
});

test.afterAll(async () => {
  rmSync(pki, { recursive: true, force: true });
});

/**
 * Three profiles judged at T0+40 days by the service's clock: "Expiring" (self-signed at
 * T0+14d for 30 days: 4 days left), "No SAN" (openssl, CN only) and "Old" (openssl, 30 days
 * from T0: expired). VS Code's settings say http.proxySupport "override".
 */
async function threeProfiles(s: Session): Promise<void> {
  const t0 = Date.now();
  const settings = join(s.home, '.config', 'Code', 'User', 'settings.json');
  writeFileSync(settings, '{\n  "http.proxySupport": "override"\n}\n');
  s.clock.now = new Date(t0 + 14 * DAY);
  await s.service.init({ url: 'https://coder.example.com', name: 'Expiring', identity: { kind: 'self-signed' }, days: 30, editors: ['code'], proxyConsent: false });
  s.clock.now = new Date(t0);
  const noSan = makeLeaf(pki, `nosan-${t0}`, { cn: 'alice', sans: [], days: 365, usage: 'clientAuth' });
  await s.service.init({ url: 'https://nosan.example.com', name: 'No SAN', identity: { kind: 'import-pem', certPem: noSan.cert, keyPem: noSan.key }, noSettings: true });
  const old = makeLeaf(pki, `old-${t0}`, { cn: 'alice', sans: ['email:alice@example.com'], days: 30, usage: 'clientAuth' });
  await s.service.init({ url: 'https://old.example.com', name: 'Old', identity: { kind: 'import-pem', certPem: old.cert, keyPem: old.key }, noSettings: true });
  s.clock.now = new Date(t0 + 40 * DAY);
}

test('status: NO_SAN, EXPIRED and EXPIRING_SOON are shown; Renew clears EXPIRING_SOON; rollback brings it back', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await threeProfiles(s);
  await s.open();
  const view = page.getByTestId('status-view');

  // The active profile is the last one created: "Old", expired, imported (no Renew button).
  await view.locator('h1', { hasText: 'Old' }).waitFor();
  const expired = view.locator('li.warning[data-code="EXPIRED"]');
  await expired.waitFor();
  assert.match(await expired.innerText(), /Problem/, 'severity in words, not colour alone');
  // An imported certificate is renewed by its CA: request and import are the buttons, not Renew (issue 15).
  assert.deepEqual(await expired.locator('[data-fix]').evaluateAll((els) => els.map((e) => e.getAttribute('data-fix'))), ['request', 'import-cert']);
  assert.match(await expired.locator('.fix').innerText(), /your CA/);
  assert.match(await expired.getByTestId('fix-terminal').innerText(), /From a terminal: mtls-tray csr new --out request\.csr; mtls-tray csr import-cert CERT\.pem/);
  assert.match(await view.locator('h1 .badge').innerText(), /Expired/);
  assert.match(await view.getByTestId('validity').innerText(), /expired \d+ days? ago/);
  await s.shot('status-expired');

  // Nothing here can renew it, but the notifications can wait a day (on every platform).
  await expired.getByRole('button', { name: 'Remind me tomorrow' }).click();
  await expired.getByTestId('snoozed').waitFor();
  assert.deepEqual(s.snoozes, [['old', s.clock.now!.getTime() + DAY]], 'the scheduler snooze got the profile and now + 24 h');
  assert.equal(await expired.getByRole('button', { name: 'Remind me tomorrow' }).count(), 0);
  assert.match(await expired.getByTestId('snoozed').innerText(), /No reminders about Old until/);

  // "No SAN", reached from the list of other profiles.
  await page.getByRole('button', { name: 'Show No SAN' }).click();
  await view.locator('h1', { hasText: 'No SAN' }).waitFor();
  const noSan = view.locator('li.warning[data-code="NO_SAN"]');
  await noSan.waitFor();
  assert.match(await noSan.innerText(), /How to fix:/);
  assert.match(await view.getByTestId('sans').innerText(), /none/);
  assert.match(await view.getByTestId('subject').innerText(), /alice/);
  assert.ok(await page.getByRole('button', { name: 'Switch to No SAN' }).isVisible(), 'a non-active profile offers to switch');

  // "Expiring": EXPIRING_SOON with a Renew button, and the proxy warning with its fix.
  await page.getByRole('button', { name: 'Show Expiring' }).click();
  await view.locator('h1', { hasText: 'Expiring' }).waitFor();
  const soon = view.locator('li.warning[data-code="EXPIRING_SOON"]');
  await soon.waitFor();
  assert.match(await view.getByTestId('validity').innerText(), /[34] days left/);
  assert.match(await view.getByTestId('renewal').innerText(), /Renew/i);
  // The fix is worded for the window; the command stays for a terminal, for this (non-active) profile.
  assert.match(await soon.locator('.fix').innerText(), /Renew now with the button below; mtls-tray also renews automatically/);
  assert.equal(await soon.getByTestId('fix-terminal').innerText(), 'From a terminal: mtls-tray renew --profile expiring');
  assert.equal(await soon.getByRole('button', { name: 'Remind me tomorrow' }).count(), 0, 'Renew fixes it: no reminder offered');
  const proxy = view.locator('li.warning[data-code="PROXY_SUPPORT_OVERRIDE"]');
  await proxy.waitFor();
  assert.doesNotMatch(await proxy.locator('.fix').innerText(), /mtls-tray settings apply/);
  assert.match(await proxy.getByTestId('fix-terminal').innerText(), /mtls-tray settings apply --proxy-support/);
  assert.equal(await view.getByTestId('history').locator('tbody tr').count(), 1);
  const fpBefore = await view.getByTestId('fingerprint').innerText();
  await s.shot('status-warnings');

  await soon.getByRole('button', { name: 'Renew' }).click();
  await view.getByTestId('history').locator('tbody tr').nth(1).waitFor();
  assert.equal(await view.locator('li.warning[data-code="EXPIRING_SOON"]').count(), 0, 'renewal cleared EXPIRING_SOON');
  assert.match(await view.getByTestId('validity').innerText(), /(29|30) days left/);
  assert.notEqual(await view.getByTestId('fingerprint').innerText(), fpBefore);
  assert.equal(await view.locator('tr[data-generation="2"].current').count(), 1);

  // Rollback: confirmation first, then generation 1 is current again (and so is its warning).
  await page.getByRole('button', { name: 'Roll back to generation 1' }).click();
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await view.locator('tr[data-generation="1"].current').waitFor();
  await view.locator('li.warning[data-code="EXPIRING_SOON"]').waitFor();
  assert.equal(await view.getByTestId('fingerprint').innerText(), fpBefore);

  // Fix proxy setting: the dry-run diff first, the write only on Apply.
  const settingsPath = join(s.home, '.config', 'Code', 'User', 'settings.json');
  await view.locator('li.warning[data-code="PROXY_SUPPORT_OVERRIDE"]').getByRole('button', { name: 'Fix proxy setting' }).click();
  const sd = page.getByTestId('settings-dialog');
  await sd.getByTestId('settings-diff').waitFor();
  assert.match(await sd.getByTestId('settings-diff').innerText(), /-\s*"http\.proxySupport": "override"[\s\S]*\+\s*"http\.proxySupport": "on"/);
  assert.equal(readJsonc(settingsPath)['http.proxySupport'], 'override', 'the preview wrote nothing');
  // The preview names the key that makes open remote windows ask to reload (issue 14).
  assert.match(await sd.getByTestId('reload-keys').innerText(), /Open remote windows will ask to reload once: http\.proxySupport will change/);
  assert.match(await sd.getByTestId('settings-diff').innerText(), /Open remote windows of the Coder extension will ask once to reload, because http\.proxySupport \("override" → "on"\) changes/);
  await s.shot('status-fix-proxy-diff');
  await sd.getByRole('button', { name: 'Apply these changes' }).click();
  await sd.getByText(/Done: 1 file written/).waitFor();
  assert.equal(readJsonc(settingsPath)['http.proxySupport'], 'on');
  await sd.getByRole('button', { name: 'Close' }).click();
  await view.locator('li.warning[data-code="PROXY_SUPPORT_OVERRIDE"]').waitFor({ state: 'detached' });
  assert.deepEqual(await s.problems(), []);
});

test('local CA: the status view copies and saves the CA certificate that signs the client certificate', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await s.service.init({ url: 'https://coder.example.com', name: 'Team CA', identity: { kind: 'local-ca' }, sans: ['email:alice@example.com'], editors: ['code'], proxyConsent: true });
  await s.open();
  const box = page.getByTestId('local-ca');
  await box.waitFor();
  assert.match(await box.innerText(), /client CAs/, 'one line says what it is for');

  await box.getByRole('button', { name: 'Copy CA certificate' }).click();
  await until(() => s.clipboard.length === 1);
  const copied = s.clipboard[0]!;
  assert.equal(copied, await s.service.caCert(), 'the CA certificate of this profile, from the service');
  assert.doesNotMatch(copied, /PRIVATE KEY/);
  // openssl agrees: it is a CA, and the client certificate in use chains to it.
  const caFile = join(pki, `copied-ca-${Date.now()}.pem`);
  writeFileSync(caFile, copied);
  assert.match(execFileSync('openssl', ['x509', '-in', caFile, '-noout', '-ext', 'basicConstraints'], { encoding: 'utf8' }), /CA:TRUE/);
  const clientCert = join(s.dataDir, 'active', 'current', 'client.crt');
  assert.match(execFileSync('openssl', ['verify', '-CAfile', caFile, '-purpose', 'sslclient', clientCert], { encoding: 'utf8' }), /: OK/);

  const target = join(s.tmp, 'for the admin', 'team-ca.crt');
  mkdirSync(dirname(target), { recursive: true });
  s.saveAs(target);
  await box.getByRole('button', { name: 'Save CA certificate…' }).click();
  await box.getByTestId('local-ca-saved').filter({ hasText: 'Saved to' }).waitFor();
  assert.equal(readFileSync(target, 'utf8'), copied, 'the saved file is the same certificate');
  // Cancelled dialog: said so, nothing written.
  await box.getByRole('button', { name: 'Save CA certificate…' }).click();
  await box.getByTestId('local-ca-saved').filter({ hasText: 'Not saved.' }).waitFor();
  await s.shot('status-local-ca');
  assert.deepEqual(await s.problems(), []);
});

test('status in dark mode keeps words beside colours', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'], colorScheme: 'dark' });
  await threeProfiles(s);
  await s.open();
  await s.page.getByRole('button', { name: 'Show Expiring' }).click();
  await s.page.locator('li.warning[data-code="EXPIRING_SOON"]').waitFor();
  const bg = await s.page.evaluate('getComputedStyle(document.body).backgroundColor');
  assert.equal(bg, 'rgb(15, 18, 22)', 'the dark palette follows prefers-color-scheme');
  await s.shot('status-warnings-dark');
});

test('profiles: switch, rename, delete after confirmation; the active one cannot be deleted', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await threeProfiles(s);
  await s.open();
  await page.getByRole('button', { name: 'Profiles' }).click();
  const view = page.getByTestId('profiles-view');
  await view.waitFor();
  const card = (id: string) => view.locator(`li[data-profile="${id}"]`);
  assert.equal(await card('old').locator('[data-action="delete-old"]').isDisabled(), true, 'active profile: Delete disabled');
  assert.match(await card('old').innerText(), /cannot be deleted/);
  await s.shot('profiles');

  // Switch to "Expiring": the active marker moves.
  await card('expiring').getByRole('button', { name: 'Switch to this profile' }).click();
  await card('expiring').locator('.pill', { hasText: 'Active' }).waitFor();
  assert.equal(await card('old').locator('[data-action="delete-old"]').isDisabled(), false);

  // Rename: a bad name is refused beside the field; a good one is saved.
  await card('no-san').getByRole('button', { name: 'Rename' }).click();
  const input = page.getByLabel('New name for No SAN');
  await input.fill('');
  await card('no-san').getByRole('button', { name: 'Save name' }).click();
  await card('no-san').locator('.field-error', { hasText: 'Give the profile a name' }).waitFor();
  await input.fill('Legacy CN only');
  await input.press('Enter');
  await card('no-san').locator('h2', { hasText: 'Legacy CN only' }).waitFor();
  assert.equal(JSON.parse(readFileSync(join(s.dataDir, 'profiles', 'no-san', 'profile.json'), 'utf8')).name, 'Legacy CN only');

  // Delete: Cancel keeps it, Delete profile removes it from disk.
  await card('old').getByRole('button', { name: 'Delete' }).click();
  const dlg = page.getByTestId('confirm-dialog');
  await dlg.waitFor();
  assert.match(await dlg.innerText(), /cannot be undone/);
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(existsSync(join(s.dataDir, 'profiles', 'old')), true);
  await card('old').getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete profile' }).click();
  await card('old').waitFor({ state: 'detached' });
  assert.equal(existsSync(join(s.dataDir, 'profiles', 'old')), false);
  assert.deepEqual(await s.problems(), []);
});
