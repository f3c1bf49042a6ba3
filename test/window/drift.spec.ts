// Issue 17, drift, in the window: the status view's "Changed outside mtls-tray" section against
// the real handlers and service, which offers Restore and Keep theirs where Linux notifications
// show no buttons. A key changed in a managed editor is named with Restore (one write, comments
// kept) and Keep theirs (then listed as not managed); a file replaced under active/current is
// named and re-published (no Keep theirs: the files are mtls-tray's).
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonc } from './harness';
import { test } from './fixtures';

test('drift: Restore puts a managed editor\'s key back in one write; Keep theirs leaves it alone; a replaced file is re-published', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code', 'Cursor'] });
  const { page } = s;
  const cursor = join(s.home, '.config', 'Cursor', 'User', 'settings.json');
  writeFileSync(cursor, '{\n  // my theme\n  "workbench.colorTheme": "Dark+",\n}\n');
  await s.service.init({ url: 'https://coder.example.com', name: 'Work', identity: { kind: 'self-signed' }, editors: ['cursor'] });
  // A second generation: in the links layout a file replaced under active/current changes the
  // generation itself, and re-publishing falls back to the newest intact one.
  await s.service.renew();
  const ours = readFileSync(cursor, 'utf8');
  const theirs = ours.replace(/("coder\.tlsCertFile": )"[^"]*"/, '$1"/corp/me.crt"');
  writeFileSync(cursor, theirs);

  await s.open();
  const drift = page.getByTestId('drift');
  await drift.waitFor();
  const item = drift.locator('[data-drift-source="cursor"]');
  assert.match(await item.innerText(), /coder\.tlsCertFile in Cursor now points at \/corp\/me\.crt, not at mtls-tray's file/);
  assert.equal(await item.locator('code').innerText(), 'mtls-tray settings apply --editor cursor', 'the terminal\'s way back');
  await s.shot('status-drift-settings');
  await item.getByRole('button', { name: 'Restore' }).click();
  await drift.waitFor({ state: 'detached' });
  assert.equal(readFileSync(cursor, 'utf8'), ours, 'one write back to what mtls-tray wrote, comment included');

  // Again, and this time the user keeps theirs.
  writeFileSync(cursor, theirs);
  await page.evaluate('window.__mtlsFire()');
  await drift.locator('[data-drift-source="cursor"]').getByRole('button', { name: 'Keep theirs' }).click();
  const kept = drift.locator('[data-kept="cursor"]');
  await kept.waitFor();
  assert.match(await kept.innerText(), /Cursor: not managed \(kept theirs\)\. mtls-tray settings apply --editor cursor manages it again\./);
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
  await s.shot('status-drift-files');
  await files.getByRole('button', { name: 'Restore' }).click();
  await files.waitFor({ state: 'detached' });
  assert.deepEqual((await s.service.status())!.drift, []);
});

test('Test connection after a published file was replaced: the failed check offers "Restore the files", which re-publishes', async ({ newSession }) => {
  const s = await newSession({ editors: ['Code'] });
  const { page } = s;
  await s.service.init({ url: 'https://127.0.0.1:9', name: 'Work', identity: { kind: 'self-signed' }, editors: ['code'], proxyConsent: true });
  // Two generations: where active/current is the generation's own directory, re-publishing
  // after its certificate was overwritten makes the newest intact one current.
  const first = readFileSync(join(s.dataDir, 'active', 'current', 'client.crt'), 'utf8');
  await s.service.renew();
  const cert = join(s.dataDir, 'active', 'current', 'client.crt');
  const second = readFileSync(cert, 'utf8');
  writeFileSync(`${cert}.tmp`, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  renameSync(`${cert}.tmp`, cert);

  await s.open();
  const view = page.getByTestId('status-view');
  await view.getByRole('button', { name: 'Test connection' }).click();
  const check = view.locator('[data-check="published-files"]');
  await check.waitFor({ timeout: 30_000 });
  assert.equal(await check.getAttribute('data-status'), 'fail');
  assert.deepEqual(await check.locator('.fix-actions [data-fix]').evaluateAll((els) => els.map((e) => e.getAttribute('data-fix'))), ['restore-files', 'retest']);
  assert.match(await check.getByTestId('fix-terminal').innerText(), /mtls-tray settings apply/);
  await check.getByRole('button', { name: 'Restore the files' }).click();
  await page.getByTestId('drift').waitFor({ state: 'detached' });
  // The fixed layout copies generation 2's certificate back; the links layout makes generation 1 current.
  assert.ok([first, second].includes(readFileSync(cert, 'utf8')), 'a generation\'s own certificate is back where the editors read it');
  assert.deepEqual((await s.service.status())!.drift, []);
});
