/**
 * The editor side of the guarantees, through the CLI with every editor installed:
 * - init writes each settings.json exactly once, and a watcher never sees a torn file or a
 *   mix of old and new coder.* values;
 * - renew, rotate and rollback leave every settings.json byte-identical;
 * - switch does too, unless the profiles differ in tlsAltHost or in having a CA bundle, and
 *   then it is one write per file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'jsonc-parser';
import { CLI, makeWorld, type World } from './cli-harness';
import { makeServerIdentity } from '../helpers/mtls-server';

const EDITOR_DIRS = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf'];

function settingsFiles(w: World): string[] {
  return [...EDITOR_DIRS.map((d) => join(w.home, '.config', d, 'User', 'settings.json')), join(w.home, '.local', 'share', 'code-server', 'User', 'settings.json')];
}

function seed(w: World): void {
  mkdirSync(join(w.home, '.local', 'share', 'code-server', 'User'), { recursive: true });
  settingsFiles(w).forEach((f, i) => {
    // Existing user settings, with comments, and old coder.* values from a previous setup.
    writeFileSync(f, `{\n  // my settings\n  "editor.fontSize": ${12 + i},\n  "coder.tlsCertFile": "/old/cert.pem",\n  "coder.tlsKeyFile": "/old/key.pem",\n  "http.proxySupport": "on",\n}\n`);
  });
}

const CODER = ['coder.tlsCertFile', 'coder.tlsKeyFile', 'coder.tlsCaFile', 'coder.tlsAltHost', 'coder.headerCommand', 'coder.tlsCertRefreshCommand'];

/** Watches a settings file's directory and checks every state it can observe. */
function observe(file: string) {
  const seen = { events: 0, torn: 0, mixed: 0, inodes: new Set<number>(), states: new Set<string>() };
  const check = () => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
      seen.inodes.add(statSync(file).ino);
    } catch {
      seen.torn++; // a missing file is as bad as a torn one for the editor
      return;
    }
    const errors: never[] = [];
    const v = parse(text, errors, { allowTrailingComma: true }) as Record<string, unknown>;
    if (errors.length || typeof v !== 'object' || v === null) {
      seen.torn++;
      return;
    }
    const oldCert = v['coder.tlsCertFile'] === '/old/cert.pem';
    const oldKey = v['coder.tlsKeyFile'] === '/old/key.pem';
    // (coder.headerCommand stays unset for a profile without headers: the refresh command marks the new state.)
    const hasRefresh = typeof v['coder.tlsCertRefreshCommand'] === 'string';
    // Old state: old cert+key and no refresh command. New: none of the old values, all new ones.
    if (!((oldCert && oldKey && !hasRefresh) || (!oldCert && !oldKey && hasRefresh))) seen.mixed++;
    seen.states.add(JSON.stringify(CODER.map((k) => v[k] ?? null)));
  };
  check();
  const watcher = watch(dirname(file), () => {
    seen.events++;
    check();
  });
  return { seen, stop: () => watcher.close(), check };
}

function runAsync(w: World, args: string[]): Promise<number> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [CLI, '--data-dir', w.dataDir, ...args], { env: w.env, stdio: 'ignore' });
    p.on('exit', (code) => res(code ?? -1));
  });
}

test('init writes each editor once; a watcher sees no torn file and no half-updated coder.* values', async () => {
  const w = makeWorld('observe', { editors: EDITOR_DIRS });
  seed(w);
  const files = settingsFiles(w);
  const inodesBefore = files.map((f) => statSync(f).ino);
  const observers = files.map(observe);
  const code = await runAsync(w, ['init', '--url', 'https://coder.acme.test', '--self-signed']);
  await new Promise((r) => setTimeout(r, 200));
  observers.forEach((o) => o.check());
  observers.forEach((o) => o.stop());
  assert.equal(code, 0);
  files.forEach((f, i) => {
    const { seen } = observers[i]!;
    assert.equal(seen.torn, 0, `${f}: never torn`);
    assert.equal(seen.mixed, 0, `${f}: never a mix of old and new values`);
    assert.equal(seen.states.size, 2, `${f}: exactly the old and the new state`);
    assert.notEqual(statSync(f).ino, inodesBefore[i], `${f}: replaced by rename`);
    assert.equal(seen.inodes.size, 2, `${f}: exactly one replacement (two inodes seen)`);
    const text = readFileSync(f, 'utf8');
    assert.match(text, /\/\/ my settings/, 'comments kept');
    assert.match(text, new RegExp(`"editor.fontSize": ${12 + i}`));
  });
});

test('renew, rotate and rollback leave every settings.json byte-identical; switch writes only when tlsAltHost or the CA bundle differ', () => {
  const w = makeWorld('stable', { editors: EDITOR_DIRS });
  seed(w);
  const files = settingsFiles(w);
  assert.equal(w.cli(['init', '--url', 'https://coder.acme.test', '--name', 'one', '--self-signed']).code, 0);
  const bytes = () => files.map((f) => readFileSync(f));
  const inodes = () => files.map((f) => statSync(f).ino);
  const b0 = bytes();
  const i0 = inodes();
  for (const cmd of [['renew'], ['rotate'], ['renew'], ['rollback'], ['rotate'], ['rollback']]) {
    assert.equal(w.cli(cmd).code, 0, cmd.join(' '));
    assert.deepEqual(bytes(), b0, `${cmd} changed a settings file`);
    assert.deepEqual(inodes(), i0, `${cmd} replaced a settings file`);
  }
  // Same shape of profile (no alt host, no CA bundle): switching changes nothing.
  assert.equal(w.cli(['init', '--url', 'https://coder.other.test', '--name', 'two', '--self-signed', '--no-settings']).code, 0);
  let sw = w.json(['switch', 'one']);
  assert.deepEqual(bytes(), b0);
  sw = w.json(['switch', 'two']);
  assert.equal(sw.settings.filter((s: { wrote: boolean }) => s.wrote).length, 0, 'no write for a profile of the same shape');
  assert.deepEqual(bytes(), b0);
  assert.deepEqual(inodes(), i0);

  // A profile with a CA bundle: one write per file, adding coder.tlsCaFile; and back.
  const ca = join(w.root, 'server-ca.pem');
  writeFileSync(ca, makeServerIdentity().certPem);
  assert.equal(w.cli(['init', '--url', 'https://coder.ca.test', '--name', 'three', '--self-signed', '--ca-bundle', ca, '--no-settings']).code, 0);
  sw = w.json(['switch', 'three']);
  assert.equal(sw.settings.filter((s: { wrote: boolean }) => s.wrote).length, files.length, 'one write per file');
  for (const f of files) assert.equal(w.settings(f)['coder.tlsCaFile'], join(w.dataDir, 'active', 'current', 'ca.crt'));
  sw = w.json(['switch', 'one']);
  assert.deepEqual(bytes(), b0, 'switching back restores the bytes');
});

test('settings remove puts back exactly what was there before mtls-tray, in every editor', () => {
  const w = makeWorld('remove', { editors: EDITOR_DIRS });
  seed(w);
  const files = settingsFiles(w);
  const original = files.map((f) => readFileSync(f));
  assert.equal(w.cli(['init', '--url', 'https://coder.acme.test', '--self-signed', '--proxy-support']).code, 0);
  files.forEach((f, i) => assert.notDeepEqual(readFileSync(f), original[i]));
  const dry = w.json(['settings', 'remove', '--dry-run']);
  assert.equal(dry.length, files.length);
  assert.ok(dry.every((r: { diff: string; wrote: boolean }) => /^-\s+"coder.tlsCertRefreshCommand"/m.test(r.diff) && !r.wrote));
  const res = w.cli(['settings', 'remove']);
  assert.equal(res.code, 0, res.stderr);
  files.forEach((f, i) => assert.deepEqual(readFileSync(f), original[i], `${f} restored byte for byte`));
});
