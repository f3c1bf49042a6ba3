// tier: integration
/**
 * Issue 12 in the window (real Chromium, real handlers and service, `openssl ca` as the CA): a
 * CA-issued profile shows "Renewal by your CA". Request a new certificate shows, copies and
 * saves the CSR and says since when it is pending; Import issued certificate publishes the
 * signed one as the next generation (same key, settings untouched); Set up automatic renewal
 * stores the issuer command with its warning, and Renew then goes through it.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeOpensslCa } from '../helpers/openssl-ca';
import { until } from './harness';
import { test } from './fixtures';


test('window: request, import and set up automatic renewal for a CA-issued profile', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  const ca = makeOpensslCa('Corp Issuing CA', s.tmp);
  const init = await s.service.init({ url: 'https://coder.corp.example', name: 'Corp', identity: { kind: 'csr' }, sans: ['email:alice@corp.example'], editors: ['code'], proxyConsent: true });
  await s.service.csrImportCert(await ca.sign(init.csrPem!), 'corp', { editors: ['code'], proxyConsent: true });
  const settingsFile = join(s.home, '.config', 'Code', 'User', 'settings.json');
  const settings0 = { text: readFileSync(settingsFile, 'utf8'), ino: statSync(settingsFile).ino };
  const key0 = readFileSync(join(s.dataDir, 'active', 'current', 'client.key'), 'utf8');

  await s.open();
  const box = page.locator('section[aria-labelledby="reenrol-heading"]');
  await box.waitFor();
  assert.equal(await page.locator('[data-action="renew"]').count(), 0, 'no Renew button without an issuer command');
  await s.shot('reenrol-1-ca-issued');

  // Request a new certificate: pending since …, the CSR shown, copied and saved.
  await box.getByRole('button', { name: 'Request a new certificate…' }).click();
  const pending = page.getByTestId('reenrol-pending');
  await pending.waitFor();
  assert.match(await pending.innerText(), /Re-enrolment pending since .* \(for the current key\)/);
  const csr = await pending.locator('pre.pem').innerText();
  assert.match(csr, /BEGIN CERTIFICATE REQUEST/);
  await pending.getByRole('button', { name: 'Copy request' }).click();
  await until(() => s.clipboard.length === 1);
  assert.equal(s.clipboard[0]!.trim(), csr.trim());
  const saved = join(s.tmp, 'corp.csr');
  s.saveAs(saved);
  await pending.getByRole('button', { name: 'Save request as a file…' }).click();
  await pending.getByText(/Saved to/).waitFor();
  await s.shot('reenrol-2-request');

  // The CA signs it; import it.
  const issued = join(s.tmp, 'issued.crt');
  writeFileSync(issued, await ca.sign(readFileSync(saved, 'utf8')));
  s.pick('certificate', issued);
  await page.locator('[data-action="import-reenrolled"]').click();
  await page.getByTestId('reenrol-pending').waitFor({ state: 'detached' });
  const gens = (await s.service.status('corp'))!.generations;
  assert.equal(gens[0]!.number, 2);
  assert.equal(readFileSync(join(s.dataDir, 'active', 'current', 'client.key'), 'utf8'), key0, 'same key');
  assert.deepEqual({ text: readFileSync(settingsFile, 'utf8'), ino: statSync(settingsFile).ino }, settings0, 'no settings write');

  // Set up automatic renewal: the warning is plain, the command is stored, Renew appears and works.
  const setup = page.getByTestId('issuer-setup');
  await setup.locator('summary').click();
  assert.match(await page.getByTestId('issuer-warning').innerText(), /runs on this computer, as you/);
  const script = join(s.tmp, 'issue.sh');
  writeFileSync(script, `#!/bin/sh\nset -e\nout=$(mktemp)\nopenssl ca -batch -config '${ca.dir}/ca.cnf' -notext -in "$MTLS_TRAY_CSR_FILE" -out "$out" -extensions ext_client -days 20 2>/dev/null\ncat "$out"; rm -f "$out"\n`, { mode: 0o755 });
  await setup.getByLabel('Issuer command').fill(script);
  await s.shot('reenrol-3-issuer-setup');
  await setup.getByRole('button', { name: 'Save issuer command' }).click();
  await page.getByTestId('issuer-state').filter({ hasText: 'Automatic renewal is on' }).waitFor({ state: 'attached' });
  await page.locator('[data-action="renew"]').click();
  for (let i = 0; i < 100 && (await s.service.status('corp'))!.generations[0]!.number !== 3; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await s.service.status('corp'))!.generations[0]!.number, 3, 'Renew went through the issuer command');
  assert.equal(readFileSync(join(s.dataDir, 'active', 'current', 'client.key'), 'utf8'), key0);
  assert.equal(readFileSync(settingsFile, 'utf8'), settings0.text);
  await s.shot('reenrol-4-automatic');
  assert.deepEqual(await s.problems(), []);
});
