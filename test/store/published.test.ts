// Published-file drift (issue 17): the files the editors read against the active generation,
// in both layouts; what each finding says; and re-publishing, which puts them back.
import assert from 'node:assert/strict';
import { chmodSync, renameSync, rmSync, symlinkSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LayoutKind } from '../../main/store';
import { describePublishedDrift } from '../../main/store/published';
import { awkwardDataDir, newStore, seedProfile } from './helpers';

const CLI = { argv: ['/usr/bin/node', '/opt/mtls-tray/cli.js'] };

for (const layout of ['links', 'fixed'] as LayoutKind[]) {
  test(`${layout} layout: nothing published is no drift; a published set that is in place is none either`, async () => {
    const store = newStore(awkwardDataDir(), { layout });
    assert.deepEqual(await store.publishedDrift(), []);
    await seedProfile(store);
    await store.installScripts(CLI);
    assert.deepEqual(await store.publishedDrift(), []);
  });

  test(`${layout} layout: a replaced, a deleted and an extra file, and both scripts, are named; re-publishing puts them back`, async () => {
    const store = newStore(awkwardDataDir(), { layout });
    const { cert } = await seedProfile(store);
    // A second generation, so that in the links layout (where active/current IS the generation) an intact one is left.
    await seedProfile(store);
    await store.installScripts(CLI);
    const gen = (await store.readCurrent())!.info.number;
    const p = store.paths;
    // Replaced by rename (as an editor or a copy tool does), not in place.
    writeFileSync(`${p.cert}.new`, cert);
    renameSync(`${p.cert}.new`, p.cert);
    rmSync(p.headers);
    writeFileSync(p.ca, '-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n');
    writeFileSync(p.headerCommand, '#!/bin/sh\necho X-Evil=1\n');
    chmodSync(p.refreshCommand, 0o600);
    const drift = await store.publishedDrift();
    assert.deepEqual(drift.map((d) => [d.item, d.problem]), [['client.crt', 'changed'], ['ca.crt', 'unexpected'], ['headers', 'missing'], ['header-script', 'changed'], ['refresh-script', 'not-executable']]);
    const lines = drift.map(describePublishedDrift);
    assert.equal(lines[0], `${p.cert} was changed outside mtls-tray: it no longer matches generation ${gen} of profile acme`);
    assert.equal(lines[1], `${p.ca} should not be there: generation ${gen} of profile acme has no ca.crt`);
    assert.equal(lines[2], `${p.headers} is missing: generation ${gen} of profile acme has it`);
    assert.equal(lines[3], `${p.headerCommand} (the script coder.headerCommand runs) was changed outside mtls-tray`);
    assert.equal(lines[4], `${p.refreshCommand} (the script coder.tlsCertRefreshCommand runs) is no longer executable`);

    const r = await store.republish(CLI);
    assert.deepEqual(r.remaining, []);
    assert.deepEqual(await store.publishedDrift(), []);
    assert.deepEqual(r.scripts, [p.headerCommand, p.refreshCommand]);
    const now = (await store.readCurrent())!.info.number;
    if (layout === 'fixed') {
      // The copies come back from the current generation, which stayed intact.
      assert.equal(now, gen);
      assert.deepEqual(r.recovery.recopiedActive?.files, ['client.crt', 'ca.crt', 'headers']);
    } else {
      // The generation's own files were changed: the newest intact one is current now.
      assert.equal(now, gen - 1);
      assert.equal(r.recovery.restoredCurrent[0]?.to, gen - 1);
    }
    assert.equal(readFileSync(p.cert, 'utf8'), (await store.readCurrent())!.cert);
  });
}

test('links layout: a removed or foreign pointer is named; with the only generation changed nothing can be re-published', async () => {
  const store = newStore(awkwardDataDir());
  await seedProfile(store);
  await store.installScripts(CLI);
  const l = store.layout;
  rmSync(l.activeLink);
  assert.deepEqual((await store.publishedDrift()).map(describePublishedDrift), [`${l.activeLink} is missing, so the editors' files under active/current lead nowhere`]);
  symlinkSync(join(l.dataDir, 'elsewhere'), l.activeLink);
  assert.deepEqual((await store.publishedDrift()).map((d) => [d.item, d.problem]), [['active', 'not-ours']]);
  assert.deepEqual((await store.republish(CLI)).remaining, [], 'recovery points `active` at the profile again');

  rmSync(l.currentLink('acme'));
  mkdirSync(l.currentLink('acme'));
  assert.deepEqual((await store.publishedDrift()).map((d) => [d.item, d.problem]), [['current', 'not-ours']]);
  rmSync(l.currentLink('acme'), { recursive: true });
  await store.republish(CLI);
  assert.deepEqual(await store.publishedDrift(), []);

  writeFileSync(store.paths.key, 'not a key\n');
  const r = await store.republish(CLI);
  assert.deepEqual(r.remaining.map((d) => [d.item, d.problem]), [['client.key', 'changed']], 'no intact generation to fall back to');
});

test('writerBusy: true while a writer holds the lock', async () => {
  const store = newStore(awkwardDataDir());
  await seedProfile(store);
  assert.equal(await store.writerBusy(), false);
  let during = false;
  await store.withWriteLock('test', async () => {
    during = await store.writerBusy();
  });
  assert.equal(during, true);
  assert.equal(await store.writerBusy(), false);
});
