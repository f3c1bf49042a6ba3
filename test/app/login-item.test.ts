import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { App, LoginItemSettings, Settings } from 'electron';
import { createLoginItem } from '../../main/app/login-item';
import { AUTOSTART_FILE, autostartDir, autostartEntry, isAutostartEnabled, quoteExecArg, setAutostart } from '../../main/app/xdg-autostart';
import { tempDir } from './fakes';

/**
 * Splits an Exec value back into arguments the way the Desktop Entry spec says a launcher
 * does: first the string-value escapes (`\\` -> `\`), then double-quoted arguments with
 * backslash escapes, then `%%` -> `%`.
 */
function parseExec(value: string): string[] {
  const s = value.replace(/\\\\/g, '\\');
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ') {
      i++;
      continue;
    }
    let arg = '';
    if (s[i] === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\') i++;
        arg += s[i++];
      }
      i++;
    } else {
      while (i < s.length && s[i] !== ' ') arg += s[i++];
    }
    out.push(arg.replace(/%%/g, '%'));
  }
  return out;
}

test('autostart entry: a valid desktop entry whose Exec round-trips awkward paths', () => {
  const cmd = ['/home/u/Apps/mtls tray "beta"/mtls-tray.AppImage', '--hidden'];
  const text = autostartEntry(cmd);
  assert.match(text, /^\[Desktop Entry\]\nType=Application\n/);
  assert.match(text, /\nName=mtls-tray\n/);
  const exec = /\nExec=(.*)\n/.exec(text)?.[1] ?? '';
  assert.deepEqual(parseExec(exec), cmd);
  for (const weird of ['/opt/a b/c', '/opt/$HOME/x', '/opt/back\\slash', '/opt/100%/x', '/opt/`cmd`', "/opt/it's", '/plain/path']) {
    assert.deepEqual(parseExec(quoteExecArg(weird)), [weird], weird);
  }
  assert.equal(quoteExecArg('/usr/bin/mtls-tray'), '/usr/bin/mtls-tray');
  assert.throws(() => quoteExecArg('/a\nb'));
});

test('autostart writer: creates, reports, honours Hidden=true, removes', async () => {
  const home = tempDir('mtls-xdg-');
  const dir = autostartDir({ XDG_CONFIG_HOME: join(home, 'cfg') }, home);
  assert.equal(dir, join(home, 'cfg', 'autostart'));
  assert.equal(autostartDir({ XDG_CONFIG_HOME: 'relative/ignored' }, home), join(home, '.config', 'autostart'));
  assert.equal(await isAutostartEnabled(dir), false);
  await setAutostart(dir, ['/usr/bin/mtls-tray', '--hidden']);
  const file = join(dir, AUTOSTART_FILE);
  assert.match(readFileSync(file, 'utf8'), /\nExec=\/usr\/bin\/mtls-tray --hidden\n/);
  assert.equal(statSync(file).mode & 0o777, 0o644);
  assert.equal(await isAutostartEnabled(dir), true);
  writeFileSync(file, `${readFileSync(file, 'utf8')}Hidden=true\n`);
  assert.equal(await isAutostartEnabled(dir), false, 'switched off by the desktop settings');
  await setAutostart(dir, null);
  assert.equal(existsSync(file), false);
  await setAutostart(dir, null); // idempotent
});

class FakeLoginApp {
  settings: Settings[] = [];
  state: LoginItemSettings = { openAtLogin: false, wasOpenedAtLogin: false, status: 'not-registered', executableWillLaunchAtLogin: false, launchItems: [] };
  queries: unknown[] = [];
  setLoginItemSettings(s: Settings): void {
    this.settings.push(s);
    this.state = { ...this.state, openAtLogin: s.openAtLogin ?? false };
  }
  getLoginItemSettings(o?: unknown): LoginItemSettings {
    this.queries.push(o);
    return this.state;
  }
}
const asApp = (a: FakeLoginApp) => a as unknown as Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings'>;

test('Windows: a login item for the exe with --hidden, queried with the same path and args', async () => {
  const app = new FakeLoginApp();
  const li = createLoginItem({ platform: 'win32', app: asApp(app), command: ['C:\\Program Files\\mtls-tray\\mtls-tray.exe'], autostartDir: 'unused' });
  await li.setEnabled(true);
  assert.deepEqual(app.settings, [{ openAtLogin: true, path: 'C:\\Program Files\\mtls-tray\\mtls-tray.exe', args: ['--hidden'] }]);
  assert.equal(await li.isEnabled(), true);
  assert.deepEqual(app.queries, [{ path: 'C:\\Program Files\\mtls-tray\\mtls-tray.exe', args: ['--hidden'] }]);
  assert.equal(li.launchedAtLogin(['x.exe', '--hidden']), true);
});

test('macOS: Electron login item; a login launch is recognised by wasOpenedAtLogin', async () => {
  const app = new FakeLoginApp();
  const li = createLoginItem({ platform: 'darwin', app: asApp(app), command: ['/Applications/mtls-tray.app/Contents/MacOS/mtls-tray'], autostartDir: 'unused' });
  await li.setEnabled(true);
  assert.deepEqual(app.settings, [{ openAtLogin: true }]);
  assert.equal(li.launchedAtLogin(['x']), false);
  app.state = { ...app.state, wasOpenedAtLogin: true };
  assert.equal(li.launchedAtLogin(['x']), true);
});

test('Linux: the XDG file, never Electron (which does nothing there); dev command keeps the app path', async () => {
  const home = tempDir('mtls-xdg-');
  const app = new FakeLoginApp();
  const dir = join(home, 'autostart');
  const li = createLoginItem({ platform: 'linux', app: asApp(app), command: ['/usr/lib/electron/electron', '/src/mtls tray'], autostartDir: dir });
  await li.setEnabled(true);
  assert.equal(app.settings.length, 0);
  const exec = /\nExec=(.*)\n/.exec(readFileSync(join(dir, AUTOSTART_FILE), 'utf8'))?.[1] ?? '';
  assert.deepEqual(parseExec(exec), ['/usr/lib/electron/electron', '/src/mtls tray', '--hidden']);
  assert.equal(await li.isEnabled(), true);
  await li.setEnabled(false);
  assert.equal(await li.isEnabled(), false);
});

const validator = ['/usr/bin/desktop-file-validate', '/usr/local/bin/desktop-file-validate'].find((p) => existsSync(p));
test(
  'the autostart entry passes desktop-file-validate (freedesktop.org reference checker)',
  { skip: validator ? false : 'desktop-file-validate not installed (Debian package desktop-file-utils)' },
  () => {
    const dir = tempDir('mtls-xdg-');
    const file = join(dir, AUTOSTART_FILE);
    writeFileSync(file, autostartEntry(['/home/u/My Apps/mtls-tray "x"/100%/mtls-tray', '--hidden']));
    const r = spawnSync(validator!, [file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal((r.stdout + r.stderr).trim(), '', 'no warnings either');
  },
);
