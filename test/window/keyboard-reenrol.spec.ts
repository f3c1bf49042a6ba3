/**
 * Re-enrolment with the keyboard only (issue 15): from the status view of a CA-issued profile,
 * Tab and Enter alone request a new certificate, copy it, import the certificate the CA issued,
 * and set up automatic renewal with an issuer command, with a visible focus ring on every stop.
 * (The wizard's and the edit dialog's keyboard paths are in wizard.spec.ts and edit.spec.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeOpensslCa } from '../helpers/openssl-ca';
import { test } from './fixtures';
import { until } from './harness';

/**
 * Presses Tab until the focused element matches `selector` (and has the text `text`, when
 * given); fails after `max` stops. Every stop on the way must show where the focus is.
 */
async function tabTo(page: Page, selector: string, text?: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const here = (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      return { match: el.matches(${JSON.stringify(selector)}) && (${JSON.stringify(text ?? null)} === null || el.textContent.trim() === ${JSON.stringify(text ?? null)}), ring: cs.outlineStyle !== 'none' && cs.outlineWidth !== '0px' || cs.boxShadow !== 'none', what: el.outerHTML.slice(0, 80) };
    })()`)) as { match: boolean; ring: boolean; what: string } | null;
    if (here && !here.ring) throw new Error(`no visible focus on ${here.what}`);
    if (here?.match) return;
  }
  throw new Error(`${selector} not reached with Tab`);
}

test('re-enrolment with the keyboard only: request, copy, import, automatic renewal', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  const ca = makeOpensslCa('Corp Issuing CA', s.tmp);
  const init = await s.service.init({ url: 'https://coder.corp.example', name: 'Corp', identity: { kind: 'csr' }, sans: ['email:alice@corp.example'], editors: ['code'], proxyConsent: true });
  await s.service.csrImportCert(await ca.sign(init.csrPem!), 'corp', { editors: ['code'], proxyConsent: true });
  const key0 = readFileSync(join(s.dataDir, 'active', 'current', 'client.key'), 'utf8');
  await s.open();
  await page.locator('section[aria-labelledby="reenrol-heading"]').waitFor();

  // Request a new certificate…
  await tabTo(page, 'section[aria-labelledby="reenrol-heading"] button', 'Request a new certificate…');
  await page.keyboard.press('Enter');
  const pending = page.getByTestId('reenrol-pending');
  await pending.waitFor();
  const csr = await pending.locator('pre.pem').innerText();

  // Copy request
  await tabTo(page, '[data-testid="reenrol-pending"] button', 'Copy request');
  await page.keyboard.press('Enter');
  await until(() => s.clipboard.length === 1);
  assert.equal(s.clipboard[0]!.trim(), csr.trim());

  // Import issued certificate… (the native file dialog answers with the CA's certificate)
  const issued = join(s.tmp, 'issued.crt');
  writeFileSync(issued, await ca.sign(csr));
  s.pick('certificate', issued);
  await tabTo(page, '[data-action="import-reenrolled"]');
  await page.keyboard.press('Enter');
  await pending.waitFor({ state: 'detached' });
  assert.equal((await s.service.status('corp'))!.generations[0]!.number, 2);
  assert.equal(readFileSync(join(s.dataDir, 'active', 'current', 'client.key'), 'utf8'), key0, 'same key');

  // Set up automatic renewal: open the form, type the command, save.
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await tabTo(page, '[data-testid="issuer-setup"] summary');
  await page.keyboard.press('Enter');
  await tabTo(page, '[data-testid="issuer-setup"] input, [data-testid="issuer-setup"] textarea');
  const script = join(s.tmp, 'issue.sh');
  writeFileSync(script, `#!/bin/sh\nset -e\nout=$(mktemp)\nopenssl ca -batch -config '${ca.dir}/ca.cnf' -notext -in "$MTLS_TRAY_CSR_FILE" -out "$out" -extensions ext_client -days 20 2>/dev/null\ncat "$out"; rm -f "$out"\n`, { mode: 0o755 });
  await page.keyboard.type(script);
  await tabTo(page, '[data-testid="issuer-setup"] button', 'Save issuer command');
  await page.keyboard.press('Enter');
  await page.getByTestId('issuer-state').filter({ hasText: 'Automatic renewal is on' }).waitFor({ state: 'attached' });
  assert.equal((await s.service.listProfiles()).find((p) => p.id === 'corp')!.issuerCommand, true);
});
