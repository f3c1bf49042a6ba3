/**
 * Every view, wizard step and dialog of the window, reached the way a user reaches it, for the
 * accessibility and layout checks (a11y-layout.spec.ts). Each state names the element whose
 * presence says it is drawn.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { Session } from './harness';
import { makeCa, makeLeaf } from './pki';

export interface TourState {
  name: string;
  /** Sets the state up from a fresh session (opened, empty data dir) and waits until it is drawn. */
  reach(s: Session, pki: string): Promise<void>;
}

const DAY = 86_400_000;
/** A deployment nobody answers: the checks fail quickly, which is a state worth checking too. */
const NOWHERE = 'https://127.0.0.1:9';

const stepHeading = (page: Page, title: string) => page.locator('#wz-step-title', { hasText: title });

async function wizardTo(s: Session, title: string): Promise<void> {
  const { page } = s;
  await s.open();
  await page.getByLabel('Coder deployment address').fill(NOWHERE);
  await page.getByRole('button', { name: 'Check and continue' }).click();
  await page.getByTestId('deployment-check').waitFor();
  if (title === 'Deployment checked') return;
  await page.getByRole('button', { name: 'Continue anyway' }).click();
  for (const step of ['Identity', 'Names and key', 'Headers', 'Editors', 'Apply']) {
    await stepHeading(page, step).waitFor();
    if (step === 'Headers') {
      await page.getByRole('button', { name: 'Add a header' }).click();
      await page.getByLabel('Header 1 name').fill('X-Client-Fingerprint');
      await page.getByLabel('Header 1 value').fill('{{cert.spki.sha256}}');
    }
    if (step === 'Editors') await page.getByTestId('settings-preview').locator('[data-testid="settings-diff"], [data-testid="preview-unavailable"]').first().waitFor();
    if (step === title) return;
    await page.locator('[data-action="wizard-next"]').click();
  }
  // (The last Next was "Create profile".)
  if (title !== 'Done') throw new Error(`no wizard step ${title}`);
  await page.getByTestId('connection').waitFor({ timeout: 30_000 });
}

/** A self-signed profile configured in VS Code, and an imported one without SANs that expired. */
async function twoProfiles(s: Session, pki: string): Promise<void> {
  // Both made now (openssl cannot back-date), then judged 40 days later: the 30-day import has expired.
  const t0 = Date.now();
  const old = makeLeaf(pki, `old-${t0}-${Math.random().toString(36).slice(2)}`, { cn: 'alice', sans: [], days: 30, usage: 'clientAuth' });
  await s.service.init({ url: 'https://old.example.com', name: 'Old import', identity: { kind: 'import-pem', certPem: old.cert, keyPem: old.key }, noSettings: true });
  await s.service.init({ url: 'https://coder.example.com', name: 'Work', identity: { kind: 'self-signed' }, sans: ['email:alice@example.com'], days: 365, editors: ['code'], proxyConsent: true, headers: [{ name: 'X-Client-Fingerprint', value: '{{cert.spki.sha256}}' }] });
  s.clock.now = new Date(t0 + 40 * DAY);
}

/** The two profiles above, seen in the Profiles view. */
async function profilesView(s: Session, pki: string): Promise<void> {
  await twoProfiles(s, pki);
  await s.open();
  await s.page.locator('[data-nav="profiles"]').click();
}

export const TOUR: TourState[] = [
  ...['Deployment', 'Deployment checked', 'Identity', 'Names and key', 'Headers', 'Editors', 'Apply', 'Done'].map((title) => ({
    name: `wizard: ${title}`,
    async reach(s: Session) {
      if (title === 'Deployment') {
        await s.open();
        await s.page.getByLabel('Coder deployment address').waitFor();
        return;
      }
      await wizardTo(s, title);
    },
  })),
  {
    name: 'status: warnings (expired, no SAN)',
    async reach(s, pki) {
      await twoProfiles(s, pki);
      await s.open();
      await s.page.getByTestId('status-view').waitFor();
      await s.page.getByTestId('other-profiles').waitFor();
      await s.page.locator('[data-action="show-old-import"]').click();
      await s.page.locator('[data-testid="warnings"] [data-code="EXPIRED"]').waitFor();
    },
  },
  {
    name: 'status: healthy, with test connection results',
    async reach(s, pki) {
      await twoProfiles(s, pki);
      await s.open();
      await s.page.getByTestId('status-view').waitFor();
      await s.page.locator('[data-action="doctor"]').click();
      await s.page.locator('.doctor-out [data-check]').first().waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'settings diff dialog',
    async reach(s, pki) {
      await twoProfiles(s, pki);
      await s.service.removeSettings({});
      await s.open();
      await s.page.locator('[data-action="settings-diff"]').first().click();
      await s.page.locator('dialog[open]').waitFor();
    },
  },
  {
    name: 'profiles',
    async reach(s, pki) {
      await profilesView(s, pki);
      await s.page.getByTestId('profiles-view').waitFor();
    },
  },
  {
    name: 'delete confirmation',
    async reach(s, pki) {
      await profilesView(s, pki);
      await s.page.locator('[data-action="delete-old-import"]').click();
      await s.page.getByTestId('confirm-dialog').waitFor();
    },
  },
  {
    name: 'share dialog',
    async reach(s, pki) {
      await profilesView(s, pki);
      await s.page.locator('[data-action="export-work"]').click();
      await s.page.getByTestId('export-dialog').waitFor();
    },
  },
  {
    name: 'import a profile',
    async reach(s) {
      await s.service.init({ url: 'https://coder.example.com', name: 'Work', identity: { kind: 'self-signed' }, noSettings: true });
      await s.open();
      await s.page.locator('[data-nav="import"]').click();
      await s.page.getByTestId('import-view').waitFor();
    },
  },
  {
    name: 'workspace trust (Terraform snippet)',
    async reach(s, pki) {
      const ca = makeCa(pki, `trust-ca-${Date.now()}`);
      await s.service.init({ url: 'https://coder.corp.example', name: 'Corp', identity: { kind: 'self-signed' }, caBundlePem: ca.cert, noSettings: true });
      await s.open();
      await s.page.getByTestId('trust').getByLabel('Format').selectOption('terraform');
      await s.page.locator('[data-testid="trust-snippet"][data-format="terraform"]').waitFor();
    },
  },
  {
    name: 'drift: an editor key and a published file changed outside mtls-tray',
    async reach(s) {
      await s.service.init({ url: 'https://coder.example.com', name: 'Work', identity: { kind: 'self-signed' }, editors: ['code'] });
      const settings = `${s.home}/.config/Code/User/settings.json`;
      writeFileSync(settings, readFileSync(settings, 'utf8').replace(/("coder\.tlsCertFile": )"[^"]*"/, '$1"/corp/me.crt"'));
      writeFileSync(`${s.dataDir}/bin/coder-header-command`, '#!/bin/sh\necho X-Team=infra\n');
      await s.open();
      await s.page.getByTestId('drift').locator('[data-drift-source="files"]').waitFor();
    },
  },
  {
    name: 'local CA status',
    async reach(s) {
      await s.service.init({ url: 'https://coder.example.com', name: 'Team CA', identity: { kind: 'local-ca' }, sans: ['email:alice@example.com'], noSettings: true });
      await s.open();
      await s.page.getByTestId('status-view').waitFor();
    },
  },
  // Issue 15: editing in the window (edit.spec.ts drives these in depth).
  {
    name: 'edit dialog with its settings diff preview',
    async reach(s, pki) {
      await twoProfiles(s, pki);
      await s.open();
      await s.page.locator('[data-action="edit-profile"]').click();
      const dialog = s.page.getByTestId('edit-dialog');
      await dialog.getByLabel('Alt host (optional)').fill('coder-internal.example.com');
      await dialog.getByRole('button', { name: 'Add a header' }).click();
      await dialog.getByLabel('Header 2 name').fill('X-Team');
      await dialog.getByLabel('Header 2 value').fill('platform');
      await dialog.getByRole('button', { name: 'Preview changes' }).click();
      await dialog.getByTestId('settings-diff').waitFor();
    },
  },
  {
    name: 'edit applied, with the reload notice',
    async reach(s, pki) {
      await twoProfiles(s, pki);
      await s.service.editProfile({ profileId: 'work', removeHeaders: ['X-Client-Fingerprint'] });
      await s.open();
      await s.page.locator('[data-action="edit-profile"]').click();
      const dialog = s.page.getByTestId('edit-dialog');
      await dialog.getByRole('button', { name: 'Add a header' }).click();
      await dialog.getByLabel('Header 1 name').fill('X-Team');
      await dialog.getByRole('button', { name: 'Preview changes' }).click();
      await dialog.getByRole('button', { name: 'Apply changes' }).click();
      await dialog.getByTestId('reload-notice').waitFor();
    },
  },
  {
    name: 'history dialog',
    async reach(s, pki) {
      await twoProfiles(s, pki);
      await s.service.renew('work');
      await s.open();
      await s.page.locator('[data-nav="profiles"]').click();
      await s.page.locator('[data-action="history-work"]').click();
      await s.page.getByTestId('history-dialog').getByTestId('history').waitFor();
    },
  },
  {
    name: 'status: a CSR waiting for its CA',
    async reach(s) {
      await s.service.init({ url: 'https://coder.corp.example', name: 'Corp', identity: { kind: 'csr' }, sans: ['email:alice@corp.example'], noSettings: true });
      await s.open();
      await s.page.getByTestId('csr-pending').waitFor();
    },
  },
  {
    name: 'status: CA-issued, a new certificate requested',
    async reach(s, pki) {
      const old = makeLeaf(pki, `corp-${Date.now()}-${Math.random().toString(36).slice(2)}`, { cn: 'alice', sans: ['email:alice@corp.example'], days: 30, usage: 'clientAuth' });
      await s.service.init({ url: 'https://coder.corp.example', name: 'Corp', identity: { kind: 'import-pem', certPem: old.cert, keyPem: old.key }, editors: ['code'], proxyConsent: true });
      await s.service.csrNew('corp', {});
      await s.open();
      await s.page.getByTestId('reenrol-pending').waitFor();
    },
  },
];
