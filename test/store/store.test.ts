import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { renderHeadersFile } from '../../main/store';
import { renewProfile, rotateProfile } from '../../main/services/reissue';
import { replaceSymlink as replaceLink } from '../../main/base/fs-atomic';
import { HEADERS, awkwardDataDir, isUserErr, memoryLogger, newStore, seedProfile, selfSigned, tempDir } from './helpers';

/** Every entry under dir with its mode, for before/after comparisons. */
function snapshot(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      out.push(`${relative(dir, p)} ${(st.mode & 0o777).toString(8)} ${st.isSymbolicLink() ? readlinkSync(p) : st.size}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

test('layout: created on first use with 0700 dirs and 0600 files, under a path with space, quote and non-ASCII', async () => {
  const data = awkwardDataDir();
  const store = newStore(data);
  await seedProfile(store);
  await store.installScripts({ argv: ['/usr/bin/node', '/opt/cli.js'] });
  const entries = snapshot(data);
  assert.ok(entries.length > 10);
  for (const line of entries) {
    const [path, mode] = line.split(' ');
    const st = lstatSync(join(data, path!));
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) assert.equal(mode, '700', path);
    else if (path!.startsWith('bin/')) assert.equal(mode, '700', path);
    else assert.equal(mode, '600', path);
  }
  assert.equal(statSync(data).mode & 0o777, 0o700);
  // A data dir the user made is used as it is; what we create inside is private.
  const own = join(tempDir(), 'existing');
  mkdirSync(own, { mode: 0o755 });
  chmodSync(own, 0o755);
  await newStore(own).ensureLayout();
  assert.equal(statSync(own).mode & 0o777, 0o755);
  assert.equal(statSync(join(own, 'profiles')).mode & 0o777, 0o700);
  assert.equal(readlinkSync(join(data, 'active')), 'profiles/acme', 'relative links: the data dir can move');
  assert.equal(readlinkSync(join(data, 'profiles', 'acme', 'current')), 'generations/1');
  // The stable paths resolve through both links.
  assert.equal(store.paths.cert, join(data, 'active', 'current', 'client.crt'));
  assert.ok(new X509Certificate(readFileSync(store.paths.cert)).checkPrivateKey(createPrivateKey(readFileSync(store.paths.key))));
  assert.ok(!existsSync(store.paths.ca), 'no CA bundle -> no ca.crt');
  assert.deepEqual(readdirSync(join(data, 'profiles', 'acme', 'generations', '1')).sort(), ['client.crt', 'client.key', 'generation.json', 'headers']);
  // Moving the whole data dir keeps it working (relative links).
  const moved = join(tempDir(), 'moved');
  cpSync(data, moved, { recursive: true, verbatimSymlinks: true });
  assert.equal(readFileSync(join(moved, 'active', 'current', 'client.crt'), 'utf8'), readFileSync(store.paths.cert, 'utf8'));
});

test('generations: numbered, manifest describes them, CA bundle optional, two previous kept', async () => {
  const store = newStore(awkwardDataDir());
  const { key } = await seedProfile(store);
  const ca = (await selfSigned()).cert;
  const serials: string[] = [];
  for (let i = 0; i < 4; i++) serials.push((await renewProfile(store, 'acme', { days: 9, headers: HEADERS, ca: i === 3 ? ca : undefined })).serial);
  const gens = await store.listGenerations('acme');
  assert.deepEqual(gens.map((g) => [g.number, g.current, g.operation]), [[5, true, 'renew'], [4, false, 'renew'], [3, false, 'renew']]);
  assert.deepEqual(gens.map((g) => g.serial), serials.slice(1).reverse());
  assert.equal(gens[0]!.hasCa, true);
  assert.equal(gens[1]!.hasCa, false);
  const cur = (await store.readCurrent())!;
  assert.equal(cur.key, key, 'renew keeps the key byte for byte');
  assert.equal(cur.ca, ca);
  assert.equal(readFileSync(store.paths.ca, 'utf8'), ca);
  assert.equal(cur.info.fingerprintSha256, new X509Certificate(cur.cert).fingerprint256.replace(/:/g, '').toLowerCase());
  assert.equal(cur.headers, renderHeadersFile(HEADERS, cur.cert));
  // The CA carries over to the next renew unless told otherwise; null removes it.
  await renewProfile(store, 'acme', { days: 9, headers: HEADERS });
  assert.equal((await store.readCurrent())!.ca, ca);
  await renewProfile(store, 'acme', { days: 9, headers: HEADERS, ca: null });
  assert.equal(existsSync(store.paths.ca), false);
  assert.deepEqual(readdirSync(store.layout.generationsDir('acme')).sort(), ['5', '6', '7']);
});

test('bad input changes nothing on disk', async () => {
  const data = awkwardDataDir();
  const store = newStore(data);
  const { cert } = await seedProfile(store);
  const other = await selfSigned();
  const before = snapshot(data);
  const good = { cert, key: (await store.readCurrent())!.key, headers: '' };
  await assert.rejects(store.writeGeneration('acme', { ...good, key: other.key }, { operation: 'import' }), isUserErr('KEY_MISMATCH', /does not belong/));
  await assert.rejects(store.writeGeneration('acme', { ...good, cert: 'nonsense' }, { operation: 'import' }), isUserErr('CERT_UNREADABLE'));
  await assert.rejects(store.writeGeneration('acme', { ...good, key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }, { operation: 'import' }), isUserErr('KEY_UNREADABLE'));
  await assert.rejects(store.writeGeneration('acme', { ...good, ca: 'not a cert' }, { operation: 'import' }), isUserErr('CA_BUNDLE_EMPTY'));
  await assert.rejects(store.writeGeneration('acme', { ...good, headers: 'bad line\n' }, { operation: 'import' }), isUserErr('HEADER_INVALID'));
  await assert.rejects(store.writeGeneration('../evil', good, { operation: 'import' }), isUserErr('PROFILE_ID_INVALID'));
  await assert.rejects(store.writeGeneration('Acme', good, { operation: 'import' }), isUserErr('PROFILE_ID_INVALID'));
  await assert.rejects(renewProfile(store, 'acme', { days: 5, headers: [{ name: 'X Bad', value: '' }] }), isUserErr('HEADER_INVALID', /"X Bad"/));
  await assert.rejects(rotateProfile(store, 'acme', { days: 5, headers: [{ name: 'X', value: '{{nope}}' }], keyAlgorithm: 'ecdsa-p256' }), isUserErr('HEADER_INVALID', /\{\{nope\}\}/));
  await assert.rejects(renewProfile(store, 'nobody', { days: 5, headers: [] }), isUserErr('NO_CERTIFICATE', /nobody/));
  await assert.rejects(store.setActive('nobody'), isUserErr('PROFILE_NOT_FOUND'));
  await assert.rejects(store.rollback('acme'), isUserErr('NO_PREVIOUS_GENERATION'));
  assert.deepEqual(snapshot(data), before);
});

test('rollback makes the previous generation current again, twice in a row, without touching settings paths', async () => {
  const store = newStore(awkwardDataDir());
  const first = await seedProfile(store);
  const g2 = await renewProfile(store, 'acme', { days: 9, headers: HEADERS });
  const g3 = await rotateProfile(store, 'acme', { days: 9, headers: HEADERS, keyAlgorithm: 'ecdsa-p256' });
  const paths = { ...store.paths };
  assert.equal((await store.rollback('acme')).number, g2.number);
  assert.equal((await store.readCurrent())!.info.serial, g2.serial);
  assert.equal(readFileSync(store.paths.key, 'utf8'), first.key, 'back to the key before the rotation');
  assert.equal((await store.rollback('acme')).number, 1);
  assert.equal(readFileSync(store.paths.cert, 'utf8'), first.cert);
  assert.deepEqual(store.paths, paths);
  await assert.rejects(store.rollback('acme'), isUserErr('NO_PREVIOUS_GENERATION'));
  // A renew after a rollback builds on the rolled-back certificate and gets the next number.
  const g4 = await renewProfile(store, 'acme', { days: 9, headers: HEADERS });
  assert.equal(g4.number, g3.number + 1);
  assert.equal((await store.readCurrent())!.key, first.key);
  const list = await store.listGenerations('acme');
  assert.deepEqual(list.map((g) => g.number), [4, 3, 2], 'the rolled-back-from generation is kept and the oldest pruned');
});

test('active profile: switch swaps one link; a profile without a certificate cannot be active', async () => {
  const data = awkwardDataDir();
  const store = newStore(data);
  const a = await seedProfile(store, 'acme');
  const b = await seedProfile(store, 'beta-2');
  assert.equal(await store.getActive(), 'beta-2');
  assert.equal(readFileSync(store.paths.cert, 'utf8'), b.cert);
  await store.setActive('acme');
  assert.equal(await store.getActive(), 'acme');
  assert.equal(readFileSync(store.paths.cert, 'utf8'), a.cert);
  assert.deepEqual(await store.listProfiles(), ['acme', 'beta-2']);
  await store.createProfileDir('pending');
  await assert.rejects(store.setActive('pending'), isUserErr('PROFILE_NOT_READY', /no certificate yet/));
  assert.equal(await store.getActive(), 'acme');
  assert.equal(await store.readCurrent('pending'), null);
  // profile.json and friends go through the same atomic write.
  const p = await store.writeProfileFile('acme', 'profile.json', '{"id":"acme"}\n');
  assert.equal(statSync(p).mode & 0o777, 0o600);
  await assert.rejects(store.writeProfileFile('acme', '../x', ''), /not a profile file name/);
});

test('recovery: leftovers removed, dangling or damaged current and missing active restored and logged', async () => {
  const data = awkwardDataDir();
  const log = memoryLogger();
  const store = newStore(data, { logger: log });
  await seedProfile(store, 'acme');
  await renewProfile(store, 'acme', { days: 9, headers: HEADERS });
  const g3 = await renewProfile(store, 'acme', { days: 9, headers: HEADERS });
  await seedProfile(store, 'beta');
  const gens = store.layout.generationsDir('acme');

  // What a writer killed at various points leaves behind.
  cpSync(join(gens, '3'), join(gens, '.tmp-4-999-abcd'), { recursive: true });
  rmSync(join(gens, '.tmp-4-999-abcd', 'generation.json'));
  cpSync(join(data, 'profiles', 'acme', 'current'), join(data, 'profiles', 'acme', '.tmp-current-999-abcd'), { verbatimSymlinks: true });
  cpSync(join(gens, '3', 'client.crt'), join(data, 'profiles', 'acme', '.tmp-profile.json-999-abcd'));
  cpSync(join(gens, '3', 'client.crt'), join(data, '.tmp-writer.lock-999-abcd'));
  // Generation 3 (current) damaged: its key is gone. It never should be; recovery must cope.
  rmSync(join(gens, '3', 'client.key'));
  // And the active link is gone.
  rmSync(join(data, 'active'));

  const fresh = newStore(data, { logger: log });
  const report = await fresh.recover();
  assert.deepEqual(report.removedTemp.sort(), [
    '.tmp-writer.lock-999-abcd',
    'profiles/acme/.tmp-current-999-abcd',
    'profiles/acme/.tmp-profile.json-999-abcd',
    'profiles/acme/generations/.tmp-4-999-abcd',
  ]);
  assert.deepEqual(report.damaged, [{ profileId: 'acme', generation: 3, reason: 'client.key is missing' }]);
  assert.equal(report.restoredCurrent.length, 1);
  assert.equal(report.restoredCurrent[0]!.to, 2);
  assert.match(report.restoredCurrent[0]!.reason, /generation 3, which is incomplete \(client.key is missing\)/);
  assert.equal(report.restoredActive?.to, 'beta', 'the profile worked on last');
  assert.ok(log.lines.some((l) => l.level === 'warn' && /restored generation 2/.test(l.message)));
  assert.ok(log.lines.some((l) => l.level === 'warn' && /active was missing; made profile beta active/.test(l.message)));
  assert.equal(await fresh.currentNumber('acme'), 2);
  assert.notEqual((await fresh.readCurrent('acme'))!.info.serial, g3.serial);
  // The damaged generation is never rolled back to and the next number skips it.
  assert.equal((await renewProfile(fresh, 'acme', { days: 9, headers: HEADERS })).number, 4);

  // current missing altogether -> newest complete generation.
  rmSync(join(data, 'profiles', 'beta', 'current'));
  const r2 = await newStore(data, { logger: log }).recover();
  assert.deepEqual(r2.restoredCurrent.map((r) => [r.profileId, r.from, r.to, r.reason]), [['beta', null, 1, 'current was missing']]);
  // active pointing at a profile that is gone is moved; at one that exists but is broken, kept (and logged).
  await replaceLink(join(data, 'active'), 'profiles/gone');
  assert.deepEqual((await newStore(data).recover()).restoredActive, { from: 'profiles/gone', to: 'acme', reason: 'active pointed at profiles/gone, which does not exist' });
  await fresh.createProfileDir('empty');
  await replaceLink(join(data, 'active'), 'profiles/empty');
  const kept = await newStore(data, { logger: log }).recover();
  assert.equal(kept.restoredActive, null);
  assert.ok(log.lines.some((l) => /the active profile empty has no usable generation; leaving it active/.test(l.message)));
  await replaceLink(join(data, 'active'), 'profiles/beta');
  // A clean store: recovery finds nothing.
  const r3 = await newStore(data).recover();
  assert.deepEqual([r3.removedTemp, r3.restoredCurrent, r3.restoredActive], [[], [], null]);
  // A current generation deleted under its feet (never done by us) is repaired too; a
  // misnumbered copy does not count as complete.
  rmSync(join(gens, '4'), { recursive: true });
  cpSync(join(gens, '2'), join(gens, '9'), { recursive: true });
  const r4 = await newStore(data).recover();
  assert.deepEqual(r4.restoredCurrent.map((r) => [r.profileId, r.to, r.reason]), [['acme', 2, 'current pointed at generation 4, which does not exist']]);
  assert.deepEqual(r4.damaged.map((d) => [d.generation, d.reason]), [[9, 'generation.json does not describe generation 9'], [3, 'client.key is missing']]);
});
