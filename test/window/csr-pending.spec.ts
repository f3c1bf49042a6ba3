// A CSR profile waiting for its first certificate is a pending state (issue 15 item 2): the
// wizard's last step and the status view say what to send (the request), where (whoever
// issues certificates for the deployment), and offer the import; no editor check runs and
// nothing shows as failed before a certificate exists. The deployment step's "server not
// trusted" has its button too: Choose CA bundle… picks the file there and checks again.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeOpensslCa, type OpensslCa } from '../helpers/openssl-ca';
import { graveViolations } from './axe-check';
import { startDeployment, type Deployment } from './deployment';
import { readJsonc } from './harness';
import { test } from './fixtures';
import { makeCa, makeLeaf, type Pem } from './pki';

let pki: string;
let serverCa: Pem;
let deployment: Deployment;
let corpCa: OpensslCa;

test.beforeAll(async () => {
  pki = mkdtempSync(join(tmpdir(), 'mtls-csr-pending-'));
  serverCa = makeCa(pki, 'server-ca');
  deployment = await startDeployment(makeLeaf(pki, 'server', { cn: 'coder', sans: ['DNS:localhost', 'IP:127.0.0.1'], days: 30, usage: 'serverAuth', ca: serverCa }));
  corpCa = makeOpensslCa('Corp Issuing CA', pki);
});

test.afterAll(async () => {
  await deployment?.stop();
  rmSync(pki, { recursive: true, force: true });
});

const stepHeading = (page: Page, title: string) => page.locator('#wz-step-title', { hasText: title });

test('wizard: the CA bundle button fixes the deployment check; a CSR profile ends in a pending state, then the import from the same step', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  const settingsFile = join(s.home, '.config', 'Code', 'User', 'settings.json');
  const settingsBefore = readFileSync(settingsFile, 'utf8');
  await s.open();
  await page.getByLabel('Coder deployment address').fill(deployment.url);
  await page.getByLabel('Profile name').fill('Corp');
  await page.getByRole('button', { name: 'Check and continue' }).click();

  await test.step('server not trusted: "Choose CA bundle…" under the check picks the file and checks again', async () => {
    const trust = page.getByTestId('deployment-checks').locator('[data-check="server-trust"]');
    await trust.waitFor();
    assert.equal(await trust.getAttribute('data-status'), 'fail');
    assert.doesNotMatch(await trust.locator('.fix').innerText(), /--ca-bundle/, 'no CLI flag under the button');
    assert.match(await trust.getByTestId('fix-terminal').innerText(), /From a terminal: mtls-tray init --url URL --ca-bundle FILE/);
    const caFile = join(s.tmp, 'server-ca.crt');
    writeFileSync(caFile, serverCa.cert);
    s.pick('ca-bundle', caFile);
    await trust.locator('[data-fix="ca-bundle"]').click();
    await page.getByTestId('deployment-checks').locator('[data-check="server-trust"][data-status="pass"]').waitFor();
    assert.equal(await page.getByTestId('picked-caBundle').innerText(), 'server-ca.crt');
  });

  await page.getByRole('button', { name: 'Continue' }).click();
  await stepHeading(page, 'Identity').waitFor();
  await page.getByLabel("Request one from my company's CA").check();
  await page.locator('[data-action="wizard-next"]').click();
  await stepHeading(page, 'Names and key').waitFor();
  await page.getByLabel('Names in the certificate (SANs), one per line').fill('email:carol@corp.example');
  await page.locator('[data-action="wizard-next"]').click();
  await stepHeading(page, 'Headers').waitFor();
  // The token the README recommends for a header the gateway checks (DESIGN §3, README "Headers").
  assert.match(await page.getByTestId('header-tokens').innerText(), /\{\{cert\.spki\.sha256\}\}/);
  assert.doesNotMatch(await page.getByTestId('header-tokens').innerText(), /\{\{cert\.sha256\}\}/);
  for (const title of ['Editors', 'Apply']) {
    await page.locator('[data-action="wizard-next"]').click();
    await stepHeading(page, title).waitFor();
  }
  await page.getByRole('button', { name: 'Create profile' }).click();

  const done = page.getByTestId('wizard-done');
  await test.step('the last step is a pending state: what to send, where, the import; nothing failed', async () => {
    await done.getByTestId('csr-pending').waitFor();
    await done.getByTestId('connection-summary').waitFor();
    const summary = await done.getByTestId('connection-summary').innerText();
    assert.match(summary, /^Waiting for the certificate: the deployment checks passed; 6 more run after the certificate is imported$/);
    assert.doesNotMatch(await done.innerText(), /checks? failed|Failed/);
    assert.equal(await done.locator('[data-status="fail"]').count(), 0);
    assert.match(await done.getByTestId('send-where').innerText(), /whoever issues client certificates for 127\.0\.0\.1/);
    assert.match(await done.getByTestId('csr').locator('pre').innerText(), /^-----BEGIN CERTIFICATE REQUEST-----/);
    const later = await done.getByTestId('connection-checks-after-import').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-check')));
    assert.deepEqual(later, ['own-certificate', 'mtls-handshake', 'header-command', 'buildinfo', 'ssh-cli', 'editors']);
    assert.equal(await done.locator('[data-check^="editor-settings"], [data-check^="proxy-support"]').count(), 0, 'no editor check before a certificate exists');
    assert.match(await done.getByTestId('settings-after-import').innerText(), /set up when the certificate is imported/);
    assert.equal(readFileSync(settingsFile, 'utf8'), settingsBefore, 'no settings write before the certificate');
    // Copy and Save are the same kind of button (issue 15: "Copy request ✓" was smaller).
    const csr = done.getByTestId('csr');
    const [copyBox, saveBox] = await Promise.all([csr.getByRole('button', { name: 'Copy request' }).boundingBox(), csr.getByRole('button', { name: 'Save request as a file…' }).boundingBox()]);
    assert.equal(copyBox!.height, saveBox!.height);
    assert.equal(deployment.clientCerts.length, 0, 'no request as a client before a certificate exists');
    await s.shot('wizard-7-csr-pending');
    assert.deepEqual(await graveViolations(page), [], 'axe: no serious or critical violation');
  });

  await test.step('the CA signs it; "Import issued certificate…" on the same step completes the profile and tests it', async () => {
    const csrPem = await done.getByTestId('csr').locator('pre').innerText();
    const signed = join(s.tmp, 'carol.crt');
    writeFileSync(signed, await corpCa.sign(csrPem));
    s.pick('certificate', signed);
    await done.locator('[data-fix="import-cert"]').click();
    await done.getByText('Its certificate from your CA is imported.').waitFor();
    await done.getByTestId('connection-summary').filter({ hasNotText: 'Waiting' }).waitFor({ timeout: 30_000 });
    assert.equal(await done.getByTestId('csr-pending').count(), 0);
    assert.equal(await done.locator('[data-check="own-certificate"]').getAttribute('data-status'), 'pass');
    assert.equal(await done.locator('[data-check="buildinfo"]').getAttribute('data-status'), 'pass', await done.innerText());
    assert.equal(await done.locator('[data-check="editor-settings:code"]').getAttribute('data-status'), 'pass', 'the import set up the editor');
    assert.equal(await done.locator('[data-check="proxy-support:code"]').getAttribute('data-status'), 'pass', 'with the proxy consent given on the editors step');
    assert.equal(await done.locator('[data-status="fail"]').count(), 0, await done.innerText());
    assert.equal(readJsonc(settingsFile)['coder.tlsCertFile'], join(s.dataDir, 'active', 'current', 'client.crt'));
    await s.shot('wizard-7-csr-imported');
    assert.deepEqual(await graveViolations(page), [], 'axe: no serious or critical violation');
  });
});

test('status: a pending CSR profile shows the request, where it goes and the import; Test connection does not fail it', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await s.service.init({ url: deployment.url, name: 'Corp', identity: { kind: 'csr' }, sans: ['email:carol@corp.example'], caBundlePem: serverCa.cert, editors: ['code'], proxyConsent: true });
  await s.open();
  const view = page.getByTestId('status-view');
  const box = view.getByTestId('csr-pending');
  await box.waitFor();
  assert.match(await view.locator('h1 .badge').innerText(), /Waiting for certificate/);
  assert.equal(await view.getByTestId('warnings').count(), 0);
  assert.equal(await view.getByTestId('no-warnings').count(), 0, 'not "The certificate looks fine" either: it waits');
  assert.match(await box.getByTestId('pending-state').innerText(), /Waiting for your CA\. Nothing is wrong/);
  assert.match(await box.getByTestId('fix-terminal').innerText(), /From a terminal: mtls-tray csr import-cert --profile corp CERT\.pem/);

  await view.getByRole('button', { name: 'Test connection' }).click();
  const out = view.getByTestId('doctor');
  await out.waitFor({ timeout: 30_000 });
  assert.match(await view.locator('.doctor-out h3').innerText(), /^Waiting for the certificate: the deployment checks passed/);
  assert.equal(await out.locator('[data-status="fail"]').count(), 0);
  assert.equal(await view.getByTestId('doctor-after-import').locator('li').count(), 6);
  await s.shot('csr-pending-status');
    assert.deepEqual(await graveViolations(page), [], 'axe: no serious or critical violation');

  const signed = join(s.tmp, 'carol.crt');
  writeFileSync(signed, await corpCa.sign(await s.service.pendingCsr('corp')));
  s.pick('certificate', signed);
  await box.getByRole('button', { name: 'Import issued certificate…' }).click();
  await view.getByTestId('csr-pending').waitFor({ state: 'detached' });
  assert.match(await view.getByTestId('issuer').innerText(), /Corp Issuing CA/);
  assert.equal((await s.service.status('corp'))!.profile.pending, false);
});
