// Identities and profiles coming in, in Chromium against the real handlers and service: a
// PKCS#12 file in the wizard with a wrong then the right passphrase (nothing on disk after the
// wrong one), and a profile exported by one user (file with identity, and link) and imported
// by a teammate through the review screen.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startDeployment, type Deployment } from './deployment';
import { readJsonc, until } from './harness';
import { test } from './fixtures';
import { makeCa, makeLeaf, makeP12, publicKeyOf, type Pem } from './pki';

let pki: string;
let ca: Pem;
let deployment: Deployment;

test.beforeAll(async () => {
  pki = mkdtempSync(join(tmpdir(), 'mtls-renderer-pki-'));
  ca = makeCa(pki);
  deployment = await startDeployment(makeLeaf(pki, 'server', { cn: 'coder', sans: ['IP:127.0.0.1'], days: 30, usage: 'serverAuth', ca }));
});

test.afterAll(async () => {
  await deployment?.stop();
  rmSync(pki, { recursive: true, force: true });
});

async function next(page: Page, title: string) {
  await page.locator('[data-action="wizard-next"]').click();
  await page.locator('#wz-step-title', { hasText: title }).waitFor();
}

test('wizard: PKCS#12 import, wrong passphrase shown at the field and nothing written, then the right one', async ({ newSession }) => {
  const client = makeLeaf(pki, 'p12client', { cn: 'bob', sans: ['email:bob@example.com'], days: 60, usage: 'clientAuth', ca });
  const p12 = makeP12(pki, 'bob', client, 'correct horse');
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  const settingsPath = join(s.home, '.config', 'Code', 'User', 'settings.json');
  const settingsBefore = readFileSync(settingsPath, 'utf8');
  await s.open();
  await page.getByLabel('Coder deployment address').fill(deployment.url);
  await page.locator('[data-action="wizard-next"]').click();
  await page.getByTestId('deployment-check').waitFor();
  await next(page, 'Identity');
  await page.getByLabel('I have a .p12 or .pfx file (PKCS#12)').check();
  // Next without a file or passphrase: both errors in place, focus on the first.
  await page.locator('[data-action="wizard-next"]').click();
  await page.locator('[data-error-for="p12File"]:not([hidden])').waitFor();
  assert.equal(await page.getByLabel('Passphrase of the file').getAttribute('aria-invalid'), 'true');
  s.pick('pkcs12', p12);
  await page.getByRole('button', { name: 'Choose PKCS#12 file…' }).click();
  await page.getByTestId('picked-p12File').filter({ hasText: 'bob.p12' }).waitFor();
  await page.getByLabel('Passphrase of the file').fill('wrong horse');
  await s.shot('wizard-2-identity-p12');
  await next(page, 'Headers');
  await next(page, 'Editors');
  await next(page, 'Apply');
  await page.getByRole('button', { name: 'Create profile' }).click();

  // Back on the identity step, the service's words next to the passphrase field.
  await page.locator('#wz-step-title', { hasText: 'Identity' }).waitFor();
  const pass = page.getByLabel('Passphrase of the file');
  assert.equal(await pass.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('[data-field="p12Passphrase"] .field-error').innerText(), /passphrase .*is wrong/i);
  assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'wz-p12Passphrase', 'focus on the field to fix');
  assert.equal(await page.getByTestId('picked-p12File').innerText(), 'bob.p12', 'the chosen file is kept');
  await s.shot('wizard-p12-wrong-passphrase');
  // Bad input changed nothing on disk.
  const profilesDir = join(s.dataDir, 'profiles');
  assert.deepEqual(existsSync(profilesDir) ? readdirSync(profilesDir) : [], []);
  assert.equal(existsSync(join(s.dataDir, 'active')), false);
  assert.equal(readFileSync(settingsPath, 'utf8'), settingsBefore);

  await pass.fill('correct horse');
  await next(page, 'Headers');
  await next(page, 'Editors');
  await next(page, 'Apply');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await page.getByTestId('wizard-done').waitFor();
  await page.getByTestId('connection').waitFor({ timeout: 30_000 });

  // The identity in place is the one from the file.
  const cert = join(s.dataDir, 'active', 'current', 'client.crt');
  const key = join(s.dataDir, 'active', 'current', 'client.key');
  assert.equal(new X509Certificate(readFileSync(cert)).fingerprint256, new X509Certificate(client.cert).fingerprint256);
  assert.equal(publicKeyOf(key, 'key'), publicKeyOf(client.keyFile, 'key'));
  assert.equal(statSync(key).mode & 0o777, 0o600);
  assert.equal(readJsonc(settingsPath)['coder.tlsKeyFile'], key);
  assert.deepEqual(await s.problems(), []);
});

test('export then import: a file with the identity (passphrase) and a link, reviewed before anything is applied', async ({ newSession }) => {
  // Alice has a profile with a header, a CA bundle and an alt host.
  const alice = await newSession({ editors: ['Code'] });
  const bob = await newSession({ editors: ['Code', 'Cursor'] });
  await alice.service.init({
    url: 'https://coder.example.com',
    name: 'Acme Coder',
    identity: { kind: 'self-signed' },
    sans: ['email:alice@example.com'],
    caBundlePem: ca.cert,
    altHost: 'coder.internal.example.com',
    headers: [{ name: 'X-Team', value: 'platform' }],
    editors: ['code'],
    proxyConsent: true,
  });
  const aliceFp = new X509Certificate(readFileSync(join(alice.dataDir, 'active', 'current', 'client.crt'))).fingerprint256;
  const ap = alice.page;
  await alice.open();
  await ap.getByRole('button', { name: 'Profiles' }).click();
  await ap.getByRole('button', { name: 'Share…' }).click();
  const dlg = ap.getByTestId('export-dialog');
  await dlg.waitFor();
  assert.match(await dlg.getByTestId('export-statement').innerText(), /private key is NOT included/);
  await dlg.getByLabel('Also include my certificate and private key, encrypted with a passphrase').check();
  assert.match(await dlg.getByTestId('export-statement').innerText(), /private key IS included/);
  await dlg.getByLabel('Passphrase', { exact: true }).fill('short');
  await dlg.getByRole('button', { name: 'Save file…' }).click();
  await dlg.locator('.field-error', { hasText: 'at least 8' }).waitFor();
  await dlg.getByLabel('Passphrase', { exact: true }).fill('tr0ub4dor&3');
  await dlg.getByLabel('Passphrase again').fill('tr0ub4dor&3');
  await alice.shot('export-dialog');
  const file = join(alice.tmp, 'acme.mtlsprofile');
  alice.saveAs(file);
  await dlg.getByRole('button', { name: 'Save file…' }).click();
  await dlg.getByTestId('export-saved').filter({ hasText: file }).waitFor();
  const exported = readFileSync(file, 'utf8');
  assert.doesNotMatch(exported, /PRIVATE KEY/, 'the key travels only inside the encrypted PKCS#12');
  assert.match(exported, /"identityBundle"/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  // The link: never a key.
  await dlg.getByLabel('Copy a link').check();
  assert.match(await dlg.getByTestId('export-statement').innerText(), /Links never carry a key/);
  await dlg.getByRole('button', { name: 'Create link' }).click();
  const link = await dlg.getByTestId('export-link').inputValue();
  assert.match(link, /^mtls-tray:\/\/import\?/);
  await dlg.getByRole('button', { name: 'Copy link' }).click();
  await until(() => alice.clipboard.length > 0);
  assert.deepEqual(alice.clipboard, [link]);

  // Bob imports the file: first run, so from the Import view reached through the wizard.
  const bp = bob.page;
  await bob.open();
  await bp.getByRole('button', { name: 'Import their profile instead' }).click();
  await bp.locator('#wz-step-title', { hasText: 'Identity' }).waitFor();
  assert.equal(await bp.getByLabel("Use a teammate's profile").isChecked(), true);
  bob.pick('profile', file);
  await bp.locator('[data-action="pick-profile"]').click();
  await bp.getByTestId('import-file-name').filter({ hasText: 'acme.mtlsprofile' }).waitFor();
  await bp.locator('[data-action="wizard-next"]').click();
  // The review lists everything before anything happens.
  const review = bp.getByTestId('import-review');
  await review.waitFor();
  const reviewText = await review.innerText();
  assert.match(reviewText, /Nothing has been changed yet/);
  assert.match(reviewText, /https:\/\/coder\.example\.com/);
  assert.match(reviewText, /X-Team/);
  assert.match(reviewText, /coder\.internal\.example\.com/);
  assert.equal(existsSync(join(bob.dataDir, 'profiles')) && readdirSync(join(bob.dataDir, 'profiles')).length > 0, false);
  await bob.shot('import-review');
  await bp.getByTestId('import-passphrase').fill('wrong passphrase');
  await next(bp, 'Editors');
  await next(bp, 'Apply');
  await bp.getByRole('button', { name: 'Create profile' }).click();
  await bp.locator('#wz-step-title', { hasText: 'Review profile' }).waitFor();
  assert.match(await bp.locator('[data-field="teammatePassphrase"] .field-error').innerText(), /passphrase/i);
  await bp.getByTestId('import-passphrase').fill('tr0ub4dor&3');
  await next(bp, 'Editors');
  await next(bp, 'Apply');
  await bp.getByRole('button', { name: 'Create profile' }).click();
  await bp.getByTestId('wizard-done').waitFor();

  const bobActive = join(bob.dataDir, 'active', 'current');
  assert.equal(new X509Certificate(readFileSync(join(bobActive, 'client.crt'))).fingerprint256, aliceFp, 'the shared identity arrived');
  assert.equal(readFileSync(join(bobActive, 'ca.crt'), 'utf8').trim(), ca.cert.trim());
  assert.match(readFileSync(join(bobActive, 'headers'), 'utf8'), /X-Team=platform/);
  for (const ed of ['Code', 'Cursor']) {
    const v = readJsonc(join(bob.home, '.config', ed, 'User', 'settings.json'));
    assert.equal(v['coder.tlsAltHost'], 'coder.internal.example.com', `${ed} got tlsAltHost`);
    assert.equal(v['coder.tlsCaFile'], join(bobActive, 'ca.crt'));
  }

  // Then the link, from the Import view: the teammate makes their own key.
  await bp.getByRole('button', { name: 'Finish' }).click();
  await bp.getByTestId('status-view').waitFor();
  await bp.getByRole('button', { name: 'Import a profile' }).click();
  await bp.getByLabel('In a link (mtls-tray://…)').check();
  await bp.getByTestId('import-link').fill(link);
  await bp.getByRole('button', { name: 'Review' }).click();
  await bp.getByTestId('import-review').waitFor();
  assert.equal(await bp.getByTestId('import-passphrase').count(), 0, 'a link carries no identity, so no passphrase');
  assert.equal(await bp.getByTestId('import-url').innerText(), 'https://coder.example.com');
  // Name and deployment once each (the review used to repeat them above its list).
  const reviewOnce = await bp.getByTestId('import-review').innerText();
  assert.equal(reviewOnce.split('https://coder.example.com').length - 1, 1, reviewOnce);
  await bp.getByRole('button', { name: 'Import', exact: true }).click();
  await bp.getByTestId('import-done').waitFor();
  const profiles = await bob.service.listProfiles();
  assert.equal(profiles.length, 2);
  const fromLink = profiles.find((p) => p.source !== 'imported')!;
  const st = await bob.service.status(fromLink.id);
  assert.notEqual(st?.report?.fingerprintSha256.replace(/:/g, '').toUpperCase(), aliceFp.replace(/:/g, '').toUpperCase(), 'own key, not Alice\'s');

  // A link opened with the app (main sends event:navigate) goes straight to the review.
  await bp.locator('[data-nav="status"]').click();
  await bp.getByTestId('status-view').waitFor();
  await bp.evaluate(`window.__mtlsNavigate({ view: 'import', source: { link: ${JSON.stringify(link)} } })`);
  await bp.getByTestId('import-review').waitFor();
  assert.equal(await bp.getByTestId('import-name').innerText(), 'Acme Coder');
  assert.equal((await bob.service.listProfiles()).length, 2, 'reviewing applies nothing');
  assert.deepEqual(await alice.problems(), []);
  assert.deepEqual(await bob.problems(), []);
});
