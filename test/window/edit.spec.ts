// tier: integration
/**
 * Issue 15, editing a profile in the window (real Chromium, the real IPC handlers and service,
 * real openssl): a new CA bundle makes a new generation with the same key and certificate; an
 * alt host is one settings write that keeps the user's comments; a header with a certificate
 * placeholder changes what the header command prints and shows the remote-reload notice; SANs
 * and validity apply from the next renewal (and the next Renew uses them); a bad CA bundle is
 * refused at its field with nothing changed on disk; delete asks first (also from the status
 * view); history and rollback from the profiles view; and the whole edit by keyboard alone.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { readJsonc, type Session } from './harness';
import { test } from './fixtures';
import { certText, makeCa } from './pki';

const settingsFile = (s: Session) => join(s.home, '.config', 'Code', 'User', 'settings.json');
const current = (s: Session, file: string) => readFileSync(join(s.dataDir, 'active', 'current', file), 'utf8');
const gen = (s: Session, id: string, n: number, file: string) => readFileSync(join(s.dataDir, 'profiles', id, 'generations', String(n), file), 'utf8');

/** Every file and link under the data dir and the editor's User dir, with a hash of its content. */
function snapshot(s: Session): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, label: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const st = lstatSync(full);
      const key = `${label}/${name}`;
      if (st.isSymbolicLink()) out[key] = `-> ${readlinkSync(full)}`;
      else if (st.isDirectory()) walk(full, key);
      else out[key] = `${createHash('sha256').update(readFileSync(full)).digest('hex')} ino ${st.ino} mode ${st.mode.toString(8)}`;
    }
  };
  walk(s.dataDir, 'data');
  walk(join(s.home, '.config', 'Code', 'User'), 'Code/User');
  return out;
}

/** A self-signed profile the editors use, settings applied (proxy consent given: no proxy warning). */
async function acme(s: Session, name = 'Acme'): Promise<void> {
  await s.service.init({ url: 'https://coder.acme.example', name, identity: { kind: 'self-signed' }, sans: ['email:alice@acme.example'], days: 30, editors: ['code'], proxyConsent: true });
}

/**
 * The dialog scrolls inside the window; a screenshot shows all of it by making the window as tall
 * as the dialog (and as the page, so the backdrop covers everything the full-page shot shows).
 */
async function shotWhole(s: Session, name: string, dialog: Locator): Promise<void> {
  const size = s.page.viewportSize()!;
  const height = Math.max((await dialog.evaluate((d) => d.scrollHeight)) + 64, (await s.page.evaluate('document.documentElement.scrollHeight')) as number);
  if (height > size.height) {
    await s.page.setViewportSize({ width: size.width, height });
    // Two frames, so the backdrop is painted at the new size before the shot.
    await s.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  }
  await s.shot(name);
  await s.page.setViewportSize(size);
}

/** What the header command prints, run the way the Coder extension runs it (`/bin/sh -c <setting>`). */
function headerCommandOutput(s: Session): string {
  const value = readJsonc(settingsFile(s))['coder.headerCommand'];
  const cmd = typeof value === 'string' ? value : `'${join(s.dataDir, 'bin', 'coder-header-command').replace(/'/g, "'\\''")}'`;
  return execFileSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', env: { PATH: process.env.PATH } });
}

function spkiSha256(certFile: string): string {
  const pub = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-pubkey'], { encoding: 'utf8' });
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pub });
  return createHash('sha256').update(der).digest('hex');
}

/** axe-core's serious and critical findings inside one part of the page (rule id and the first target). */
async function seriousViolations(page: Page, include: string): Promise<string[]> {
  const res = await new AxeBuilder({ page }).include(include).analyze();
  return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`);
}

/** The data-action of the focused element (the window's buttons carry one). */
async function focusedAction(page: Page): Promise<string | null> {
  return (await page.evaluate("document.activeElement?.getAttribute('data-action') ?? null")) as string | null;
}

async function openEdit(s: Session): Promise<Locator> {
  await s.page.locator('[data-action="edit-profile"]').click();
  const dialog = s.page.getByTestId('edit-dialog');
  await dialog.getByLabel('Name', { exact: true }).waitFor();
  return dialog;
}


/** Polls an expression in the page (waitForFunction's string form would need eval, which the window's CSP refuses). */
async function pageUntil(page: Page, expression: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`not true in time: ${expression}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('CA bundle: a bad file is refused at its field with nothing changed; a good one makes a new generation with the same key and certificate', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await acme(s);
  await s.open();
  const before = snapshot(s);
  const cert1 = current(s, 'client.crt');
  const key1 = current(s, 'client.key');

  const dialog = await openEdit(s);
  assert.match(await dialog.getByTestId('ca-bundle-state').innerText(), /None: your system's trusted CAs/);

  // Not a certificate: the dry run already refuses it, at the CA bundle, and writes nothing.
  const bad = join(s.tmp, 'not-a-bundle.pem');
  writeFileSync(bad, 'hello, I am not a certificate\n');
  s.pick('ca-bundle', bad);
  await dialog.getByRole('button', { name: 'Choose CA bundle…' }).click();
  await dialog.getByTestId('ca-bundle-state').filter({ hasText: 'New: not-a-bundle.pem' }).waitFor();
  await dialog.getByRole('button', { name: 'Preview changes' }).click();
  const caField = dialog.locator('[data-field="caBundle"]');
  await caField.locator('.field-error', { hasText: 'holds no PEM certificate' }).waitFor();
  assert.match(await caField.locator('.field-error').innerText(), /How to fix: Pass the PEM file of the CA/);
  assert.equal(await dialog.getByRole('button', { name: 'Apply changes' }).isVisible(), false, 'no Apply after an error');
  assert.equal(await focusedAction(page), 'pick-caBundle', 'focus moved to the field at fault');
  assert.equal(await dialog.getByTestId('edit-error').isVisible(), false, 'not a general error');
  // A binary file: not text, also placed at the CA bundle.
  const binary = join(s.tmp, 'binary.der');
  writeFileSync(binary, Buffer.from([0x30, 0x82, 0xff, 0xfe, 0x00, 0x01]));
  s.pick('ca-bundle', binary);
  await dialog.getByRole('button', { name: 'Choose another CA bundle…' }).click();
  await dialog.getByTestId('ca-bundle-state').filter({ hasText: 'New: binary.der' }).waitFor();
  await dialog.getByRole('button', { name: 'Preview changes' }).click();
  await caField.locator('.field-error', { hasText: 'is not a text file' }).waitFor();
  assert.deepEqual(snapshot(s), before, 'nothing on disk changed');

  // A real CA bundle: the preview says what happens and shows the settings diff; still nothing written.
  const ca = makeCa(s.tmp, 'server-ca');
  s.pick('ca-bundle', ca.certFile);
  await dialog.getByRole('button', { name: 'Choose another CA bundle…' }).click();
  await dialog.getByTestId('ca-bundle-state').filter({ hasText: 'New: server-ca.crt' }).waitFor();
  assert.equal(await caField.locator('.field-error').isVisible(), false, 'a new choice clears the old error');
  await dialog.getByRole('button', { name: 'Preview changes' }).click();
  await dialog.getByTestId('edit-generation').waitFor();
  assert.match(await dialog.getByTestId('edit-changed').innerText(), /Changes: CA bundle\./);
  assert.match(await dialog.getByTestId('edit-generation').innerText(), /new generation with the same key and the same certificate, and the new CA bundle/);
  const diff = dialog.getByTestId('settings-diff');
  assert.match(await diff.innerText(), /\+\s*"coder\.tlsCaFile": ".*active\/current\/ca\.crt"/);
  assert.equal(await dialog.getByTestId('reload-notice').count(), 0, 'coder.tls* changes make no window reload');
  assert.equal(await focusedAction(page), 'apply-edit', 'after the preview, Apply has focus');
  assert.deepEqual(snapshot(s), before, 'the preview wrote nothing');
  await shotWhole(s, 'edit-dialog', dialog);
  assert.deepEqual(await seriousViolations(page, '[data-testid="edit-dialog"]'), [], 'axe: the dialog with its preview');

  await dialog.getByRole('button', { name: 'Apply changes' }).click();
  const result = dialog.getByTestId('edit-result');
  await result.waitFor();
  assert.match(await result.getByTestId('edit-generation').innerText(), /Generation 2 is in use: the same key and certificate, with the new CA bundle/);
  assert.equal(readlinkSync(join(s.dataDir, 'profiles', 'acme', 'current')).replace(/\\/g, '/'), 'generations/2');
  assert.equal(gen(s, 'acme', 2, 'client.crt'), cert1, 'same certificate');
  assert.equal(gen(s, 'acme', 2, 'client.key'), key1, 'same key');
  assert.equal(gen(s, 'acme', 1, 'client.crt'), cert1, 'generation 1 kept for rollback');
  assert.equal(existsSync(join(s.dataDir, 'profiles', 'acme', 'generations', '1', 'ca.crt')), false);
  assert.equal(gen(s, 'acme', 2, 'ca.crt').trim(), ca.cert.trim(), 'the new CA bundle');
  assert.equal(readJsonc(settingsFile(s))['coder.tlsCaFile'], join(s.dataDir, 'active', 'current', 'ca.crt'));
  assert.match(readFileSync(settingsFile(s), 'utf8'), /\/\/ my font/, 'the comment survived');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  // The status view shows the new generation, made by an edit.
  await page.locator('tr[data-generation="2"].current').waitFor();
  assert.equal(await page.locator('tr[data-generation="2"] [data-testid="operation"]').innerText(), 'edited');

  // Removing it again: the preview names the removal, Apply takes coder.tlsCaFile out.
  const again = await openEdit(s);
  assert.match(await again.getByTestId('ca-bundle-state').innerText(), /has its own CA bundle/);
  await again.getByRole('button', { name: 'Remove CA bundle' }).click();
  await again.getByRole('button', { name: 'Preview changes' }).click();
  await again.getByTestId('edit-generation').filter({ hasText: 'the CA bundle removed' }).waitFor();
  assert.match(await again.getByTestId('settings-diff').innerText(), /-\s*"coder\.tlsCaFile"/);
  await again.getByRole('button', { name: 'Apply changes' }).click();
  await again.getByTestId('edit-result').waitFor();
  assert.equal(readJsonc(settingsFile(s))['coder.tlsCaFile'], undefined);
  assert.equal(gen(s, 'acme', 3, 'client.key'), key1);
  assert.equal(existsSync(join(s.dataDir, 'profiles', 'acme', 'generations', '3', 'ca.crt')), false);
});

test('alt host: one settings write, the user\'s comments survive, no reload asked; nothing else written', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  await acme(s);
  await s.open();
  const before = snapshot(s);
  const dialog = await openEdit(s);
  await dialog.getByLabel('Alt host (optional)').fill('bad host!');
  await dialog.getByRole('button', { name: 'Preview changes' }).click();
  await dialog.locator('[data-field="altHost"] .field-error', { hasText: 'is not a host name' }).waitFor();
  await dialog.getByLabel('Alt host (optional)').fill('coder-internal.acme.example');
  assert.equal(await dialog.locator('[data-field="altHost"] .field-error').isVisible(), false, 'typing clears the error');
  await dialog.getByRole('button', { name: 'Preview changes' }).click();
  await dialog.getByTestId('settings-diff').waitFor();
  assert.match(await dialog.getByTestId('settings-diff').innerText(), /\+\s*"coder\.tlsAltHost": "coder-internal\.acme\.example"/);
  assert.equal(await dialog.getByTestId('edit-generation').count(), 0, 'an alt host makes no new generation');
  assert.match(await dialog.getByTestId('no-reload').innerText(), /No editor window will need a reload/);

  // Count the renames onto settings.json while Apply runs: one write, temp file and rename.
  const userDir = join(s.home, '.config', 'Code', 'User');
  const renames: string[] = [];
  const watcher = watch(userDir, (event, name) => {
    if (event === 'rename' && name === 'settings.json') renames.push(name);
  });
  const ino = statSync(settingsFile(s)).ino;
  try {
    await dialog.getByRole('button', { name: 'Apply changes' }).click();
    await dialog.getByTestId('edit-result').waitFor();
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    watcher.close();
  }
  assert.equal(renames.length, 1, `one write of settings.json (saw ${renames.length})`);
  assert.notEqual(statSync(settingsFile(s)).ino, ino, 'written by temp file and rename');
  assert.match(await dialog.getByTestId('no-reload').innerText(), /Written: 1 file, one write each/);
  const text = readFileSync(settingsFile(s), 'utf8');
  assert.match(text, /\/\/ my font/);
  assert.equal(readJsonc(settingsFile(s))['coder.tlsAltHost'], 'coder-internal.acme.example');
  assert.equal(readJsonc(settingsFile(s))['editor.fontSize'], 14);
  // Besides settings.json (and the settings layer's record of what it replaced) only profile.json changed: no generation.
  const after = snapshot(s);
  const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]).sort();
  assert.deepEqual(changed.filter((k) => !k.startsWith('Code/User/settings.json') && !k.startsWith('data/settings-backups/')), ['data/profiles/acme/profile.json']);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await s.page.locator('.subtitle', { hasText: 'server name checked: coder-internal.acme.example' }).waitFor();
});

test('headers: a header with {{cert.spki.sha256}} changes what the header command prints; the reload notice follows', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  await acme(s);
  await s.open();
  assert.equal(headerCommandOutput(s), '', 'no headers yet: the script prints nothing');
  assert.equal(readJsonc(settingsFile(s))['coder.headerCommand'], undefined, 'and the setting is unset (no process per request)');
  const dialog = await openEdit(s);
  assert.match(await dialog.getByTestId('no-headers').innerText(), /No headers/);
  await dialog.getByRole('button', { name: 'Add a header' }).click();
  await dialog.getByLabel('Header 1 name').fill('X-Key-Pin');
  await dialog.getByLabel('Header 1 value').fill('pin-');
  await dialog.getByLabel('Placeholder').selectOption('cert.spki.sha256');
  assert.equal(await dialog.getByLabel('Header 1 value').inputValue(), 'pin-{{cert.spki.sha256}}');
  await dialog.getByRole('button', { name: 'Add a header' }).click();
  await dialog.getByLabel('Header 2 name').fill('X-Team');
  await dialog.getByLabel('Header 2 value').fill('platform');
  await dialog.getByRole('button', { name: 'Preview changes' }).click();
  await dialog.getByTestId('reload-notice').waitFor();
  // At 800×600 and at 200 % zoom (a 500×380 CSS viewport) nothing sticks out sideways: rows and diff wrap.
  for (const size of [{ width: 800, height: 600 }, { width: 500, height: 380 }]) {
    await s.page.setViewportSize(size);
    assert.equal(await dialog.evaluate((d) => d.scrollWidth <= d.clientWidth), true, `no horizontal scrolling at ${size.width}×${size.height}`);
  }
  await s.page.setViewportSize({ width: 1000, height: 760 });
  assert.match(await dialog.getByTestId('reload-notice').innerText(), /Open remote windows will ask once to reload after Apply\. coder\.headerCommand changes/);
  assert.match(await dialog.getByTestId('settings-diff').innerText(), /\+\s*"coder\.headerCommand"/);
  assert.equal(headerCommandOutput(s), '', 'the preview changed nothing');

  await dialog.getByRole('button', { name: 'Apply changes' }).click();
  await dialog.getByTestId('edit-result').waitFor();
  const notice = dialog.getByTestId('reload-notice');
  assert.match(await notice.innerText(), /Open remote windows will ask once to reload\. coder\.headerCommand changed/);
  assert.match(await dialog.getByTestId('edit-generation').innerText(), /Generation 2 is in use: the same key and certificate, with the new headers/);
  await shotWhole(s, 'edit-applied', dialog);
  assert.deepEqual(await seriousViolations(s.page, '[data-testid="edit-dialog"]'), [], 'axe: the applied result');
  const pin = spkiSha256(join(s.dataDir, 'active', 'current', 'client.crt'));
  assert.equal(headerCommandOutput(s), `X-Key-Pin=pin-${pin}\nX-Team=platform\n`, 'the header command prints the new headers, placeholder filled in');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Replace one and remove the other: a new generation; the setting stays (still headers), so no reload.
  const d2 = await openEdit(s);
  assert.equal(await d2.getByLabel('Header 1 value').inputValue(), 'pin-{{cert.spki.sha256}}', 'placeholders are shown as typed');
  await d2.getByRole('button', { name: 'Remove header 1 (X-Key-Pin)' }).click();
  assert.equal(await d2.getByLabel('Header 1 name').inputValue(), 'X-Team');
  await d2.getByLabel('Header 1 value').fill('platform-eu');
  await d2.getByRole('button', { name: 'Preview changes' }).click();
  await d2.getByTestId('edit-generation').waitFor();
  assert.equal(await d2.getByTestId('reload-notice').count(), 0);
  assert.match(await d2.getByTestId('edit-no-settings').innerText(), /No editor setting changes/);
  await d2.getByRole('button', { name: 'Apply changes' }).click();
  await d2.getByTestId('edit-result').waitFor();
  assert.equal(headerCommandOutput(s), 'X-Team=platform-eu\n');
  // A header given twice and an unknown placeholder are refused at the headers, before main.
  await d2.getByRole('button', { name: 'Close' }).click();
  const d3 = await openEdit(s);
  await d3.getByRole('button', { name: 'Add a header' }).click();
  await d3.getByLabel('Header 2 name').fill('x-team');
  await d3.getByRole('button', { name: 'Preview changes' }).click();
  await d3.locator('[data-field="headers"] .field-error', { hasText: 'is given twice' }).waitFor();
  await d3.getByLabel('Header 2 name').fill('X-Other');
  await d3.getByLabel('Header 2 value').fill('{{cert.fingerprint}}');
  await d3.getByRole('button', { name: 'Preview changes' }).click();
  await d3.locator('[data-field="headers"] .field-error', { hasText: 'unknown placeholder {{cert.fingerprint}}' }).waitFor();
  await s.page.keyboard.press('Escape');
  await d3.waitFor({ state: 'detached' });
  assert.equal(headerCommandOutput(s), 'X-Team=platform-eu\n', 'nothing written on error');
});

test('SANs and validity: "from the next renewal", the certificate unchanged until Renew, which then uses them', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await acme(s);
  await s.open();
  const cert1 = current(s, 'client.crt');
  const settings1 = readFileSync(settingsFile(s), 'utf8');
  const dialog = await openEdit(s);
  assert.equal(await dialog.getByLabel('Names in the certificate (SANs)').inputValue(), 'email:alice@acme.example');
  await dialog.getByLabel('Names in the certificate (SANs)').fill('email:{{user}}@corp.example');
  await dialog.getByRole('button', { name: 'Preview changes' }).click();
  await dialog.locator('[data-field="sans"] .field-error', { hasText: 'single braces' }).waitFor();
  await dialog.getByLabel('Names in the certificate (SANs)').fill('email:{user}@corp.example\nDNS:laptop');
  await dialog.getByLabel('Valid for (days)').fill('0');
  await dialog.getByRole('button', { name: 'Preview changes' }).click();
  await dialog.locator('[data-field="days"] .field-error', { hasText: 'between 1 and 3650' }).waitFor();
  await dialog.getByLabel('Valid for (days)').fill('12');
  await dialog.getByLabel('Key algorithm').selectOption('ecdsa-p384');
  await dialog.getByRole('button', { name: 'Preview changes' }).click();
  const next = dialog.getByTestId('from-next-renewal');
  await next.waitFor();
  assert.match(await next.innerText(), /SANs and validity apply from the next renewal \(Renew\)\. The key algorithm applies from the next key rotation \(Rotate key\)\. The certificate in use does not change now\./);
  assert.equal(await dialog.getByTestId('edit-generation').count(), 0);
  assert.match(await dialog.getByTestId('edit-no-settings').innerText(), /nothing is written to settings\.json/);
  await dialog.getByRole('button', { name: 'Apply changes' }).click();
  await dialog.getByTestId('edit-result').getByTestId('from-next-renewal').waitFor();
  assert.equal(current(s, 'client.crt'), cert1, 'the certificate in use is unchanged');
  assert.equal(readFileSync(settingsFile(s), 'utf8'), settings1, 'no settings write');
  const profile = JSON.parse(readFileSync(join(s.dataDir, 'profiles', 'acme', 'profile.json'), 'utf8'));
  assert.deepEqual(profile.sanTemplate, ['email:{user}@corp.example', 'DNS:laptop']);
  assert.equal(profile.validityDays, 12);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });

  // Renew (the toolbar's): the new certificate has the new names and lifetime, and the same key.
  const key1 = current(s, 'client.key');
  await page.locator('[data-action="renew"]').click();
  await page.locator('tr[data-generation="2"].current').waitFor();
  const text = certText(join(s.dataDir, 'active', 'current', 'client.crt'));
  assert.match(text, /email:alice@corp\.example/, '{user} became the login name');
  assert.match(text, /DNS:laptop/);
  assert.doesNotMatch(text, /acme\.example/);
  const notBefore = Date.parse(execFileSync('openssl', ['x509', '-in', join(s.dataDir, 'active', 'current', 'client.crt'), '-noout', '-startdate'], { encoding: 'utf8' }).split('=')[1]!);
  const notAfter = Date.parse(execFileSync('openssl', ['x509', '-in', join(s.dataDir, 'active', 'current', 'client.crt'), '-noout', '-enddate'], { encoding: 'utf8' }).split('=')[1]!);
  assert.ok(Math.abs((notAfter - notBefore) / 86_400_000 - 12) < 0.05, `valid for 12 days, not ${(notAfter - notBefore) / 86_400_000}`);
  assert.equal(current(s, 'client.key'), key1, 'renew keeps the key (the new algorithm waits for a rotation)');
  // The dialog shows the SANs as typed, template included.
  const d2 = await openEdit(s);
  assert.equal(await d2.getByLabel('Names in the certificate (SANs)').inputValue(), 'email:{user}@corp.example\nDNS:laptop');
  assert.equal(await d2.getByLabel('Key algorithm').inputValue(), 'ecdsa-p384');
  // Unchanged fields: nothing to change, nothing sent.
  await d2.getByRole('button', { name: 'Preview changes' }).click();
  await d2.getByTestId('edit-nothing').waitFor();
  await d2.getByRole('button', { name: 'Cancel' }).click();
});

test('keyboard only: Tab order, Enter previews then applies, Escape closes with nothing written', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await acme(s);
  await s.open();
  const before = snapshot(s);
  /** The focused control's name: its label, aria-label or text. */
  const focused = async () => (await page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el) return '';
    const label = el.labels?.[0]?.textContent?.trim();
    return label ?? el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName;
  })()`)) as string;
  await page.locator('[data-action="edit-profile"]').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('edit-dialog');
  await dialog.getByLabel('Name', { exact: true }).waitFor();
  await pageUntil(page, "document.activeElement?.getAttribute('name') === 'name'");
  const order = [await focused()];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  assert.deepEqual(order, ['Name', 'Choose CA bundle…', 'Alt host (optional)', 'Add a header', 'Names in the certificate (SANs)', 'Valid for (days)', 'Key algorithm', 'Preview changes', 'Cancel']);

  // Escape: closed, nothing written, focus back on the button that opened it.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await focusedAction(page), 'edit-profile');
  assert.deepEqual(snapshot(s), before);

  // Again: a header by keyboard, the alt host, Enter to preview, Enter to apply, Enter to close.
  await page.keyboard.press('Enter');
  await dialog.getByLabel('Name', { exact: true }).waitFor();
  await page.keyboard.press('Tab'); // CA bundle
  await page.keyboard.press('Tab'); // alt host
  await page.keyboard.type('coder-kbd.acme.example');
  await page.keyboard.press('Tab'); // Add a header
  await page.keyboard.press('Enter');
  assert.equal(await focused(), 'Header 1 name', 'a new row takes focus');
  await page.keyboard.type('X-Team');
  await page.keyboard.press('Tab');
  await page.keyboard.type('keyboard');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(), 'Alt host (optional)');
  await page.keyboard.press('Enter');
  await dialog.getByTestId('settings-diff').waitFor();
  assert.equal(await focused(), 'Apply changes', 'after the preview Enter applies');
  assert.deepEqual(snapshot(s), before, 'the preview wrote nothing');
  await page.keyboard.press('Enter');
  await dialog.getByTestId('edit-result').waitFor();
  assert.equal(await focused(), 'Close');
  const settings = readJsonc(settingsFile(s));
  assert.equal(settings['coder.tlsAltHost'], 'coder-kbd.acme.example');
  assert.equal(typeof settings['coder.headerCommand'], 'string');
  assert.equal(headerCommandOutput(s), 'X-Team=keyboard\n');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await pageUntil(page, "document.activeElement?.getAttribute('data-action') === 'edit-profile'");

  // A change after the preview takes Apply away until the next preview.
  await page.keyboard.press('Enter');
  await dialog.getByLabel('Name', { exact: true }).waitFor();
  await page.keyboard.type(' EU');
  await page.keyboard.press('Enter');
  await dialog.getByTestId('edit-changed').waitFor();
  assert.equal(await focused(), 'Apply changes');
  await dialog.getByLabel('Name', { exact: true }).focus();
  await page.keyboard.type('!');
  assert.equal(await dialog.getByRole('button', { name: 'Apply changes' }).isVisible(), false);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(JSON.parse(readFileSync(join(s.dataDir, 'profiles', 'acme', 'profile.json'), 'utf8')).name, 'Acme');
});

test('delete: confirmed, from the status view of a profile the editors do not use; the active one has no Delete', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await acme(s, 'Old Acme');
  await acme(s, 'Acme');
  await s.open();
  const view = page.getByTestId('status-view');
  await view.locator('h1', { hasText: 'Acme' }).waitFor();
  assert.equal(await view.locator('[data-action="delete-acme"]').count(), 0, 'the active profile offers no Delete');
  await page.getByRole('button', { name: 'Show Old Acme' }).click();
  await view.locator('h1', { hasText: 'Old Acme' }).waitFor();
  await view.getByRole('button', { name: 'Delete profile…' }).click();
  const dlg = page.getByTestId('confirm-dialog');
  await dlg.waitFor();
  const details = await dlg.innerText();
  assert.match(details, /Delete Old Acme\?/);
  assert.match(details, /its 1 kept certificate with its private key/);
  assert.match(details, /Editor settings do not change/);
  assert.match(details, /cannot be undone/);
  assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Cancel', 'the safe answer has focus');
  await shotWhole(s, 'delete-confirmation', dlg);
  assert.deepEqual(await seriousViolations(page, '[data-testid="confirm-dialog"]'), [], 'axe: the delete confirmation');
  await page.keyboard.press('Enter');
  await dlg.waitFor({ state: 'detached' });
  assert.equal(existsSync(join(s.dataDir, 'profiles', 'old-acme')), true, 'Cancel keeps it');
  const settings = readFileSync(settingsFile(s), 'utf8');
  await view.getByRole('button', { name: 'Delete profile…' }).click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete profile' }).click();
  await view.locator('h1', { hasText: /^Acme/ }).waitFor();
  assert.equal(existsSync(join(s.dataDir, 'profiles', 'old-acme')), false);
  assert.equal(readFileSync(settingsFile(s), 'utf8'), settings, 'no settings write');
  assert.equal(await page.getByTestId('other-profiles').count(), 0);
});

test('history from the profiles view: generations with what made them, rollback confirmed; edit from a profile card', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await acme(s, 'Other');
  await acme(s, 'Acme');
  await s.service.renew('other');
  await s.service.editProfile({ profileId: 'other', setHeaders: [{ name: 'X-Team', value: 'platform' }] });
  await s.open();
  await page.getByRole('button', { name: 'Profiles' }).click();
  const card = page.locator('li[data-profile="other"]');
  await card.getByRole('button', { name: 'History…' }).click();
  const dialog = page.getByTestId('history-dialog');
  await dialog.getByTestId('history').waitFor();
  assert.deepEqual(await dialog.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-generation'), r.querySelector('[data-testid="operation"]')!.textContent])), [['3', 'edited'], ['2', 'renewed'], ['1', 'created']]);
  assert.equal(await dialog.locator('tr[data-generation="3"].current').count(), 1);
  assert.match(await dialog.innerText(), /The editors use another profile/);
  await s.shot('history');
  assert.deepEqual(await seriousViolations(page, '[data-testid="history-dialog"]'), [], 'axe: the history dialog');
  await dialog.getByRole('button', { name: 'Roll back to generation 2' }).click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Roll back' }).click();
  await dialog.locator('tr[data-generation="2"].current').waitFor();
  assert.equal(readlinkSync(join(s.dataDir, 'profiles', 'other', 'current')).replace(/\\/g, '/'), 'generations/2');
  assert.equal(readlinkSync(join(s.dataDir, 'profiles', 'acme', 'current')).replace(/\\/g, '/'), 'generations/1', 'the active profile untouched');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });

  // Edit from the card of a profile the editors do not use: no settings change, said so.
  await card.getByRole('button', { name: 'Edit profile…' }).click();
  const edit = page.getByTestId('edit-dialog');
  await edit.getByLabel('Alt host (optional)').fill('alt.other.example');
  await edit.getByRole('button', { name: 'Preview changes' }).click();
  await edit.getByTestId('edit-not-active').waitFor();
  assert.equal(await edit.getByTestId('settings-diff').count(), 0);
  const settings = readFileSync(settingsFile(s), 'utf8');
  await edit.getByRole('button', { name: 'Apply changes' }).click();
  await edit.getByTestId('edit-result').waitFor();
  assert.equal(readFileSync(settingsFile(s), 'utf8'), settings, 'the editors use Acme: nothing written');
  await edit.getByRole('button', { name: 'Close' }).click();
  await card.locator('[data-action="edit-other"]').waitFor();
});
