// tier: integration
/**
 * The real composition root, main/app/main.ts, bundled as scripts/build.mjs bundles it but
 * against a stand-in `electron` (fake-electron.ts), and run on plain Node with the real
 * AppService over a temp data directory. This checks the wiring that unit tests of the parts
 * cannot: the lock, the privileged scheme, the hardened session, the tray and window created
 * on ready, every IPC channel registered behind the sender check, a profile created over IPC,
 * Rotate certificate from the tray menu doing a real rotation and notifying, links from a second
 * launch reaching the window, quitting cleanly, and `--cli` running the headless CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { IPC_CHANNELS, IPC_EVENT_NAVIGATE, IPC_EVENT_STATE_CHANGED } from '../../main/ipc/contract';
import type * as Fake from './fake-electron';
import { tempDir } from './fakes';

const root = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

async function bundleMain(dir: string): Promise<string> {
  const outfile = join(dir, 'main.js');
  await build({
    absWorkingDir: root,
    entryPoints: ['main/app/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // as scripts/build.mjs: packages' ESM builds (jsonc-parser's UMD build cannot be bundled)
    mainFields: ['module', 'main'],
    outfile,
    logLevel: 'silent',
    plugins: [{ name: 'fake-electron', setup: (b) => void b.onResolve({ filter: /^electron$/ }, () => ({ path: join(root, 'test/app/fake-electron.ts') })) }],
  });
  return outfile;
}

async function until<T>(what: string, fn: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type Item = { id?: string; label?: string; enabled?: boolean; click?: () => void; submenu?: Item[] };
const findItem = (items: Item[] | undefined, id: string): Item | undefined => {
  for (const i of items ?? []) {
    if (i.id === id) return i;
    const sub = findItem(i.submenu, id);
    if (sub) return sub;
  }
  return undefined;
};

function environment(tmp: string): Record<string, string> {
  const home = join(tmp, 'home');
  mkdirSync(home, { recursive: true });
  return {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    MTLS_TRAY_HOME: join(tmp, 'data dir'),
    FAKE_ELECTRON_HOME: home,
  };
}

test('the composition root on a fake Electron: tray, window, IPC, tray rotation, second launch, quit', async () => {
  const tmp = tempDir('mtls-root-');
  const env = environment(tmp);
  Object.assign(process.env, env);
  const savedArgv = process.argv;
  process.argv = ['/usr/lib/electron/electron', root];
  const bundle = await bundleMain(tmp);
  createRequire(import.meta.url)(bundle);
  process.argv = savedArgv;
  const fake = (globalThis as unknown as { __fakeElectron: typeof Fake.control }).__fakeElectron;
  try {
    // before ready: our scheme is privileged, the lock is taken, nothing else exists yet
    assert.deepEqual(fake.protocol.privileged, [{ scheme: 'app', privileges: { standard: true, secure: true } }]);
    assert.equal(fake.trays.length, 0);
    assert.equal(fake.app.listenerCount('second-instance'), 1);
    assert.equal(fake.app.listenerCount('window-all-closed'), 1, 'closing the window does not quit');
    assert.deepEqual(fake.app.protocolClients, [], 'development builds do not take over the mtls-tray: scheme');

    fake.makeReady();
    const tray = await until('the tray menu', () => fake.trays[0]?.menu && fake.trays[0]);
    assert.deepEqual(tray.image, { path: join(tmp, 'assets/tray-expiring.png') });
    assert.match(tray.tooltip, /No profile yet/);
    assert.equal(findItem(tray.menu!.template as Item[], 'open')?.label, 'Set up…');

    // the session is locked down and the UI is served by our protocol handler
    assert.ok(fake.session.defaultSession.handlers.permissionRequest && fake.session.defaultSession.webRequest.handlers.beforeRequest);
    assert.ok(fake.protocol.handlers.has('app'));
    assert.deepEqual([...fake.ipcMain.handlers.keys()].sort(), [...IPC_CHANNELS].sort());

    // first run: the window opens on our UI
    const win = await until('the window', () => fake.windows[0]);
    const wp = win.options.webPreferences as Record<string, unknown>;
    assert.deepEqual([wp.sandbox, wp.contextIsolation, wp.nodeIntegration, wp.webSecurity, wp.preload], [true, true, false, true, join(tmp, 'preload.js')]);
    assert.equal(win.webContents.mainFrame.url, 'app://mtls-tray/index.html');
    await until('the page load', () => win.shown > 0);

    // IPC from our window reaches the real service: create a self-signed profile
    const created = (await fake.invoke('wizard:create', win, { url: 'https://127.0.0.1:9', name: 'Root Test', identity: { kind: 'self-signed' }, noSettings: true })) as { ok: boolean; value: { profile: { id: string } } };
    assert.equal(created.ok, true, JSON.stringify(created));
    const id = created.value.profile.id;
    // a foreign sender is refused
    const foreign = (await fake.invoke('profiles:list', { sender: { mainFrame: { routingId: 1, processId: 1 } }, senderFrame: { routingId: 1, processId: 1, parent: null, url: 'https://evil.example/' } })) as { ok: boolean; error: { code: string } };
    assert.equal(foreign.error.code, 'FOREIGN_SENDER');

    // the tray follows, and the window hears about the change
    await until('the tray to show the profile', () => /Root Test: \d+ days left/.test(tray.tooltip));
    assert.equal((tray.image as { path: string }).path.endsWith('tray-ok.png'), true);
    assert.ok(win.webContents.sent.some(([ch]) => ch === IPC_EVENT_STATE_CHANGED));

    // Rotate certificate from the tray menu: a real rotation, reported as a notification
    const gen = () => readlinkSync(join(env.MTLS_TRAY_HOME!, 'profiles', id, 'current'));
    const before = gen();
    const rotate = findItem(tray.menu!.template as Item[], 'rotate');
    assert.equal(rotate?.enabled, true);
    rotate!.click!();
    const note = await until('the rotation notification', () => fake.notifications.find((n) => /rotated/.test(n.options.title)));
    assert.equal(note.options.title, 'Root Test: certificate rotated');
    assert.notEqual(gen(), before, 'current points at a new generation');
    // clicking the notification opens the window
    note.emit('click');

    // a second launch with a link reaches the window's import review
    fake.app.emit('second-instance', { preventDefault() {} }, ['/usr/lib/electron/electron', root, 'mtls-tray://import?p=abc'], '/', {});
    await until('the navigate event', () => win.webContents.sent.find(([ch]) => ch === IPC_EVENT_NAVIGATE));
    assert.deepEqual(win.webContents.sent.find(([ch]) => ch === IPC_EVENT_NAVIGATE)?.[1], [{ view: 'import', source: { link: 'mtls-tray://import?p=abc' } }]);

    // closing the window keeps the app; its IPC is then refused
    win.close();
    const afterClose = (await fake.invoke('profiles:list', win)) as { ok: boolean; error: { code: string } };
    assert.equal(afterClose.error.code, 'FOREIGN_SENDER');
    assert.equal(fake.app.quits, 0);
    assert.equal(fake.dialog.errors.length, 0, 'no startup error');
  } finally {
    // Quit from the tray stops the scheduler, the poll and the watcher (or this process would not exit).
    const quit = findItem(fake.trays[0]?.menu?.template as Item[] | undefined, 'quit');
    if (quit?.click) quit.click();
    else fake.app.quit();
  }
});

test('--cli runs the headless CLI in the app binary: no lock, no tray, exit codes of the CLI', async () => {
  const tmp = tempDir('mtls-root-cli-');
  const bundle = await bundleMain(tmp);
  const env = { PATH: process.env.PATH ?? '', ...environment(tmp) };
  const run = (args: string[]) => spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8', env, timeout: 30_000 });
  const list = run(['--cli', 'list', '--json']);
  assert.equal(list.status, 0, list.stderr);
  assert.equal(list.stderr, '', 'the CLI stderr is its own: no app logging');
  assert.deepEqual(JSON.parse(list.stdout), []);
  const bad = run(['--cli', 'no-such-command']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no-such-command/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});
