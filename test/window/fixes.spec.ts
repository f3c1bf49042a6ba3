// Every fix is a button (issue 15 item 1), proved in the window against the real handlers and
// service: NO_SAN on a self-signed certificate (Renew clears it) and on an imported one
// (request with names, the CA signs, import clears it), EXPIRED on a CA-issued certificate
// (request and import), an issuer command that exits 1 (what failed, and the buttons that
// still work), "Test connection" failures (server not trusted → Choose CA bundle…, proxy →
// Fix proxy setting), and a certificate dated ahead rolled back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { createServiceContext } from '../../main/services/context';
import { makeOpensslCa, type OpensslCa } from '../helpers/openssl-ca';
import { graveViolations } from './axe-check';
import { startDeployment, type Deployment } from './deployment';
import { readJsonc, REPO, SCREENSHOTS, type Session } from './harness';
import { expect, test } from './fixtures';
import { makeCa, makeLeaf, type Pem } from './pki';

const DAY = 86_400_000;
let pki: string;
let corpCa: OpensslCa;
let serverCa: Pem;
let deployment: Deployment;

test.beforeAll(async () => {
  pki = mkdtempSync(join(tmpdir(), 'mtls-fixes-'));
  corpCa = makeOpensslCa('Corp Issuing CA', pki);
  serverCa = makeCa(pki, 'server-ca');
  deployment = await startDeployment(makeLeaf(pki, 'server', { cn: 'coder', sans: ['DNS:localhost', 'IP:127.0.0.1'], days: 30, usage: 'serverAuth', ca: serverCa }));
});

test.afterAll(async () => {
  await deployment?.stop();
  rmSync(pki, { recursive: true, force: true });
});

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** A key and a CN-only CSR (no SAN), as an old enrolment or a portal might make them. */
function cnOnlyRequest(dir: string, name: string): { keyPem: string; csrPem: string } {
  const cnf = join(dir, `${name}.cnf`);
  writeFileSync(cnf, '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = alice\n');
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-config', cnf], dir);
  return { keyPem: readFileSync(join(dir, `${name}.key`), 'utf8'), csrPem: readFileSync(join(dir, `${name}.csr`), 'utf8') };
}

/** The buttons of a warning or check, by action. */
const fixesOf = (box: Locator) => box.locator('.fix-actions [data-fix]').evaluateAll((els) => els.map((e) => e.getAttribute('data-fix')));

/** A CA-issued (CSR) profile whose certificate from the corporate CA expired two days ago by the service's clock. */
async function expiredCaIssued(s: Session, name: string): Promise<void> {
  const now = Date.now();
  const init = await s.service.init({ url: 'https://coder.corp.example', name, identity: { kind: 'csr' }, sans: ['email:alice@corp.example'], editors: ['code'], proxyConsent: true });
  s.clock.now = new Date(now + 5_000); // openssl dates from the current second
  await s.service.csrImportCert(await corpCa.sign(init.csrPem!, { startDate: new Date(now - 2 * DAY), endDate: new Date(now + DAY) }), init.profile.id, { editors: ['code'], proxyConsent: true });
  s.clock.now = new Date(now + 3 * DAY);
}

test('NO_SAN on a self-signed certificate: Renew clears it', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await s.service.init({ url: 'https://coder.example.com', name: 'Laptop', identity: { kind: 'self-signed' }, sans: ['email:alice@example.com'], editors: ['code'], proxyConsent: true });
  // The current generation: a CN-only certificate for the same key, as an older version or a hand-made one left it.
  const dir = mkdtempSync(join(s.tmp, 'old-'));
  const keyFile = join(s.dataDir, 'active', 'current', 'client.key');
  writeFileSync(join(dir, 'cn.cnf'), '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = alice\n[ext]\nbasicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = clientAuth\n');
  openssl(['req', '-x509', '-key', keyFile, '-out', 'old.crt', '-days', '30', '-config', 'cn.cnf', '-extensions', 'ext'], dir);
  const ctx = createServiceContext({ dataDir: s.dataDir, env: { HOME: s.home }, platform: process.platform, homedir: s.home, cliCommand: [process.execPath, join(REPO, 'dist', 'cli.js')], vars: { user: 'alice', hostname: 'alice-laptop.example.com' } });
  await ctx.store.writeGeneration('laptop', { cert: readFileSync(join(dir, 'old.crt'), 'utf8'), key: readFileSync(keyFile, 'utf8'), ca: null, headers: '' }, { operation: 'import' });

  await s.open();
  const view = page.getByTestId('status-view');
  const noSan = view.locator('li.warning[data-code="NO_SAN"]');
  await noSan.waitFor();
  assert.deepEqual(await fixesOf(noSan), ['renew']);
  assert.match(await noSan.locator('.fix').innerText(), /Renew with the button below: the new certificate carries this profile's names \(email:alice@example\.com\)/);
  assert.equal(await noSan.getByTestId('fix-terminal').innerText(), 'From a terminal: mtls-tray renew');
  await s.shot('status-no-san-self-signed');
  assert.deepEqual(await graveViolations(page), [], 'axe: no serious or critical violation');
  await noSan.getByRole('button', { name: 'Renew' }).click();
  await noSan.waitFor({ state: 'detached' });
  assert.match(await view.getByTestId('sans').innerText(), /alice@example\.com/);
  assert.equal((await s.service.status())!.report!.warnings.some((w) => w.code === 'NO_SAN'), false);
});

test('NO_SAN on an imported certificate: request a new one with names, the CA signs it, the import clears it', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  const dir = mkdtempSync(join(s.tmp, 'cn-'));
  const { keyPem, csrPem } = cnOnlyRequest(dir, 'alice');
  await s.service.init({ url: 'https://coder.corp.example', name: 'Corp', identity: { kind: 'import-pem', certPem: await corpCa.sign(csrPem), keyPem }, editors: ['code'], proxyConsent: true });
  s.clock.now = new Date(Date.now() + 5_000);
  const key0 = readFileSync(join(s.dataDir, 'active', 'current', 'client.key'), 'utf8');

  await s.open();
  const view = page.getByTestId('status-view');
  const noSan = view.locator('li.warning[data-code="NO_SAN"]');
  await noSan.waitFor();
  assert.deepEqual(await fixesOf(noSan), ['request-with-names']);
  const how = await noSan.locator('.fix').innerText();
  assert.doesNotMatch(how, /Make a new certificate|--san/, 'not the self-signed wording');
  assert.match(how, /only your CA can replace it/);
  assert.equal(await noSan.getByTestId('fix-terminal').innerText(), 'From a terminal: mtls-tray edit --san NAME; mtls-tray csr new --out request.csr');
  await s.shot('status-no-san-imported');
  assert.deepEqual(await graveViolations(page), [], 'axe: no serious or critical violation');

  // Request a new certificate with names: the names go into the profile and the request.
  await noSan.getByRole('button', { name: 'Request a new certificate with names…' }).click();
  const dlg = page.getByTestId('names-dialog');
  await dlg.waitFor();
  await dlg.getByRole('button', { name: 'Make the request' }).click();
  await dlg.locator('.field-error', { hasText: 'Give at least one name' }).waitFor();
  await dlg.getByLabel('Names (SANs), one per line').fill('email:alice@corp.example\nDNS:alice-laptop');
  // The dialog as seen (a full-page shot would stretch the page behind its backdrop).
  await page.screenshot({ path: join(SCREENSHOTS, 'status-no-san-names-dialog.png'), animations: 'disabled' });
  assert.deepEqual(await graveViolations(page), [], 'axe: no serious or critical violation');
  await dlg.getByRole('button', { name: 'Make the request' }).click();
  await dlg.waitFor({ state: 'detached' });
  const pending = view.getByTestId('reenrol-pending');
  await pending.waitFor();
  const request = await pending.locator('pre.pem').innerText();
  const reqFile = join(dir, 'new.csr');
  writeFileSync(reqFile, request);
  assert.match(openssl(['req', '-in', reqFile, '-noout', '-text'], dir), /email:alice@corp\.example, DNS:alice-laptop/, 'the request carries the names');
  // The request is out: the warning's main button is now the import.
  assert.deepEqual(await fixesOf(view.locator('li.warning[data-code="NO_SAN"]')), ['import-cert', 'request']);
  await s.shot('reenrol-requested');
  assert.deepEqual(await graveViolations(page), [], 'axe: no serious or critical violation');

  const issued = join(dir, 'issued.crt');
  writeFileSync(issued, await corpCa.sign(request));
  // openssl dates the certificate from this second: the service's clock must not lag behind it (a slow machine).
  s.clock.now = new Date(Date.now() + 5_000);
  s.pick('certificate', issued);
  await view.locator('li.warning[data-code="NO_SAN"]').getByRole('button', { name: 'Import issued certificate…' }).click();
  await view.locator('li.warning[data-code="NO_SAN"]').waitFor({ state: 'detached' });
  assert.match(await view.getByTestId('sans').innerText(), /alice@corp\.example[\s\S]*alice-laptop/);
  assert.equal(await view.getByTestId('reenrol-pending').count(), 0);
  assert.equal(readFileSync(join(s.dataDir, 'active', 'current', 'client.key'), 'utf8'), key0, 'same key: a renewal by the CA');
});

test('EXPIRED on a CA-issued certificate: request and import, with "Remind me tomorrow" beside them', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await expiredCaIssued(s, 'Corp');
  await s.open();
  const view = page.getByTestId('status-view');
  const expired = view.locator('li.warning[data-code="EXPIRED"]');
  await expired.waitFor();
  assert.deepEqual(await fixesOf(expired), ['request', 'import-cert']);
  assert.equal(await expired.getByRole('button', { name: 'Remind me tomorrow' }).count(), 1, 'a second answer while the CA works');
  assert.match(await expired.getByTestId('fix-terminal').innerText(), /^From a terminal: mtls-tray csr new --out request\.csr; mtls-tray csr import-cert CERT\.pem$/);
  await s.shot('status-expired-actions');
  assert.deepEqual(await graveViolations(page), [], 'axe: no serious or critical violation');

  await expired.getByRole('button', { name: 'Request a new certificate…' }).click();
  const pending = view.getByTestId('reenrol-pending');
  await pending.waitFor();
  const issued = join(s.tmp, 'renewed.crt');
  writeFileSync(issued, await corpCa.sign(await pending.locator('pre.pem').innerText()));
  s.pick('certificate', issued);
  await view.locator('li.warning[data-code="EXPIRED"]').getByRole('button', { name: 'Import issued certificate…' }).click();
  await view.locator('li.warning[data-code="EXPIRED"]').waitFor({ state: 'detached' });
  assert.match(await view.getByTestId('validity').innerText(), /2[0-9] days left/);
  assert.equal((await s.service.status())!.generations[0]!.number, 2);
});

test('an issuer command that exits 1: the window shows what failed and the buttons that still work', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await expiredCaIssued(s, 'Corp');
  await s.service.setIssuerCommand('corp', { command: "printf 'CA said no: quota exceeded for alice\\n' >&2; exit 1" });
  await s.open();
  const view = page.getByTestId('status-view');
  const expired = view.locator('li.warning[data-code="EXPIRED"]');
  await expired.waitFor();
  assert.deepEqual(await fixesOf(expired), ['renew'], 'the issuer command renews it');
  await expired.getByRole('button', { name: 'Renew' }).click();
  const failure = expired.getByTestId('fix-failure');
  await failure.waitFor();
  assert.equal(await failure.getAttribute('data-code'), 'ISSUER_COMMAND_FAILED');
  assert.match(await failure.innerText(), /failed with exit code 1; stderr: CA said no: quota exceeded for alice/);
  assert.deepEqual(await failure.locator('[data-fix]').evaluateAll((els) => els.map((e) => e.getAttribute('data-fix'))), ['request', 'issuer-setup']);
  assert.match(await failure.getByTestId('fix-terminal').innerText(), /mtls-tray csr new --out request\.csr; mtls-tray edit --issuer-command CMD/);
  await s.shot('issuer-failure');
  assert.deepEqual(await graveViolations(page), [], 'axe: no serious or critical violation');

  // "Change the issuer command…" opens its form, focused; the request by hand works meanwhile.
  await failure.getByRole('button', { name: 'Change the issuer command…' }).click();
  const setup = view.getByTestId('issuer-setup');
  assert.equal(await setup.getAttribute('open'), '');
  assert.equal(await page.evaluate('document.activeElement && document.activeElement.closest("[data-testid=issuer-setup]") !== null'), true);
  await failure.getByRole('button', { name: 'Request a new certificate…' }).click();
  await view.getByTestId('reenrol-pending').waitFor();
  assert.equal((await s.service.status())!.profile.reenrolment !== undefined, true);
});

test('Test connection: server not trusted → Choose CA bundle…; proxy support → Fix proxy setting', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await s.service.init({ url: deployment.url, name: 'Stand-in', identity: { kind: 'self-signed' }, editors: ['code'], proxyConsent: false });
  await s.open();
  const view = page.getByTestId('status-view');
  await view.getByRole('button', { name: 'Test connection' }).click();
  const out = view.getByTestId('doctor');
  await out.waitFor({ timeout: 30_000 });

  const trust = out.locator('[data-check="server-trust"]');
  assert.equal(await trust.getAttribute('data-status'), 'fail');
  assert.deepEqual(await fixesOf(trust), ['ca-bundle']);
  assert.doesNotMatch(await trust.locator('.fix').innerText(), /--ca-bundle/, 'no CLI flag right under the button');
  assert.equal(await trust.getByTestId('fix-terminal').innerText(), 'From a terminal: mtls-tray edit --ca-bundle FILE');
  const proxy = out.locator('[data-check="proxy-support:code"]');
  assert.deepEqual(await fixesOf(proxy), ['fix-proxy']);
  await s.shot('status-test-connection-fixes');
  assert.deepEqual(await graveViolations(page), [], 'axe: no serious or critical violation');

  // Choose CA bundle… opens the edit dialog at its CA bundle field; the server's CA, applied,
  // makes the check pass when tested again.
  await trust.locator('[data-fix="ca-bundle"]').click();
  const dialog = page.getByTestId('edit-dialog');
  await dialog.locator('[data-field="caBundle"] :focus').waitFor();
  assert.equal(await page.evaluate('document.activeElement && document.activeElement.closest("[data-field=caBundle]") !== null'), true, 'the CA bundle field has focus');
  s.pick('ca-bundle', serverCa.certFile);
  await page.keyboard.press('Enter');
  await dialog.getByTestId('ca-bundle-state').filter({ hasText: 'New: server-ca.crt' }).waitFor();
  await dialog.getByRole('button', { name: 'Preview changes' }).click();
  await dialog.getByRole('button', { name: 'Apply changes' }).click();
  await dialog.getByTestId('edit-result').waitFor();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await view.locator('[data-testid="history"] tr.current[data-generation="2"]').waitFor();
  await passesOnRetest(view, 'server-trust');

  // Fix proxy setting: the diff, Apply, and the check passes when tested again.
  await view.getByRole('button', { name: 'Test connection' }).click();
  await view.locator('[data-check="proxy-support:code"] [data-fix="fix-proxy"]').click();
  const sd = page.getByTestId('settings-dialog');
  await sd.getByRole('button', { name: 'Apply these changes' }).click();
  await sd.getByText(/Done: 1 file written/).waitFor();
  await sd.getByRole('button', { name: 'Close' }).click();
  assert.equal(readJsonc(join(s.home, '.config', 'Code', 'User', 'settings.json'))['http.proxySupport'], 'on');
  await passesOnRetest(view, 'proxy-support:code');
});

/**
 * "Test connection" until the check passes. The status view is drawn again after a dialog that
 * wrote something closes (and on the state-changed event), which can drop results drawn into the
 * view it replaced: test again from the new one.
 */
async function passesOnRetest(view: Locator, check: string): Promise<void> {
  await expect(async () => {
    await view.getByRole('button', { name: 'Test connection' }).click();
    await view.locator(`[data-check="${check}"][data-status="pass"]`).waitFor({ timeout: 10_000 });
  }).toPass({ timeout: 60_000 });
}

test('a certificate dated ahead (NOT_YET_VALID after a renewal with a wrong clock): Roll back', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  const t0 = Date.now();
  s.clock.now = new Date(t0);
  await s.service.init({ url: 'https://coder.example.com', name: 'Laptop', identity: { kind: 'self-signed' }, days: 30, editors: ['code'], proxyConsent: true });
  s.clock.now = new Date(t0 + 10 * DAY);
  await s.service.renew();
  s.clock.now = new Date(t0 + DAY);
  await s.open();
  const view = page.getByTestId('status-view');
  const early = view.locator('li.warning[data-code="NOT_YET_VALID"]');
  await early.waitFor();
  assert.deepEqual(await fixesOf(early), ['renew', 'rollback']);
  assert.match(await early.locator('.fix').innerText(), /clock[\s\S]*Roll back/);
  await early.getByRole('button', { name: 'Roll back…' }).click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Roll back' }).click();
  await early.waitFor({ state: 'detached' });
  await view.locator('tr[data-generation="1"].current').waitFor();
  assert.equal((await s.service.status())!.generations.find((g) => g.current)!.number, 1);
});
