// The window's drift section (issue 17) in Chromium against the real handlers and service:
// Restore and Keep theirs where Linux notifications show no buttons. A key changed in a managed
// editor is named with Restore (one write, comments kept) and Keep theirs (then listed as not
// managed); a file replaced under active/current is named and re-published.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromiumSkipReason } from '../helpers/find-chromium';
import { buildRenderer, launchBrowser, openSession, readJsonc, serveDir, type Site } from './harness';

const skip = chromiumSkipReason();
let browser: Browser;
let site: Site;

before(async () => {
  if (skip) return;
  site = await serveDir(await buildRenderer());
  browser = await launchBrowser();
});

after(async () => {
  if (skip) return;
  await browser?.close();
  await site?.close();
});

test('drift section: Restore puts a managed editor\'s key back in one write; Keep theirs leaves it alone; a replaced file is re-published', { skip }, async () => {
  const s = await openSession(browser, site, { editors: ['Code', 'Cursor'] });
  const { page } = s;
  try {
    const cursor = join(s.home, '.config', 'Cursor', 'User', 'settings.json');
    writeFileSync(cursor, '{\n  // my theme\n  "workbench.colorTheme": "Dark+",\n}\n');
    await s.service.init({ url: 'https://coder.example.com', name: 'Work', identity: { kind: 'self-signed' }, editors: ['cursor'] });
    await s.service.renew();
    const ours = readFileSync(cursor, 'utf8');
    writeFileSync(cursor, ours.replace(/("coder\.tlsCertFile": )"[^"]*"/, '$1"/corp/me.crt"'));

    await s.open();
    const drift = page.getByTestId('drift');
    await drift.waitFor();
    const item = drift.locator('[data-drift-source="cursor"]');
    assert.match(await item.innerText(), /coder\.tlsCertFile in Cursor now points at \/corp\/me\.crt, not at mtls-tray's file/);
    assert.match(await item.innerText(), /mtls-tray settings apply --editor cursor/);
    await s.shot('drift-settings');
    await item.getByRole('button', { name: 'Restore' }).click();
    await drift.waitFor({ state: 'detached' });
    assert.equal(readFileSync(cursor, 'utf8'), ours, 'one write back to what mtls-tray wrote, comment included');

    // Again, and this time the user keeps theirs.
    writeFileSync(cursor, ours.replace(/("coder\.tlsCertFile": )"[^"]*"/, '$1"/corp/me.crt"'));
    await page.evaluate('window.__mtlsFire()');
    await drift.locator('[data-drift-source="cursor"]').getByRole('button', { name: 'Keep theirs' }).click();
    await drift.locator('[data-kept="cursor"]').waitFor();
    assert.match(await drift.locator('[data-kept="cursor"]').innerText(), /Cursor: not managed \(kept theirs\)\. mtls-tray settings apply --editor cursor manages it again\./);
    assert.equal(readJsonc(cursor)['coder.tlsCertFile'], '/corp/me.crt', 'their value stays');

    // A dotfiles script replaces the certificate the editors read.
    const cert = join(s.dataDir, 'active', 'current', 'client.crt');
    writeFileSync(`${cert}.tmp`, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    renameSync(`${cert}.tmp`, cert);
    await page.evaluate('window.__mtlsFire()');
    const files = drift.locator('[data-drift-source="files"]');
    await files.waitFor();
    assert.match(await files.innerText(), /client\.crt was changed outside mtls-tray: it no longer matches generation 2 of profile work/);
    assert.equal(await files.getByRole('button', { name: 'Keep theirs' }).count(), 0, 'the files are mtls-tray\'s: no Keep theirs');
    await s.shot('drift-files');
    await files.getByRole('button', { name: 'Restore' }).click();
    await files.waitFor({ state: 'detached' });
    assert.deepEqual((await s.service.status())!.drift, []);
    assert.deepEqual(await s.problems(), []);
  } finally {
    await s.close();
  }
});
