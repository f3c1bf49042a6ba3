// tier: integration
// The observer test: while another process runs `settings apply`/`remove`, a watcher here
// re-reads and parses every settings.json on each filesystem event of its folder (and a poller
// reads them back to back). It must never see an unparsable file, a missing file or a mix of
// old and new coder.* values; an apply that changes keys replaces each file exactly once
// (one rename onto settings.json, one new inode), an apply that changes nothing touches none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { EditorTarget } from '../../main/settings/editor-discovery';
import { CODER_KEYS, type DesiredCoderSettings } from '../../main/settings/owned-keys';
import type { SettingsFileResult } from '../../main/settings/settings-result';
import { FIXTURES, FULL_DESIRED, NO_CA_DESIRED, parseErrors, settingsObject, tempDir } from './settings-test-kit';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./apply-child.ts', import.meta.url));

/** JSON has no undefined: "must be absent" travels as null. */
function forJson(d: DesiredCoderSettings): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const k of CODER_KEYS) if (k in d) out[k] = d[k] ?? null;
  return out;
}

interface Observation {
  reads: number;
  /** Reads triggered by a filesystem event (the rest come from the back-to-back poller). */
  eventReads: number;
  unparsable: number;
  missing: number;
  /** Distinct coder.* tuples seen, as JSON. */
  tuples: Set<string>;
  /** Inode changes seen between consecutive reads. */
  inodeChanges: number;
  /** fs.watch events naming settings.json itself, by type. */
  renameEvents: number;
  changeEvents: number;
}

class FileObserver {
  readonly obs: Observation = { reads: 0, eventReads: 0, unparsable: 0, missing: 0, tuples: new Set(), inodeChanges: 0, renameEvents: 0, changeEvents: 0 };
  private lastIno: number;
  private watcher: FSWatcher;
  private sentinelSeen: (() => void) | null = null;

  /** `path` is the settings.json as the editor opens it; `realFile` is where writes land. */
  constructor(
    readonly path: string,
    readonly realFile: string,
  ) {
    this.lastIno = statSync(path).ino;
    this.watcher = watch(dirname(realFile), (eventType, filename) => {
      if (filename === '.sentinel') {
        this.sentinelSeen?.();
        return;
      }
      if (filename === basename(realFile)) {
        if (eventType === 'rename') this.obs.renameEvents++;
        else this.obs.changeEvents++;
      }
      this.obs.eventReads++;
      this.read();
    });
  }

  read(): void {
    this.obs.reads++;
    let text: string;
    let ino: number;
    try {
      text = readFileSync(this.path, 'utf8');
      ino = statSync(this.path).ino;
    } catch {
      this.obs.missing++;
      return;
    }
    if (ino !== this.lastIno) {
      this.obs.inodeChanges++;
      this.lastIno = ino;
    }
    if (parseErrors(text).length > 0) {
      this.obs.unparsable++;
      return;
    }
    const obj = settingsObject(text);
    this.obs.tuples.add(JSON.stringify(CODER_KEYS.map((k) => obj[k] ?? null)));
  }

  /** Every event before this call has been delivered once the sentinel's event arrives (inotify keeps order). */
  async flush(): Promise<void> {
    const seen = new Promise<void>((resolve) => (this.sentinelSeen = resolve));
    writeFileSync(join(dirname(this.realFile), '.sentinel'), String(Date.now()));
    await seen;
    this.sentinelSeen = null;
  }

  reset(): void {
    Object.assign(this.obs, { reads: 0, eventReads: 0, unparsable: 0, missing: 0, tuples: new Set(), inodeChanges: 0, renameEvents: 0, changeEvents: 0 });
  }

  close(): void {
    this.watcher.close();
  }
}

function tuple(desired: DesiredCoderSettings, base: Record<string, unknown>): string {
  return JSON.stringify(CODER_KEYS.map((k) => (k in desired ? desired[k] ?? null : base[k] ?? null)));
}

test('observer: every reader sees the old or the new settings, and one replacement per changed file', async (t) => {
  const home = tempDir(t, 'observer');
  const backupDir = join(home, 'data', 'settings-backups');
  const files: Array<{ id: EditorTarget['id']; path: string; realFile: string; fixture: string }> = [];
  const add = (id: EditorTarget['id'], rel: string, fixture: string, viaLink = false) => {
    const path = join(home, rel);
    mkdirSync(dirname(path), { recursive: true });
    let realFile = path;
    if (viaLink) {
      realFile = join(home, 'dotfiles', `${id}-settings.json`);
      mkdirSync(dirname(realFile), { recursive: true });
      symlinkSync(realFile, path);
    }
    writeFileSync(realFile, readFileSync(join(FIXTURES, fixture)));
    files.push({ id, path, realFile, fixture });
  };
  add('code', '.config/Code/User/settings.json', 'existing-coder-values.json');
  add('cursor', '.config/Cursor/User/settings.json', 'comments-everywhere.json');
  add('code-server', '.local/share/code-server/User/settings.json', 'crlf-windows.json');
  add('vscodium', '.config/VSCodium/User/settings.json', 'bom-utf8.json', true);
  const targets: EditorTarget[] = files.map((f) => ({ id: f.id, name: f.id, userDataDir: dirname(dirname(f.path)), settingsPath: f.path, installed: true }));
  const observers = files.map((f) => new FileObserver(f.path, f.realFile));
  t.after(() => observers.forEach((o) => o.close()));

  /** Runs the child while the watchers (and a poller) read; returns its results. */
  const phase = async (args: object): Promise<SettingsFileResult[]> => {
    observers.forEach((o) => o.reset());
    const inos = files.map((f) => statSync(f.path).ino);
    let polling = true;
    const poll = () => {
      observers.forEach((o) => o.read());
      if (polling) setImmediate(poll);
    };
    setImmediate(poll);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ backupDir, targets, ...args })]);
    polling = false;
    for (const o of observers) await o.flush();
    observers.forEach((o) => o.read());
    const results = JSON.parse(stdout) as SettingsFileResult[];
    results.forEach((r) => assert.equal(r.error, undefined, JSON.stringify(r.error)));
    for (const [i, o] of observers.entries()) {
      (o as FileObserver & { inoBefore?: number }).inoBefore = inos[i];
      assert.equal(o.obs.unparsable, 0, `${o.path}: a reader saw an unparsable file`);
      assert.equal(o.obs.missing, 0, `${o.path}: a reader found no file`);
      assert.equal(o.obs.changeEvents, 0, `${o.path}: written in place`);
    }
    return results;
  };
  const originals = files.map((f) => settingsObject(readFileSync(f.path, 'utf8')));

  // 1. init-like apply: every file changes.
  const applied = await phase({ op: 'apply', desired: forJson(FULL_DESIRED), proxyConsent: true });
  for (const [i, o] of observers.entries()) {
    const oldTuple = JSON.stringify(CODER_KEYS.map((k) => originals[i]![k] ?? null));
    const newTuple = tuple(FULL_DESIRED, originals[i]!);
    assert.equal(applied[i]!.wrote, true);
    assert.deepEqual([...o.obs.tuples].filter((x) => x !== oldTuple && x !== newTuple), [], `${o.path}: a mix of old and new values was visible`);
    assert.ok(o.obs.tuples.has(newTuple));
    assert.equal(o.obs.renameEvents, 1, `${o.path}: exactly one replacement`);
    assert.equal(o.obs.inodeChanges, 1, `${o.path}: exactly one inode change`);
    assert.notEqual(statSync(o.path).ino, (o as FileObserver & { inoBefore?: number }).inoBefore);
    t.diagnostic(`${files[i]!.id}: ${o.obs.reads} reads (${o.obs.eventReads} on events), ${o.obs.tuples.size} distinct states, ${o.obs.renameEvents} rename event(s), ${o.obs.inodeChanges} inode change(s)`);
  }
  assert.ok(applied.find((r) => r.editor === 'code-server')!.notices.some((n) => n.includes('reload the code-server browser tab')));

  // 2. The same apply again: nothing to do, no event, same inodes.
  const noop = await phase({ op: 'apply', desired: forJson(FULL_DESIRED), proxyConsent: true });
  for (const [i, o] of observers.entries()) {
    assert.equal(noop[i]!.wrote, false);
    assert.equal(o.obs.renameEvents, 0, `${o.path}: an unchanged apply must not touch the file`);
    assert.equal(o.obs.inodeChanges, 0);
    assert.equal(statSync(o.path).ino, (o as FileObserver & { inoBefore?: number }).inoBefore);
  }

  // 3. A profile switch that drops the CA bundle and alt host: one write per file, two keys at once.
  const switched = await phase({ op: 'apply', desired: forJson(NO_CA_DESIRED), proxyConsent: true });
  for (const [i, o] of observers.entries()) {
    assert.deepEqual(switched[i]!.keys, ['coder.tlsCaFile', 'coder.tlsAltHost']);
    const before = tuple(FULL_DESIRED, originals[i]!);
    const after = tuple(NO_CA_DESIRED, originals[i]!);
    assert.deepEqual([...o.obs.tuples].filter((x) => x !== before && x !== after), []);
    assert.equal(o.obs.renameEvents, 1);
    assert.equal(o.obs.inodeChanges, 1);
  }

  // 4. remove: one write per file, back to the original values.
  const removed = await phase({ op: 'remove' });
  for (const [i, o] of observers.entries()) {
    assert.equal(removed[i]!.wrote, true);
    assert.equal(o.obs.renameEvents, 1);
    assert.equal(o.obs.inodeChanges, 1);
    assert.deepEqual(settingsObject(readFileSync(files[i]!.path, 'utf8')), originals[i]);
  }
});

test('observer control: a per-key writer (what this project replaces) is seen as one replacement per key', async (t) => {
  const home = tempDir(t, 'observer-control');
  const path = join(home, 'User', 'settings.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, readFileSync(join(FIXTURES, 'existing-coder-values.json')));
  const original = settingsObject(readFileSync(path, 'utf8'));
  const o = new FileObserver(path, path);
  t.after(() => o.close());
  const target: EditorTarget = { id: 'code', name: 'code', userDataDir: home, settingsPath: path, installed: true };
  let polling = true;
  const poll = () => {
    o.read();
    if (polling) setImmediate(poll);
  };
  setImmediate(poll);
  await run(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ op: 'per-key', targets: [target], desired: forJson(FULL_DESIRED), backupDir: join(home, 'b') })]);
  polling = false;
  await o.flush();
  o.read();
  const keys = Object.keys(forJson(FULL_DESIRED)).length;
  assert.equal(o.obs.renameEvents, keys, 'the watcher counts every replacement');
  const ends = [JSON.stringify(CODER_KEYS.map((k) => original[k] ?? null)), tuple(FULL_DESIRED, original)];
  const mixed = [...o.obs.tuples].filter((x) => !ends.includes(x)).length;
  t.diagnostic(`per-key writer: ${keys} replacements, ${mixed} mixed old/new state(s) seen by the reader in ${o.obs.reads} reads`);
});
