// Editor discovery as a pure function of (env, platform, homedir, exists): Linux, macOS, and
// the target selection the CLI uses. Windows layouts are in windows-paths.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { discoverEditors, selectTargets, type DiscoveryContext, type EditorTarget } from '../../main/settings/editor-discovery';
import { tempDir } from './settings-test-kit';

function ctx(over: Partial<DiscoveryContext> & { existing?: string[] }): DiscoveryContext {
  const existing = new Set(over.existing ?? []);
  return { env: {}, platform: 'linux', homedir: '/home/al ice', exists: (p) => existing.has(p), ...over };
}

function byId(list: EditorTarget[]): Record<string, EditorTarget> {
  return Object.fromEntries(list.map((t) => [t.id, t]));
}

test('linux: ~/.config for desktop editors, ~/.local/share for code-server', () => {
  const eds = byId(discoverEditors(ctx({ existing: ['/home/al ice/.config/Code', '/home/al ice/.local/share/code-server'] })));
  assert.equal(eds.code!.settingsPath, '/home/al ice/.config/Code/User/settings.json');
  assert.equal(eds['code-insiders']!.settingsPath, '/home/al ice/.config/Code - Insiders/User/settings.json');
  assert.equal(eds.vscodium!.settingsPath, '/home/al ice/.config/VSCodium/User/settings.json');
  assert.equal(eds.cursor!.settingsPath, '/home/al ice/.config/Cursor/User/settings.json');
  assert.equal(eds.windsurf!.settingsPath, '/home/al ice/.config/Windsurf/User/settings.json');
  assert.equal(eds['code-server']!.settingsPath, '/home/al ice/.local/share/code-server/User/settings.json');
  assert.deepEqual(
    Object.values(eds).filter((e) => e.installed).map((e) => e.id),
    ['code', 'code-server'],
    'installed = the user-data directory exists',
  );
});

test('linux: XDG_CONFIG_HOME and XDG_DATA_HOME are honoured when absolute, ignored when relative or empty', () => {
  const abs = byId(discoverEditors(ctx({ env: { XDG_CONFIG_HOME: '/xdg/config', XDG_DATA_HOME: '/xdg/data' } })));
  assert.equal(abs.cursor!.settingsPath, '/xdg/config/Cursor/User/settings.json');
  assert.equal(abs['code-server']!.settingsPath, '/xdg/data/code-server/User/settings.json');
  const rel = byId(discoverEditors(ctx({ env: { XDG_CONFIG_HOME: 'relative/config', XDG_DATA_HOME: '' } })));
  assert.equal(rel.code!.settingsPath, '/home/al ice/.config/Code/User/settings.json');
  assert.equal(rel['code-server']!.settingsPath, '/home/al ice/.local/share/code-server/User/settings.json');
});

test('linux: VSCODE_APPDATA moves every desktop editor (as VS Code itself does), not code-server', () => {
  const eds = byId(discoverEditors(ctx({ env: { VSCODE_APPDATA: '/opt/vsdata', XDG_CONFIG_HOME: '/xdg' } })));
  assert.equal(eds.code!.settingsPath, '/opt/vsdata/Code/User/settings.json');
  assert.equal(eds.windsurf!.settingsPath, '/opt/vsdata/Windsurf/User/settings.json');
  assert.equal(eds['code-server']!.settingsPath, '/home/al ice/.local/share/code-server/User/settings.json');
});

test('linux: a Flatpak VS Code or VSCodium counts when the regular folder is missing', () => {
  const flat = '/home/al ice/.var/app/com.vscodium.codium/config/VSCodium';
  const eds = byId(discoverEditors(ctx({ existing: [flat] })));
  assert.equal(eds.vscodium!.installed, true);
  assert.equal(eds.vscodium!.settingsPath, `${flat}/User/settings.json`);
  const both = byId(discoverEditors(ctx({ existing: [flat, '/home/al ice/.config/VSCodium'] })));
  assert.equal(both.vscodium!.settingsPath, '/home/al ice/.config/VSCodium/User/settings.json', 'the regular install wins');
});

test('macOS: Application Support for desktop editors; code-server keeps the XDG layout', () => {
  const mac = ctx({ platform: 'darwin', homedir: '/Users/al', env: { XDG_CONFIG_HOME: '/ignored/on/mac' } });
  const eds = byId(discoverEditors(mac));
  assert.equal(eds.code!.settingsPath, '/Users/al/Library/Application Support/Code/User/settings.json');
  assert.equal(eds['code-insiders']!.settingsPath, '/Users/al/Library/Application Support/Code - Insiders/User/settings.json');
  assert.equal(eds['code-server']!.settingsPath, '/Users/al/.local/share/code-server/User/settings.json');
  const xdg = byId(discoverEditors({ ...mac, env: { XDG_DATA_HOME: '/Users/al/xdg-data' } }));
  assert.equal(xdg['code-server']!.settingsPath, '/Users/al/xdg-data/code-server/User/settings.json');
});

test('discovery against a real home directory', (t) => {
  const home = tempDir(t, 'discovery');
  mkdirSync(join(home, '.config', 'Cursor'), { recursive: true });
  mkdirSync(join(home, 'data', 'code-server'), { recursive: true });
  const found = discoverEditors({ env: { XDG_DATA_HOME: join(home, 'data') }, platform: 'linux', homedir: home, exists: existsSync });
  assert.deepEqual(found.filter((e) => e.installed).map((e) => e.id), ['cursor', 'code-server']);
});

test('selection: default = installed editors; explicit ids even when missing; settings files; no duplicates', () => {
  const c = ctx({ existing: ['/home/al ice/.config/Code', '/home/al ice/.config/Cursor', '/work'] });
  const all = discoverEditors(c);
  assert.deepEqual(selectTargets(all, {}, { ...c, cwd: '/work' }).map((t) => t.id), ['code', 'cursor']);
  const picked = selectTargets(all, { editors: ['windsurf', 'code'], settingsFiles: ['portable/data/user-data/User/settings.json', '/home/al ice/.config/Code/User/settings.json'] }, { ...c, cwd: '/work' });
  assert.deepEqual(picked.map((t) => [t.id, t.settingsPath, t.installed]), [
    ['windsurf', '/home/al ice/.config/Windsurf/User/settings.json', false],
    ['code', '/home/al ice/.config/Code/User/settings.json', true],
    ['custom', '/work/portable/data/user-data/User/settings.json', false],
  ]);
  assert.throws(() => selectTargets(all, { editors: ['emacs' as never] }, { ...c, cwd: '/' }), { code: 'UNKNOWN_EDITOR' });
});
