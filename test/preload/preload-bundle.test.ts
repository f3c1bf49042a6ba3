/**
 * The preload as Electron loads it: one CommonJS file that a sandboxed renderer runs with a
 * `require` that offers little more than `electron`. We bundle preload/preload.ts the way
 * scripts/build.mjs does (and also check dist/preload.js when a build exists), then run the
 * bundle in a VM context with a fake electron to see what it exposes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { IPC_CHANNELS, IPC_EVENT_NAVIGATE, IPC_EVENT_STATE_CHANGED, type MtlsTrayApi } from '../../main/ipc/contract';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function bundle(): Promise<string> {
  // The options of scripts/build.mjs for the preload entry.
  const out = await build({
    absWorkingDir: root,
    entryPoints: ['preload/preload.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'chrome140',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/** Every require() the code makes, by running it (static scanning would miss computed names). */
function load(code: string) {
  const required: string[] = [];
  const exposed: Array<[string, unknown]> = [];
  const invoked: Array<[string, unknown[]]> = [];
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => {
        invoked.push([channel, args]);
        return Promise.resolve({ ok: true, value: channel });
      },
      on: (ch: string, l: (...a: unknown[]) => void) => void (listeners.get(ch) ?? listeners.set(ch, new Set()).get(ch)!).add(l),
      removeListener: (ch: string, l: (...a: unknown[]) => void) => void listeners.get(ch)?.delete(l),
    },
  };
  const module = { exports: {} };
  runInNewContext(code, {
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
    module,
    exports: module.exports,
    Promise,
    Set,
    String,
  });
  const emit = (ch: string, ...args: unknown[]) => {
    for (const l of listeners.get(ch) ?? []) l({ sender: 'the event object must not reach the page' }, ...args);
  };
  return { required, exposed, invoked, emit, listeners };
}

test('the preload bundle requires electron and nothing else', async () => {
  const code = await bundle();
  const r = load(code);
  assert.deepEqual([...new Set(r.required)], ['electron']);
  // statically too: no other require( in the text, so no lazy path reaches Node built-ins
  const requires = [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(requires)], ['electron']);
  assert.doesNotMatch(code, /\brequire\(\s*[^"'`\s]/, 'no computed require');
});

test('dist/preload.js (when built) requires nothing but electron', { skip: existsSync(`${root}dist/preload.js`) ? false : 'dist/preload.js not built (npm run build)' }, () => {
  const code = readFileSync(`${root}dist/preload.js`, 'utf8');
  assert.deepEqual([...new Set(load(code).required)], ['electron']);
});

test('it exposes exactly window.mtlsTray with the typed API, forwarding only contract channels', async () => {
  const r = load(await bundle());
  assert.equal(r.exposed.length, 1);
  const [key, api] = r.exposed[0]!;
  assert.equal(key, 'mtlsTray');
  assert.deepEqual(Object.keys(api as object).sort(), ['invoke', 'onNavigate', 'onStateChanged']);
  const bridge = api as MtlsTrayApi;
  for (const channel of IPC_CHANNELS) assert.deepEqual(await bridge.invoke(channel as 'profiles:list'), { ok: true, value: channel });
  assert.equal(r.invoked.length, IPC_CHANNELS.length);
  for (const evil of ['electron-store-get-data', 'event:state-changed', '__proto__', 'constructor', 'ELECTRON_BROWSER_REQUIRE']) {
    const res = await bridge.invoke(evil as 'profiles:list');
    assert.equal(res.ok, false, evil);
  }
  assert.equal(r.invoked.length, IPC_CHANNELS.length, 'no unknown channel reached ipcRenderer');
  await bridge.invoke('profile:rename', 'acme', 'New name');
  assert.deepEqual(r.invoked.at(-1), ['profile:rename', ['acme', 'New name']]);
});

test('listeners get the payload only, never Electron\'s event, and can unsubscribe', async () => {
  const r = load(await bundle());
  const bridge = r.exposed[0]![1] as MtlsTrayApi;
  const changed: unknown[][] = [];
  const off = bridge.onStateChanged((...a: unknown[]) => changed.push(a));
  const nav: unknown[][] = [];
  bridge.onNavigate?.((...a: unknown[]) => nav.push(a));
  r.emit(IPC_EVENT_STATE_CHANGED);
  r.emit(IPC_EVENT_NAVIGATE, { view: 'home' });
  assert.deepEqual(changed, [[]]);
  assert.deepEqual(nav, [[{ view: 'home' }]]);
  off();
  r.emit(IPC_EVENT_STATE_CHANGED);
  assert.equal(changed.length, 1);
});
