// tier: integration
/**
 * The drift watch (issue 17) with real fs.watch on temp settings.json files and a temp data
 * dir, the real AppService (store, settings writer, restore-loop guard) and an injected
 * notifier. Measured: how many notices a per-key writer causes, how long detection takes,
 * how many writes a Restore makes, and that a Restore undone within a minute is not repeated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { applyEdits, modify, parse } from 'jsonc-parser';
import type { AppNotice } from '../../main/base/notice';
import type { AppService } from '../../main/services/app-service';
import { createAppService } from '../../main/services/create-app-service';
import { createSettingsPort } from '../../main/services/settings-adapter';
import type { LayoutKind } from '../../main/store/pointers';
import { createDriftWatch, type DriftWatch } from '../../main/watch/drift-watch';

const URL = 'https://coder.example.com';
const USER_TEXT = '{\n  // my theme: keep this comment\n  "workbench.colorTheme": "Dark+",\n  "editor.fontSize": 14,\n}\n';

interface Rig {
  home: string;
  dataDir: string;
  cursor: string;
  svc: AppService;
  watch: DriftWatch;
  notices: Array<AppNotice & { at: number }>;
  /** Settings writes that replaced a file (the settings writer, spied on). */
  writes: string[];
  fsEvents: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | null | false, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function rig(o: { layout?: LayoutKind; noWatch?: boolean; pollMs?: number } = {}): Promise<Rig> {
  const home = mkdtempSync(join(tmpdir(), 'mtls-drift-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const dataDir = join(home, "data dir's");
  const cursorDir = join(home, '.config', 'Cursor', 'User');
  mkdirSync(cursorDir, { recursive: true });
  const cursor = join(cursorDir, 'settings.json');
  writeFileSync(cursor, USER_TEXT);
  const env = { HOME: home };
  const writes: string[] = [];
  const port = createSettingsPort({ env, platform: 'linux', homedir: home, backupDir: join(dataDir, 'settings-backups') });
  const settings = {
    ...port,
    async apply(...a: Parameters<typeof port.apply>) {
      const r = await port.apply(...a);
      if (r.wrote) writes.push(r.path);
      return r;
    },
  };
  const svc = createAppService({ dataDir, env, platform: 'linux', homedir: home, cliCommand: [process.execPath, '/opt/mtls-tray/cli.js'], settings, ...(o.layout ? { layout: o.layout } : {}) });
  await svc.init({ url: URL, identity: { kind: 'self-signed' }, editors: ['cursor'], headers: [{ name: 'X-Team', value: 'infra' }] });
  writes.length = 0;
  const notices: Rig['notices'] = [];
  const r: Rig = { home, dataDir, cursor, svc, watch: null as unknown as DriftWatch, notices, writes, fsEvents: 0 };
  r.watch = createDriftWatch({
    service: svc,
    notify: (n) => void notices.push({ ...n, at: Date.now() }),
    now: () => Date.now(),
    timers: { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) },
    // fs.watch, counted; the poll is out of the way (a minute), so fs events are what is measured.
    watch: (dir, opts, listener) => {
      if (o.noWatch) throw Object.assign(new Error('no inotify here'), { code: 'ENOSYS' });
      return watch(dir, opts, (ev, name) => {
        r.fsEvents++;
        listener(ev, name);
      });
    },
    pollMs: o.pollMs ?? 60_000,
  });
  after(() => r.watch.stop());
  await r.watch.start();
  assert.deepEqual(notices, [], 'no drift after init');
  return r;
}

/** Another extension writing key by key: every key is a rewrite of the whole file. */
function setKey(file: string, key: string, value: unknown, how: 'in-place' | 'rename'): void {
  const text = readFileSync(file, 'utf8');
  const next = applyEdits(text, modify(text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  if (how === 'in-place') writeFileSync(file, next);
  else {
    writeFileSync(`${file}.tmp`, next);
    renameSync(`${file}.tmp`, file);
  }
}

const THEIRS: Array<[string, string]> = [
  ['coder.tlsCertFile', '/corp/pki/me.crt'],
  ['coder.tlsKeyFile', '/corp/pki/me.key'],
  ['coder.tlsCaFile', '/corp/pki/ca.pem'],
  ['coder.headerCommand', '/corp/bin/headers'],
];

async function perKeyWriter(file: string, how: 'in-place' | 'rename'): Promise<number> {
  const t0 = Date.now();
  for (const [i, [k, v]] of THEIRS.entries()) {
    if (i > 0) await sleep(60);
    setKey(file, k, v, how);
  }
  return t0;
}

for (const how of ['in-place', 'rename'] as const) {
  test(`a writer that changes 4 keys 60 ms apart (${how}) gives exactly 1 notice, naming the editor and the keys`, async () => {
    const r = await rig();
    const t0 = await perKeyWriter(r.cursor, how);
    const n = await until('the drift notice', () => r.notices[0]);
    // Anything later would be a second notice for the same burst: wait well past the debounce.
    await sleep(1_500);
    await r.watch.idle();
    assert.equal(r.notices.length, 1, JSON.stringify(r.notices));
    assert.equal(n.kind, 'drift');
    assert.equal(n.title, "Cursor's settings changed outside mtls-tray");
    assert.match(n.body, /^coder\.tlsCertFile in Cursor now points at \/corp\/pki\/me\.crt, not at mtls-tray's file \(.*client\.crt\) \(and 3 more\)\./);
    assert.deepEqual(n.drift, { restore: [r.cursor], keepTheirs: r.cursor });
    console.log(`[measure] per-key writer (${how}): ${THEIRS.length} writes over ${(THEIRS.length - 1) * 60} ms -> ${r.fsEvents} fs events, ${r.watch.stats().checks - 1} check(s), ${r.notices.length} notice ${n.at - t0} ms after the first write`);
  });
}

test('Restore brings settings.json back in one write, the user\'s comments intact', async () => {
  const r = await rig();
  const before = readFileSync(r.cursor, 'utf8');
  await perKeyWriter(r.cursor, 'in-place');
  await until('the drift notice', () => r.notices[0]);
  const inodes = new Set<number>([statSync(r.cursor).ino]);
  const observer = watch(join(r.cursor, '..'), () => {
    try {
      inodes.add(statSync(r.cursor).ino);
    } catch {
      /* between unlink and rename: nothing to see */
    }
  });
  const [res] = await r.watch.restore([r.cursor]);
  await r.watch.idle();
  await sleep(300);
  observer.close();
  assert.equal(res!.ok, true, res!.message);
  assert.deepEqual(r.writes, [r.cursor], 'one settings write');
  assert.equal(inodes.size, 2, 'the file was replaced once (temp + rename): its inode changed once');
  assert.equal(readFileSync(r.cursor, 'utf8'), before, 'byte for byte what mtls-tray wrote at init, comments included');
  assert.match(readFileSync(r.cursor, 'utf8'), /\/\/ my theme: keep this comment/);
  assert.deepEqual(r.notices.map((n) => n.title), ["Cursor's settings changed outside mtls-tray", 'Restored']);
  assert.match(r.notices[1]!.body, /^Restored mtls-tray's values in Cursor's settings\.json \(coder\.tlsCertFile, coder\.tlsKeyFile, coder\.tlsCaFile, coder\.headerCommand; one write\)\.$/);
  assert.deepEqual((await r.svc.driftReport()).sources, []);
  console.log(`[measure] restore: ${r.writes.length} settings write(s), ${inodes.size - 1} inode change(s) of settings.json`);
});

for (const layout of ['fixed', 'links'] as LayoutKind[]) {
  test(`${layout} layout: a file replaced under active/current is noticed within 2 s and restored by re-publishing`, async () => {
    const r = await rig({ layout });
    // Links layout: active/current/client.crt is the generation's own file, so restoring
    // publishes the newest intact generation: have one.
    if (layout === 'links') await r.svc.renew();
    await r.watch.idle();
    await sleep(200);
    await r.watch.idle();
    const status = (await r.svc.status())!;
    const certPath = status.files.cert;
    const ours = readFileSync(certPath, 'utf8');
    const t0 = Date.now();
    writeFileSync(`${certPath}.tmp`, '-----BEGIN CERTIFICATE-----\nMIIBdotfiles\n-----END CERTIFICATE-----\n');
    renameSync(`${certPath}.tmp`, certPath);
    const n = await until('the drift notice', () => r.notices.find((x) => x.kind === 'drift'), 2_000);
    const latency = n.at - t0;
    assert.ok(latency < 2_000, `noticed after ${latency} ms`);
    assert.equal(n.title, "mtls-tray's files changed");
    assert.ok(n.body.startsWith(`${certPath} was changed outside mtls-tray: it no longer matches generation`), n.body);
    assert.deepEqual(n.drift, { restore: ['files'], keepTheirs: null });

    const [res] = await r.watch.restore(['files']);
    assert.equal(res!.ok, true, res!.message);
    const after = (await r.svc.status())!;
    assert.deepEqual(after.drift, []);
    const cur = after.generations.find((g) => g.current)!;
    if (layout === 'fixed') {
      assert.equal(readFileSync(certPath, 'utf8'), ours, 'the same generation, copied again');
      assert.match(res!.message, /copied client\.crt of generation 1 again/);
    } else {
      assert.equal(cur.number, 1, 'generation 2 was changed in place; generation 1 is the newest intact one');
      assert.match(res!.message, /made generation 1 of profile coder-example-com current, because current pointed at generation 2, which is incomplete/);
    }
    assert.equal(after.report?.fingerprintSha256, cur.fingerprintSha256, 'the editors read the current generation');
    console.log(`[measure] ${layout} layout: replaced ${certPath.replace(r.dataDir, '<data>')} noticed after ${latency} ms; restore: ${res!.message}`);
  });
}

test('the restore-loop guard: a Restore undone within a minute is not repeated, and the notice says why and what to run', async () => {
  const r = await rig();
  await perKeyWriter(r.cursor, 'in-place');
  await until('the drift notice', () => r.notices[0]);
  const [first] = await r.watch.restore([r.cursor]);
  assert.equal(first!.ok, true);
  assert.equal(r.writes.length, 1);
  // Settings Sync (or the other extension) puts its values back 300 ms later.
  await sleep(300);
  const undoneAt = Date.now();
  setKey(r.cursor, 'coder.tlsCertFile', '/corp/pki/me.crt', 'rename');
  const loop = await until('the loop notice', () => r.notices.find((n) => n.title.startsWith('mtls-tray stopped restoring')));
  assert.equal(loop.title, "mtls-tray stopped restoring Cursor's settings");
  assert.match(loop.body, /^Cursor's settings\.json changed back \d+ m?s after Restore: something keeps rewriting it \(Settings Sync, another extension, a dotfiles script\), so mtls-tray stopped restoring it rather than fight it\. Find what writes it, then run `mtls-tray settings apply --editor cursor`; `mtls-tray doctor` shows what differs\.$/);
  assert.deepEqual(loop.drift, { restore: [], keepTheirs: r.cursor }, 'no Restore offered; Keep theirs still is');

  // A second Restore (the notification of before, the window) is refused and writes nothing.
  const [second] = await r.watch.restore([r.cursor]);
  assert.equal(second!.ok, false);
  assert.match(second!.message, /stopped restoring it rather than fight it\. Find what writes it, then run `mtls-tray settings apply --editor cursor`/);
  assert.deepEqual(r.writes, [r.cursor], 'still the one write of the first Restore');
  assert.equal(parse(readFileSync(r.cursor, 'utf8'))['coder.tlsCertFile'], '/corp/pki/me.crt', 'their value stays');
  const report = await r.svc.driftReport();
  assert.match(report.sources[0]!.stopped ?? '', /stopped restoring it/);
  await sleep(1_000);
  await r.watch.idle();
  assert.equal(r.notices.filter((n) => n.title.startsWith('mtls-tray stopped')).length, 1, 'explained once');
  console.log(`[measure] loop guard: undone 300 ms after Restore; loop notice ${loop.at - undoneAt} ms after the undo; settings writes: ${r.writes.length} (the second Restore refused); notices: ${r.notices.map((n) => n.title).join(' | ')}`);
});

test('without fs.watch (a filesystem without events) the poll still notices, once', async () => {
  const r = await rig({ noWatch: true, pollMs: 500 });
  assert.deepEqual(r.watch.stats().watched, []);
  const t0 = await perKeyWriter(r.cursor, 'rename');
  const n = await until('the drift notice', () => r.notices[0], 3_000);
  await sleep(1_200);
  assert.equal(r.notices.length, 1);
  console.log(`[measure] poll fallback (500 ms): noticed ${n.at - t0} ms after the first write; ${r.notices.length} notice`);
});
