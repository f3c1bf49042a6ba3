// The fixed layout (DESIGN.md §2 guarantee 5; main/store/pointers.ts, active-mirror.ts),
// the store's layout on Windows, run here on Linux with `layout: 'fixed'`: pointer files
// instead of symlinks, and a real active/current/ directory replaced file by file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { CredentialStore, type LayoutKind } from '../../main/store';
import { renewProfile, rotateProfile } from '../../main/services/reissue';
import { settingsValues } from '../../main/settings/settings-values';
import { forkJson, runPhase, startServer } from './consumer-harness';
import { lane, newTally } from './crash-harness';
import { HEADERS, awkwardDataDir, bundleFixtures, isUserErr, memoryLogger, newStore, opensslCa, seedProfile, selfSigned, tempDir } from './helpers';

const FIXED = { layout: 'fixed' as LayoutKind };
const bundleDir = tempDir('mtls-fixtures-');
let fixtures = { writer: '', server: '', client: '' };
before(async () => {
  fixtures = await bundleFixtures(bundleDir);
});

/** The editor's files are exactly the store's current generation of the active profile (ca.crt absent when it has none). */
async function assertEditorFiles(store: CredentialStore): Promise<void> {
  const cur = await store.readCurrent();
  assert.ok(cur, 'an active profile with a current generation');
  assert.equal(readFileSync(store.paths.cert, 'utf8'), cur.cert, 'client.crt');
  assert.equal(readFileSync(store.paths.key, 'utf8'), cur.key, 'client.key');
  assert.equal(readFileSync(store.paths.headers, 'utf8'), cur.headers, 'headers');
  if (cur.ca === null) assert.equal(existsSync(store.paths.ca), false, 'no CA bundle -> no ca.crt');
  else assert.equal(readFileSync(store.paths.ca, 'utf8'), cur.ca, 'ca.crt');
  assert.ok(new X509Certificate(readFileSync(store.paths.cert)).checkPrivateKey(createPrivateKey(readFileSync(store.paths.key))));
  assert.deepEqual(readdirSync(store.layout.activeCurrentDir).filter((n) => n.startsWith('.tmp-')), [], 'no temp files left');
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    out.push(p);
    if (lstatSync(p).isDirectory()) out.push(...walk(p));
  }
  return out;
}

const ino = (p: string) => statSync(p).ino;

test("platform 'win32' no longer throws and picks the fixed layout, with the same editor paths under win32 rules", () => {
  const data = 'C:\\Users\\Jöhn Doe\\AppData\\Local\\mtls-tray';
  const win = new CredentialStore({ dataDir: data, platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\Jöhn Doe\\AppData\\Local' }, homedir: 'C:\\Users\\Jöhn Doe', scriptLocation: { dir: `${data}\\bin`, relocated: false } });
  assert.equal(win.layoutKind, 'fixed');
  assert.equal(win.paths.cert, `${data}\\active\\current\\client.crt`);
  assert.equal(win.paths.headerCommand, `${data}\\bin\\coder-header-command.cmd`);
  // Pure: constructing touches nothing (a win32 path on Linux would be a relative file name).
  assert.equal(existsSync('C:\\Users\\Jöhn Doe\\AppData\\Local\\mtls-tray'), false);
  const tmp = tempDir();
  assert.equal(newStore(tmp, { platform: 'win32' }).layoutKind, 'fixed');
  assert.equal(newStore(tmp, { platform: 'linux' }).layoutKind, 'links');
  assert.equal(newStore(tmp, { platform: 'darwin' }).layoutKind, 'links');
  assert.equal(newStore(tmp, { platform: 'win32', layout: 'links' }).layoutKind, 'links', 'an explicit choice wins');
  // Settings never change between layouts: the editor-facing paths are identical.
  assert.deepEqual(newStore(tmp, FIXED).paths, newStore(tmp, { layout: 'links' }).paths);
});

test('fixed layout: no symlinks, pointer files, a real active/current directory; 0700 dirs, 0600 files', async () => {
  const data = awkwardDataDir();
  const store = newStore(data, FIXED);
  const { cert, key } = await seedProfile(store);
  await store.installScripts({ argv: ['/usr/bin/node', '/opt/cli.js'] });
  for (const p of walk(data)) {
    const st = lstatSync(p);
    const rel = relative(data, p);
    assert.equal(st.isSymbolicLink(), false, `${rel} is not a symlink`);
    if (st.isDirectory()) assert.equal(st.mode & 0o777, 0o700, rel);
    else if (rel.startsWith('bin/')) assert.equal(st.mode & 0o777, 0o700, rel);
    else assert.equal(st.mode & 0o777, 0o600, rel);
  }
  assert.equal(readFileSync(join(data, 'active-profile'), 'utf8'), 'acme\n');
  assert.equal(readFileSync(join(data, 'profiles', 'acme', 'current'), 'utf8'), '1\n');
  assert.ok(lstatSync(join(data, 'active')).isDirectory());
  assert.deepEqual(readdirSync(store.layout.activeCurrentDir).sort(), ['client.crt', 'client.key', 'headers']);
  assert.equal(readFileSync(store.paths.cert, 'utf8'), cert);
  assert.equal(readFileSync(store.paths.key, 'utf8'), key);
  assert.equal(await store.getActive(), 'acme');
  assert.equal(await store.currentNumber('acme'), 1);
  await assertEditorFiles(store);
  // The header script prints the copied headers file, as in the links layout.
  const { execFileSync } = await import('node:child_process');
  assert.equal(execFileSync('/bin/sh', ['-c', settingsValues({ paths: store.paths, platform: 'linux', hasCa: false, hasHeaders: true }).values['coder.headerCommand']!], { encoding: 'utf8' }), readFileSync(store.paths.headers, 'utf8'));
});

test('fixed layout: write, renew, rotate, rollback, switch and no-CA keep the editor files equal to the active generation', async () => {
  const data = awkwardDataDir();
  const log = memoryLogger();
  const store = newStore(data, { ...FIXED, logger: log });
  const first = await seedProfile(store);
  await assertEditorFiles(store);

  // Renew: same key, so client.key is not touched at all (same inode): any mix a reader gets pairs.
  const keyIno = ino(store.paths.key);
  const certIno = ino(store.paths.cert);
  const g2 = await renewProfile(store, 'acme', { days: 9, headers: HEADERS });
  await assertEditorFiles(store);
  assert.equal(ino(store.paths.key), keyIno, 'renew leaves client.key alone');
  assert.notEqual(ino(store.paths.cert), certIno, 'renew replaces client.crt');
  assert.ok(log.lines.some((l) => /replaced client\.crt, headers in /.test(l.message)), JSON.stringify(log.lines));

  // Rotate: new key, both replaced.
  const g3 = await rotateProfile(store, 'acme', { days: 9, headers: HEADERS, keyAlgorithm: 'ecdsa-p256' });
  await assertEditorFiles(store);
  assert.notEqual(readFileSync(store.paths.key, 'utf8'), first.key);
  assert.equal(readFileSync(join(data, 'profiles', 'acme', 'current'), 'utf8'), `${g3.number}\n`);

  // Rollback twice: back across the rotation to the first key.
  assert.equal((await store.rollback('acme')).number, g2.number);
  await assertEditorFiles(store);
  assert.equal(readFileSync(store.paths.key, 'utf8'), first.key);
  assert.equal((await store.rollback('acme')).number, 1);
  await assertEditorFiles(store);
  assert.equal(readFileSync(store.paths.cert, 'utf8'), first.cert);
  await assert.rejects(store.rollback('acme'), isUserErr('NO_PREVIOUS_GENERATION'));

  // A second profile with a CA bundle: creating and activating it switches the files and adds ca.crt.
  const ca = (await selfSigned()).cert;
  const beta = await seedProfile(store, 'beta', { ca });
  assert.equal(await store.getActive(), 'beta');
  await assertEditorFiles(store);
  assert.equal(readFileSync(store.paths.ca, 'utf8'), ca);
  // A write to a profile that is not active leaves the editor files alone.
  const before = readFileSync(store.paths.cert, 'utf8');
  await renewProfile(store, 'acme', { days: 9, headers: HEADERS });
  assert.equal(readFileSync(store.paths.cert, 'utf8'), before);
  assert.equal(before, beta.cert);
  // Switching back to the profile without a CA removes ca.crt.
  await store.setActive('acme');
  assert.equal(readFileSync(join(data, 'active-profile'), 'utf8'), 'acme\n');
  await assertEditorFiles(store);
  assert.equal(existsSync(store.paths.ca), false);
  await store.setActive('beta');
  await assertEditorFiles(store);
  // A no-CA generation of the active profile deletes ca.crt.
  await renewProfile(store, 'beta', { days: 9, headers: HEADERS, ca: null });
  await assertEditorFiles(store);
  assert.equal(existsSync(store.paths.ca), false);
  // A profile without a certificate cannot be made active; nothing changes.
  await store.createProfileDir('pending');
  await assert.rejects(store.setActive('pending'), isUserErr('PROFILE_NOT_READY'));
  assert.equal(await store.getActive(), 'beta');
  await assertEditorFiles(store);
  // History is the same as in the links layout.
  assert.deepEqual((await store.listGenerations('acme')).map((g) => [g.number, g.current]), [[4, true], [3, false], [2, false]]);
  // Bad input changes nothing: no new generation, same editor files.
  const other = await selfSigned();
  await assert.rejects(store.writeGeneration('beta', { cert: other.cert, key: first.key, headers: '' }, { operation: 'import' }), isUserErr('KEY_MISMATCH'));
  await assertEditorFiles(store);
});

test('fixed layout recovery: temp files removed, a half-done copy re-copied, broken pointers restored, all logged', async () => {
  const data = awkwardDataDir();
  const store = newStore(data, FIXED);
  const first = await seedProfile(store);
  await rotateProfile(store, 'acme', { days: 9, headers: HEADERS, keyAlgorithm: 'ecdsa-p256' });
  const cur = join(data, 'active', 'current');

  // A writer killed between renames of a rotation: the new cert is in, the old key still
  // there (stale), headers missing, and a staged temp file left behind.
  writeFileSync(join(cur, '.tmp-client.key-999-abcd'), 'half');
  writeFileSync(join(cur, 'client.key'), first.key);
  rmSync(join(cur, 'headers'));
  writeFileSync(join(data, 'profiles', 'acme', '.tmp-current-999-abcd'), '3\n');
  const log = memoryLogger();
  const fresh = newStore(data, { ...FIXED, logger: log });
  const report = await fresh.recover();
  assert.deepEqual(report.removedTemp.sort(), ['active/current/.tmp-client.key-999-abcd', 'profiles/acme/.tmp-current-999-abcd']);
  assert.deepEqual(report.recopiedActive, { profileId: 'acme', generation: 2, files: ['client.key', 'headers'] });
  assert.deepEqual([report.restoredCurrent, report.restoredActive, report.damaged], [[], null, []]);
  assert.ok(log.lines.some((l) => l.level === 'warn' && /did not match generation 2 of profile acme \(an interrupted copy\); copied client\.key, headers again/.test(l.message)), JSON.stringify(log.lines));
  await assertEditorFiles(fresh);
  // A clean store: nothing to do.
  const clean = await newStore(data, FIXED).recover();
  assert.deepEqual([clean.removedTemp, clean.recopiedActive, clean.restoredCurrent, clean.restoredActive], [[], null, [], null]);

  // Killed after the pointer was written but before any copy: the whole set is behind.
  writeFileSync(join(data, 'profiles', 'acme', 'current'), '1\n');
  const behind = await newStore(data, FIXED).recover();
  assert.deepEqual(behind.recopiedActive, { profileId: 'acme', generation: 1, files: ['client.crt', 'client.key', 'headers'] });
  assert.equal(readFileSync(fresh.paths.key, 'utf8'), first.key);

  // A garbled current file and a missing active-profile are restored like the links.
  writeFileSync(join(data, 'profiles', 'acme', 'current'), 'garbage\n');
  rmSync(join(data, 'active-profile'));
  rmSync(cur, { recursive: true });
  const r = await newStore(data, FIXED).recover();
  assert.deepEqual(r.restoredCurrent.map((x) => [x.profileId, x.from, x.to, x.reason]), [['acme', 'garbage', 2, 'current pointed at garbage, which is not a generation']]);
  assert.deepEqual(r.restoredActive, { from: null, to: 'acme', reason: 'active was missing' });
  assert.deepEqual(r.recopiedActive?.files, ['client.crt', 'client.key', 'headers']);
  await assertEditorFiles(fresh);
});

test('a links-layout data dir opened with the fixed layout keeps working and is converted by the next write', async () => {
  const data = awkwardDataDir();
  const links = newStore(data, { layout: 'links' });
  const { key } = await seedProfile(links);
  assert.ok(lstatSync(join(data, 'active')).isSymbolicLink());
  const fixed = newStore(data, FIXED);
  assert.equal(await fixed.getActive(), 'acme');
  assert.equal(await fixed.currentNumber('acme'), 1);
  assert.equal((await fixed.readCurrent())!.key, key);
  const r = await fixed.recover();
  assert.deepEqual([r.restoredCurrent, r.restoredActive, r.damaged], [[], null, []]);
  await renewProfile(fixed, 'acme', { days: 9, headers: HEADERS });
  await fixed.setActive('acme');
  assert.ok(lstatSync(join(data, 'active')).isDirectory(), 'active is now a directory');
  assert.equal(readFileSync(join(data, 'profiles', 'acme', 'current'), 'utf8'), '2\n');
  assert.equal(readFileSync(join(data, 'active-profile'), 'utf8'), 'acme\n');
  await assertEditorFiles(fixed);
  // Moving the whole data dir keeps it working: nothing in it is an absolute path.
  const moved = join(tempDir(), 'moved');
  cpSync(data, moved, { recursive: true });
  await assertEditorFiles(newStore(moved, FIXED));
});

test('fixed layout: two writer processes at once, every generation lands and the editor files end on the last', async () => {
  const data = awkwardDataDir();
  const store = newStore(data, { ...FIXED, keepPrevious: 100 });
  await seedProfile(store);
  const cfg = { dataDir: data, profile: 'acme', headers: HEADERS, mode: 'count', keepPrevious: 100, layout: 'fixed' };
  const run = (ops: string[]) => new Promise<{ code: number | null; lines: Array<{ generation: number }>; stderr: string }>((res) => {
    const child = spawn(process.execPath, [fixtures.writer], { env: { ...process.env, MTLS_WRITER: JSON.stringify({ ...cfg, ops }) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => res({ code, lines: out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)), stderr }));
  });
  const [a, b] = await Promise.all([run(['renew', 'rotate', 'renew', 'renew', 'rotate']), run(['rotate', 'renew', 'renew', 'rotate', 'renew'])]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual([...a.lines, ...b.lines].map((l) => l.generation).sort((x, y) => x - y), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.equal(await store.currentNumber('acme'), 11);
  await assertEditorFiles(store);
  assert.deepEqual(readdirSync(data).filter((n) => n.startsWith('.tmp-') || n === 'writer.lock'), []);
});

test('fixed layout crash: 50 SIGKILLs of a renew/rotate loop; after recovery the editor files are always the current generation', async (t) => {
  const tally = newTally();
  const started = performance.now();
  await Promise.all([lane(fixtures.writer, 25, tally, 'fixed'), lane(fixtures.writer, 25, tally, 'fixed')]);
  t.diagnostic(`fixed layout: ${tally.kills} kills in ${Math.round(performance.now() - started)} ms; ${tally.midWrite} landed mid-write ` +
    `(recovery removed ${tally.tempEntries} temp entries), ${tally.lockHeld} while holding the writer lock; ${tally.generationsWritten} generations completed between kills; ` +
    `active/current re-copied ${tally.recopied} times; a mismatched cert/key pair was visible before recovery after ${tally.mismatchedBeforeRecovery} kills; pointers restored ${tally.restored}; damaged ${tally.damaged}`);
  assert.equal(tally.kills, 50);
  assert.equal(tally.restored, 0, 'the pointer files are replaced atomically');
  assert.equal(tally.damaged, 0);
  assert.ok(tally.lockHeld >= 10, `only ${tally.lockHeld} kills landed inside a write operation`);
  assert.ok(tally.generationsWritten >= 10, `the writer barely wrote: ${tally.generationsWritten}`);
});

test('fixed layout consumer: 0 failures while another process renews 100 times; rotation failures measured', async (t) => {
  const root = tempDir();
  const data = awkwardDataDir();
  const ca = opensslCa(root);
  const issuerFile = join(root, 'issuer.json');
  writeFileSync(issuerFile, JSON.stringify(ca));
  const server = await startServer(fixtures.server, ca.certPem, HEADERS.find((h) => h.name === 'X-Team')!.value);
  t.after(() => server.child.kill('SIGKILL'));
  const store = newStore(data, FIXED);
  await seedProfile(store, 'acme', { issuer: ca, ca: server.serverCert, days: 7 });
  await store.installScripts();
  const { values } = settingsValues({ paths: store.paths, platform: 'linux', hasCa: true, hasHeaders: true });
  const clientCfg = { url: server.url, headerCommand: values['coder.headerCommand']!, cert: values['coder.tlsCertFile']!, key: values['coder.tlsKeyFile']!, ca: values['coder.tlsCaFile']! };
  const writer = forkJson(fixtures.writer, 'MTLS_WRITER', { dataDir: data, profile: 'acme', headers: HEADERS, mode: 'ipc', issuerFile, layout: 'fixed' });
  t.after(() => writer.kill('SIGKILL'));
  await new Promise<void>((res) => writer.once('message', () => res()));

  // Half the links-layout run's requests (1 renewal per 15 requests instead of 30), to stay fast.
  const renew = await runPhase(fixtures.client, writer, clientCfg, 'renew', 100, 1500, 15);
  const seen = await server.seen();
  t.diagnostic(`fixed layout, renew x${renew.ops}: ${renew.requests} requests in ${renew.ms} ms, ${renew.failures} failed ${JSON.stringify(renew.kinds)}; ` +
    `${seen} distinct certificates presented; X-Client-Cert-Sha256 stale on ${renew.fpHeaderStale}`);
  assert.deepEqual(renew.opErrors, []);
  assert.equal(renew.ops, 100);
  assert.ok(renew.requests >= 1500);
  assert.equal(renew.failures, 0, `failed requests during renewals: ${JSON.stringify(renew.kinds)}`);
  assert.ok(seen >= 60, `requests did not interleave with the renewals: only ${seen} certificates seen`);

  const rotate = await runPhase(fixtures.client, writer, clientCfg, 'rotate', 20, 300, 15);
  t.diagnostic(`fixed layout, rotate x${rotate.ops}: ${rotate.requests} requests in ${rotate.ms} ms, ${rotate.failures} failed ${JSON.stringify(rotate.kinds)}`);
  assert.deepEqual(rotate.opErrors, []);
  assert.equal(rotate.ops, 20);
  assert.ok(rotate.failures < rotate.requests / 5, `rotation broke more than the straddling requests: ${JSON.stringify(rotate.kinds)}`);
  assert.equal((await store.listGenerations('acme'))[0]!.number, 121);
  await assertEditorFiles(store);
});
