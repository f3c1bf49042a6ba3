// tier: integration
/**
 * The tray's re-enrolment items open the window at a part of the status view (main sends a
 * navigate event, as main/app/setup-tray.ts does for "Request a new certificate…" and "Set up
 * automatic renewal…"): after a request, the re-enrolment section with the request, where to
 * send it and the import button, focused; the issuer-command form opened with its input focused.
 */
import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { test } from './fixtures';
import { makeCa, makeLeaf } from './pki';

const focused = async (page: Page) => (await page.evaluate("(() => { const e = document.activeElement; return e ? (e.id || e.getAttribute('aria-label') || e.tagName) + '|' + (e.labels?.[0]?.textContent ?? '') : '' })()")) as string;


/** Polls an expression in the page (waitForFunction's string form would need eval, which the window's CSP refuses). */
async function pageUntil(page: Page, expression: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`not true in time: ${expression}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('tray navigation: the re-enrolment section after a request, the issuer form for automatic renewal', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  const ca = makeCa(s.tmp, 'corp-ca');
  const leaf = makeLeaf(s.tmp, 'corp', { cn: 'alice', sans: ['email:alice@corp.example'], days: 30, usage: 'clientAuth', ca });
  await s.service.init({ url: 'https://coder.corp.example', name: 'Corp', identity: { kind: 'import-pem', certPem: leaf.cert, keyPem: leaf.key, chainPem: ca.cert }, editors: ['code'], proxyConsent: true });
  await s.open();
  await page.getByTestId('status-view').waitFor();

  // "Request a new certificate…" in the tray: the service makes the request, main opens the window at it.
  await s.service.csrNew('corp', {});
  await page.evaluate("window.__mtlsNavigate({ view: 'status', profileId: 'corp', section: 'reenrol' })");
  await page.getByTestId('reenrol-pending').waitFor();
  await pageUntil(page, "document.activeElement?.id === 'reenrol-heading'");
  assert.match(await page.getByTestId('reenrol-pending').innerText(), /Re-enrolment pending since/);
  assert.match(await page.getByTestId('reenrol-pending').locator('pre.pem').innerText(), /BEGIN CERTIFICATE REQUEST/);
  assert.equal(await page.locator('[data-action="import-reenrolled"]').isVisible(), true, 'the import button is there');

  // "Set up automatic renewal…": the issuer form is open and its command input has focus.
  await page.evaluate("window.__mtlsNavigate({ view: 'status', profileId: 'corp', section: 'issuer' })");
  await pageUntil(page, "document.activeElement?.closest('details[data-testid=\"issuer-setup\"]') !== null");
  assert.equal(await page.locator('details[data-testid="issuer-setup"]').evaluate((d) => (d as unknown as { open: boolean }).open), true);
  assert.match(await focused(page), /\|Issuer command$/);
});
