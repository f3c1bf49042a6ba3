// The first-run wizard in Chromium against the real IPC handlers and AppService: a self-signed
// identity from the deployment check to the connection test, checked on disk afterwards
// (files, modes, matching key, editor settings, header command); and the same wizard completed
// with the keyboard only.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startDeployment, type Deployment } from './deployment';
import { readJsonc, until } from './harness';
import { test } from './fixtures';
import { certText, makeCa, makeLeaf, publicKeyOf, type Pem } from './pki';

let pki: string;
let ca: Pem;
let deployment: Deployment;
/** A deployment whose certificate names only coder.internal.test, reached as https://127.0.0.1:port. */
let behindProxy: Deployment;

test.beforeAll(async () => {
  pki = mkdtempSync(join(tmpdir(), 'mtls-renderer-pki-'));
  ca = makeCa(pki);
  const server = makeLeaf(pki, 'server', { cn: 'coder', sans: ['DNS:localhost', 'IP:127.0.0.1'], days: 30, usage: 'serverAuth', ca });
  deployment = await startDeployment(server);
  behindProxy = await startDeployment(makeLeaf(pki, 'internal', { cn: 'coder', sans: ['DNS:coder.internal.test'], days: 30, usage: 'serverAuth', ca }));
});

test.afterAll(async () => {
  await deployment?.stop();
  await behindProxy?.stop();
  rmSync(pki, { recursive: true, force: true });
});

function stepHeading(page: Page, title: string) {
  return page.locator('#wz-step-title', { hasText: title });
}

test('wizard: a self-signed identity ends with the right files and settings on disk', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code', 'Cursor'] });
  const { page } = s;
  await s.open();
  await page.getByRole('heading', { name: 'Set up your client certificate' }).waitFor();
  assert.equal(await page.locator('nav[aria-label="Main"]').isVisible(), false, 'no navigation before the first profile');
  await s.shot('wizard-1-deployment');

  // Deployment: an address that is not https is refused next to the field, nothing is checked.
  await page.getByLabel('Coder deployment address').fill('http://127.0.0.1');
  await page.getByRole('button', { name: 'Check and continue' }).click();
  const urlError = page.locator('[data-field="url"] .field-error');
  await urlError.waitFor();
  assert.match(await urlError.innerText(), /https:\/\//);
  assert.equal(await page.getByLabel('Coder deployment address').getAttribute('aria-invalid'), 'true');

  await page.getByLabel('Coder deployment address').fill(deployment.url);
  await page.getByLabel('Profile name').fill('Stand-in Coder');
  await page.getByRole('button', { name: 'Check and continue' }).click();
  // The server's CA is not trusted by Node yet, so the check stops and shows why.
  const check = page.getByTestId('deployment-check');
  await check.waitFor();
  assert.equal(await check.locator('[data-check="server-names"]').getAttribute('data-status'), 'pass');
  assert.equal(await check.locator('[data-check="server-trust"]').getAttribute('data-status'), 'fail');
  // The fix: give the CA bundle of the server.
  await page.getByText('Server name and CA bundle (advanced)').click();
  s.pick('ca-bundle', ca.certFile);
  await page.getByRole('button', { name: 'Choose CA bundle…' }).click();
  await page.getByTestId('picked-caBundle').filter({ hasText: 'ca.crt' }).waitFor();
  // Picking the CA re-runs the check with it, in place: the server is now trusted, so the
  // step passes without "Continue anyway".
  await check.locator('[data-check="server-trust"][data-status="pass"]').waitFor();
  assert.match(await check.locator('#deploy-check-h').innerText(), /All checks passed/);
  assert.match(await check.locator('[data-check="server-trust"]').innerText(), /CA bundle/);
  assert.equal(await page.getByRole('button', { name: 'Continue anyway' }).count(), 0);
  await s.shot('wizard-1b-deployment-checked');
  // Removing it checks again without it: the trust failure is back.
  await page.getByRole('button', { name: 'Remove' }).click();
  await check.locator('[data-check="server-trust"][data-status="fail"]').waitFor();
  await page.getByRole('button', { name: 'Continue anyway' }).waitFor();
  s.pick('ca-bundle', ca.certFile);
  await page.getByRole('button', { name: 'Choose CA bundle…' }).click();
  await check.locator('[data-check="server-trust"][data-status="pass"]').waitFor();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();

  // Identity: self-signed is the default.
  await stepHeading(page, 'Step 2 of 7: Identity').waitFor();
  assert.equal(await page.getByLabel('Create a certificate on this computer (self-signed)').isChecked(), true);
  await s.shot('wizard-2-identity');
  await page.getByRole('button', { name: 'Next' }).click();

  // Names and key.
  await stepHeading(page, 'Names and key').waitFor();
  await page.getByLabel('Names in the certificate (SANs), one per line').fill('email:alice@example.com\nDNS:alice-laptop');
  await page.getByLabel('Key type').selectOption('ecdsa-p384');
  await page.getByLabel('Valid for (days)').fill('0');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('[data-field="days"] .field-error').waitFor();
  await page.getByLabel('Valid for (days)').fill('14');
  await s.shot('wizard-3-keys');
  await page.getByRole('button', { name: 'Next' }).click();

  // Headers: a bad name is refused in place; Back and Next keep what was typed.
  await stepHeading(page, 'Headers').waitFor();
  await page.getByRole('button', { name: 'Add a header' }).click();
  await page.getByLabel('Header 1 name').fill('X Team');
  await page.getByLabel('Header 1 value').fill('core');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('[data-error-for="headers"]').filter({ hasText: 'not a valid header name' }).waitFor();
  await page.getByLabel('Header 1 name').fill('X-Team');
  await page.getByRole('button', { name: 'Back' }).click();
  await stepHeading(page, 'Names and key').waitFor();
  assert.equal(await page.getByLabel('Names in the certificate (SANs), one per line').inputValue(), 'email:alice@example.com\nDNS:alice-laptop');
  assert.equal(await page.getByLabel('Key type').inputValue(), 'ecdsa-p384');
  await page.getByRole('button', { name: 'Next' }).click();
  assert.equal(await page.getByLabel('Header 1 name').inputValue(), 'X-Team');
  await s.shot('wizard-4-headers');
  await page.getByRole('button', { name: 'Next' }).click();

  // Editors: both detected ones are ticked; untick Cursor; the diff is shown per file.
  await stepHeading(page, 'Editors').waitFor();
  const code = page.locator('input[data-editor="code"]');
  const cursor = page.locator('input[data-editor="cursor"]');
  assert.equal(await code.isChecked(), true);
  assert.equal(await cursor.isChecked(), true);
  await cursor.uncheck();
  const preview = page.getByTestId('settings-preview');
  await preview.locator('[data-testid="settings-diff"], [data-testid="preview-unavailable"]').first().waitFor();
  await s.shot('wizard-5-editors');
  const diffs = await preview.getByTestId('settings-diff').count();
  if (diffs > 0) {
    assert.equal(diffs, 1, 'only the ticked editor');
    const text = await preview.getByTestId('settings-diff').innerText();
    assert.match(text, /\+\s*"coder\.tlsCertFile"/);
    assert.match(text, /\+\s*"http\.proxySupport": "on"/);
  }
  await page.getByRole('button', { name: 'Next' }).click();

  // Apply: a summary, nothing written yet.
  await stepHeading(page, 'Apply').waitFor();
  const summary = await page.getByTestId('apply-summary').innerText();
  assert.match(summary, /Nothing has been written yet/);
  assert.match(summary, /email:alice@example\.com, DNS:alice-laptop/);
  assert.match(summary, /X-Team: core/);
  assert.equal(existsSync(join(s.dataDir, 'profiles')) && existsSync(join(s.dataDir, 'active')), false, 'nothing on disk before Create');
  await s.shot('wizard-6-apply');
  await page.getByRole('button', { name: 'Create profile' }).click();

  // Done: the connection test runs by itself against the deployment.
  await page.getByTestId('wizard-done').waitFor();
  const conn = page.getByTestId('connection');
  await conn.waitFor({ timeout: 30_000 });
  for (const id of ['server-trust', 'server-names', 'mtls-handshake', 'header-command', 'buildinfo']) {
    assert.equal(await conn.locator(`[data-check="${id}"]`).getAttribute('data-status'), 'pass', `${id} passes:\n${await conn.innerText()}`);
  }
  assert.equal(await page.locator('[data-action="wizard-back"]').count(), 0, 'no way back once created');
  await s.shot('wizard-7-done');
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.getByTestId('status-view').waitFor();
  assert.equal(await page.locator('nav[aria-label="Main"]').isVisible(), true);

  // On disk: the stable layout, a matching key pair with the SANs asked for, modes.
  const active = join(s.dataDir, 'active', 'current');
  const cert = join(active, 'client.crt');
  const key = join(active, 'client.key');
  assert.match(readlinkSync(join(s.dataDir, 'active')), /profiles\/stand-in-coder$/);
  const text = certText(cert);
  assert.match(text, /email:alice@example\.com/);
  assert.match(text, /DNS:alice-laptop/);
  assert.match(text, /NIST CURVE: P-384|secp384r1/);
  assert.match(text, /TLS Web Client Authentication/);
  assert.equal(publicKeyOf(cert, 'cert'), publicKeyOf(key, 'key'));
  assert.equal(statSync(key).mode & 0o777, 0o600);
  assert.equal(readFileSync(join(active, 'ca.crt'), 'utf8').trim(), ca.cert.trim());
  assert.equal(deployment.clientCerts.length > 0, true, 'the connection test presented a client certificate');

  // VS Code's settings: one write with every key, the user's own content kept; Cursor untouched.
  const settingsPath = join(s.home, '.config', 'Code', 'User', 'settings.json');
  const raw = readFileSync(settingsPath, 'utf8');
  assert.match(raw, /\/\/ my font/);
  const settings = readJsonc(settingsPath);
  assert.equal(settings['editor.fontSize'], 14);
  assert.equal(settings['coder.tlsCertFile'], cert);
  assert.equal(settings['coder.tlsKeyFile'], key);
  assert.equal(settings['coder.tlsCaFile'], join(active, 'ca.crt'));
  assert.equal(settings['http.proxySupport'], 'on');
  assert.equal(typeof settings['coder.tlsCertRefreshCommand'], 'string');
  assert.equal(existsSync(join(s.home, '.config', 'Cursor', 'User', 'settings.json')), false);

  // The header command, run the way the extension runs it (sh -c '<setting>').
  const out = execFileSync('/bin/sh', ['-c', String(settings['coder.headerCommand'])], { encoding: 'utf8', env: { PATH: process.env.PATH, CODER_URL: deployment.url } });
  assert.equal(out.trim(), 'X-Team=core');

  // The status view shows it: names, key, editor with its path, no warning needing a fix.
  const status = page.getByTestId('status-view');
  assert.match(await status.getByTestId('sans').innerText(), /alice@example\.com/);
  assert.match(await status.getByTestId('key-algorithm').innerText(), /P-384/);
  assert.match(await status.getByTestId('editors').innerText(), new RegExp(settingsPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.deepEqual(await s.problems(), []);
});

test('wizard: keyboard only, from the first field to the status view', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  const kb = page.keyboard;
  /** Tab until the focused element matches, like a person looking for a control. */
  async function tabTo(selector: string, max = 40) {
    for (let i = 0; i < max; i++) {
      await kb.press('Tab');
      if (await page.evaluate(`document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`)) return;
    }
    throw new Error(`could not reach ${selector} with Tab`);
  }
  async function focused(): Promise<string> {
    return (await page.evaluate('document.activeElement ? (document.activeElement.id || document.activeElement.textContent || document.activeElement.tagName) : ""')) as string;
  }
  await s.open();
  // Focus starts on the heading; Tab reaches the address field.
  await tabTo('#wz-url');
  await kb.type(deployment.url);
  await kb.press('Enter'); // submits the step: Check and continue
  await page.getByTestId('deployment-check').waitFor();
  // Open the advanced section and pick the CA bundle, all with keys.
  await tabTo('details.advanced > summary');
  await kb.press('Enter');
  s.pick('ca-bundle', ca.certFile);
  await tabTo('[data-action="pick-caBundle"]');
  await kb.press('Enter');
  await page.getByTestId('picked-caBundle').filter({ hasText: 'ca.crt' }).waitFor();
  // The check runs again with the CA and passes; focus stays on the picker through both redraws.
  await page.locator('[data-check="server-trust"][data-status="pass"]').waitFor();
  assert.match(await focused(), /Choose another CA bundle/, 'focus stays on the picker after the dialog and the check');
  await tabTo('[data-action="wizard-next"]');
  assert.equal(await page.evaluate('document.activeElement.textContent'), 'Continue');
  await kb.press('Enter'); // Continue
  await stepHeading(page, 'Identity').waitFor();

  // Radios move with the arrow keys: go to the CSR choice and back to self-signed.
  await tabTo('input[name^="source"]');
  await kb.press('ArrowDown');
  assert.equal(await page.locator('#wz-source-csr').isChecked(), true);
  assert.equal(await focused(), 'wz-source-csr', 'focus stays on the radio after the redraw');
  await kb.press('ArrowUp');
  assert.equal(await page.locator('#wz-source-self-signed').isChecked(), true);
  await tabTo('[data-action="wizard-next"]');
  await kb.press('Enter');

  await stepHeading(page, 'Names and key').waitFor();
  await tabTo('#wz-sans');
  await kb.type('DNS:kb-laptop');
  await tabTo('#wz-days');
  await kb.press('Enter'); // implicit submit from a text field
  await stepHeading(page, 'Headers').waitFor();
  await tabTo('[data-action="wizard-next"]');
  await kb.press('Enter');
  await stepHeading(page, 'Editors').waitFor();
  // VS Code is ticked; Space on the proxy box would untick it; leave it as is.
  await tabTo('input[data-editor="code"]');
  assert.equal(await page.locator('input[data-editor="code"]').isChecked(), true);
  await tabTo('[data-action="wizard-next"]');
  await kb.press('Enter');
  await stepHeading(page, 'Apply').waitFor();
  await tabTo('[data-action="wizard-next"]');
  await kb.press('Enter'); // Create profile
  await page.getByTestId('connection').waitFor({ timeout: 30_000 });
  await tabTo('[data-action="wizard-next"]');
  await kb.press('Enter'); // Finish
  await page.getByTestId('status-view').waitFor();
  assert.equal(await page.evaluate('document.activeElement.tagName'), 'H1', 'focus moves to the new view');

  const settings = readJsonc(join(s.home, '.config', 'Code', 'User', 'settings.json'));
  assert.equal(settings['coder.tlsCertFile'], join(s.dataDir, 'active', 'current', 'client.crt'));
  assert.match(certText(join(s.dataDir, 'active', 'current', 'client.crt')), /DNS:kb-laptop/);
  // Every control passed on the way had a visible focus ring (outline from :focus-visible).
  const outline = await page.evaluate(`(() => { const b = document.querySelector('[data-action="doctor"]'); b.focus(); return getComputedStyle(b).outlineStyle; })()`);
  assert.notEqual(outline, 'none');
  assert.deepEqual(await s.problems(), []);
});

test('wizard: a server certificate for another name: the check offers tlsAltHost, which ends up in the settings', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await s.open();
  await page.getByLabel('Coder deployment address').fill(behindProxy.url);
  await page.getByRole('button', { name: 'Check and continue' }).click();
  const offer = page.getByTestId('alt-host-offer');
  await offer.waitFor();
  assert.equal(await page.locator('[data-check="server-names"]').getAttribute('data-status'), 'fail');
  await s.shot('wizard-1c-alt-host-offer');
  await offer.getByRole('button', { name: 'Use coder.internal.test' }).click();
  assert.equal(await page.getByLabel('Server name to check (coder.tlsAltHost)').inputValue(), 'coder.internal.test');
  // A changed alt host means a new check, with the name as TLS server name.
  await page.getByRole('button', { name: 'Check and continue' }).click();
  await page.locator('[data-check="server-names"][data-status="pass"]').waitFor();
  s.pick('ca-bundle', ca.certFile);
  await page.getByRole('button', { name: 'Choose CA bundle…' }).click();
  await page.getByTestId('picked-caBundle').filter({ hasText: 'ca.crt' }).waitFor();
  // Checked again with the CA and the alt host: names and trust both pass now.
  await page.locator('[data-check="server-trust"][data-status="pass"]').waitFor();
  assert.equal(await page.locator('[data-check="server-names"]').getAttribute('data-status'), 'pass');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  for (const title of ['Identity', 'Names and key', 'Headers']) {
    await stepHeading(page, title).waitFor();
    await page.locator('[data-action="wizard-next"]').click();
  }
  await stepHeading(page, 'Editors').waitFor();
  await test.step('the editors step shows the exact diff of the profile being made', async () => {
    const preview = page.getByTestId('settings-preview');
    await preview.locator('[data-testid="settings-diff"], [data-testid="preview-unavailable"]').first().waitFor();
    assert.equal(await preview.getByTestId('preview-unavailable').count(), 0, await preview.innerText());
    const text = await preview.getByTestId('settings-diff').innerText();
    assert.match(text, /\+\s*"coder\.tlsAltHost": "coder\.internal\.test"/);
    assert.match(text, /\+\s*"coder\.tlsCaFile"/);
  });
  await page.locator('[data-action="wizard-next"]').click();
  await stepHeading(page, 'Apply').waitFor();
  assert.match(await page.getByTestId('apply-summary').innerText(), /coder\.internal\.test/);
  await page.getByRole('button', { name: 'Create profile' }).click();
  const conn = page.getByTestId('connection');
  await conn.waitFor({ timeout: 30_000 });
  assert.equal(await conn.locator('[data-check="server-names"]').getAttribute('data-status'), 'pass');
  assert.equal(await conn.locator('[data-check="buildinfo"]').getAttribute('data-status'), 'pass', await conn.innerText());
  const settings = readJsonc(join(s.home, '.config', 'Code', 'User', 'settings.json'));
  assert.equal(settings['coder.tlsAltHost'], 'coder.internal.test');
  assert.deepEqual(await s.problems(), []);
});

test('wizard: a request for my CA, copied and saved, then the issued certificate imported and the editors set up', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await s.open();
  await page.getByLabel('Coder deployment address').fill(deployment.url);
  await page.getByRole('button', { name: 'Check and continue' }).click();
  await page.getByTestId('deployment-check').waitFor();
  await page.getByRole('button', { name: 'Continue anyway' }).click();
  await stepHeading(page, 'Identity').waitFor();
  await page.getByLabel("Request one from my company's CA").check();
  await page.locator('[data-action="wizard-next"]').click();
  await stepHeading(page, 'Names and key').waitFor();
  assert.match(await page.locator('[data-field="days"] .hint').innerText(), /CA may choose/);
  await page.getByLabel('Names in the certificate (SANs), one per line').fill('email:carol@example.com');
  for (const title of ['Headers', 'Editors', 'Apply']) {
    await page.locator('[data-action="wizard-next"]').click();
    await stepHeading(page, title).waitFor();
  }
  await page.getByRole('button', { name: 'Create profile' }).click();
  const csrBox = page.getByTestId('csr');
  await csrBox.waitFor();
  const csr = await csrBox.locator('pre').innerText();
  assert.match(csr, /^-----BEGIN CERTIFICATE REQUEST-----/);
  await csrBox.getByRole('button', { name: 'Copy request' }).click();
  await until(() => s.clipboard.length > 0);
  const saved = join(s.tmp, 'carol.csr');
  s.saveAs(saved);
  await csrBox.getByRole('button', { name: 'Save request as a file…' }).click();
  await csrBox.getByText(`Saved to ${saved}`).waitFor();
  assert.equal(readFileSync(saved, 'utf8').trim(), csr.trim());
  assert.deepEqual(s.clipboard.map((c) => c.trim()), [csr.trim()]);
  await s.shot('wizard-7-done-csr');
  await page.getByRole('button', { name: 'Finish' }).click();

  // The CA signs it (openssl), the user imports the certificate from the status view.
  const view = page.getByTestId('status-view');
  await view.getByRole('heading', { name: 'Waiting for your CA' }).waitFor();
  const ext = join(s.tmp, 'ext.cnf');
  writeFileSync(ext, '[ext]\nextendedKeyUsage = clientAuth\nsubjectAltName = email:carol@example.com\n');
  const signed = join(s.tmp, 'carol.crt');
  execFileSync('openssl', ['x509', '-req', '-in', saved, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-out', signed, '-days', '20', '-extfile', ext, '-extensions', 'ext'], { stdio: 'ignore' });
  s.pick('certificate', signed);
  await view.getByRole('button', { name: 'Import issued certificate…' }).click();
  await view.getByRole('heading', { name: 'Waiting for your CA' }).waitFor({ state: 'detached' });
  assert.match(await view.getByTestId('issuer').innerText(), /Renderer Test CA/);
  assert.match(await view.getByTestId('validity').innerText(), /(19|20) days left/);
  assert.equal(await view.locator('[data-action="renew"]').count(), 0, 'a CA-issued certificate is renewed by the CA, not here');

  // The editors were set up by the import itself (the profile had no credentials before);
  // the diff dialog then has nothing left to change.
  await view.getByRole('button', { name: 'Open settings diff' }).click();
  const dlg = page.getByTestId('settings-dialog');
  await dlg.getByText(/no changes|already|up to date|nothing/i).first().waitFor();
  assert.equal(await dlg.getByRole('button', { name: 'Apply these changes' }).count(), 0);
  const settings = readJsonc(join(s.home, '.config', 'Code', 'User', 'settings.json'));
  assert.equal(settings['coder.tlsCertFile'], join(s.dataDir, 'active', 'current', 'client.crt'));
  assert.equal(publicKeyOf(join(s.dataDir, 'active', 'current', 'client.crt'), 'cert'), publicKeyOf(join(s.dataDir, 'active', 'current', 'client.key'), 'key'));
  assert.deepEqual(await s.problems(), []);
});
