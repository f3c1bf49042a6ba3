// Windows on Linux: discovery with %APPDATA%/%LOCALAPPDATA% layouts (path.win32), settings
// values that are Windows paths and a cmd.exe command surviving our write byte for byte, and
// the comparisons `settings show` makes (case, slashes, ${env:VAR}, ~).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applySettingsFile } from '../../main/settings/apply-settings';
import { customSettingsTarget, discoverEditors, selectTargets, type DiscoveryContext, type EditorTarget } from '../../main/settings/editor-discovery';
import { readCoderSettings } from '../../main/settings/read-coder-settings';
import { coderSettingsMatch } from '../../main/settings/drift';
import { expandSettingPath, samePath } from '../../main/settings/setting-paths';
import { quoteCmdIfNeeded } from '../../main/base/shell-quote';
import { fileTarget, parseErrors, tempDir } from './settings-test-kit';

const HOME = "C:\\Users\\Ann O'Brien";
const WIN_ENV = {
  USERPROFILE: HOME,
  APPDATA: `${HOME}\\AppData\\Roaming`,
  LOCALAPPDATA: `${HOME}\\AppData\\Local`,
};

function win(env: Record<string, string | undefined>, existing: string[] = []): DiscoveryContext {
  const set = new Set(existing);
  return { env, platform: 'win32', homedir: HOME, exists: (p) => set.has(p) };
}

function byId(list: EditorTarget[]): Record<string, EditorTarget> {
  return Object.fromEntries(list.map((t) => [t.id, t]));
}

test('windows: %APPDATA%\\<product>\\User\\settings.json, code-server under %LOCALAPPDATA%\\code-server\\Data', () => {
  const eds = byId(discoverEditors(win(WIN_ENV, [`${HOME}\\AppData\\Roaming\\Code`])));
  assert.equal(eds.code!.settingsPath, "C:\\Users\\Ann O'Brien\\AppData\\Roaming\\Code\\User\\settings.json");
  assert.equal(eds.code!.installed, true);
  assert.equal(eds['code-insiders']!.settingsPath, "C:\\Users\\Ann O'Brien\\AppData\\Roaming\\Code - Insiders\\User\\settings.json");
  assert.equal(eds.vscodium!.settingsPath, "C:\\Users\\Ann O'Brien\\AppData\\Roaming\\VSCodium\\User\\settings.json");
  assert.equal(eds.cursor!.settingsPath, "C:\\Users\\Ann O'Brien\\AppData\\Roaming\\Cursor\\User\\settings.json");
  assert.equal(eds.windsurf!.settingsPath, "C:\\Users\\Ann O'Brien\\AppData\\Roaming\\Windsurf\\User\\settings.json");
  assert.equal(eds['code-server']!.settingsPath, "C:\\Users\\Ann O'Brien\\AppData\\Local\\code-server\\Data\\User\\settings.json");
  assert.equal(eds['code-server']!.installed, false);
});

test('windows: variable names are case-insensitive even in a copied env object', () => {
  const eds = byId(discoverEditors(win({ AppData: 'D:\\Roaming', LocalAppData: 'D:\\Local', UserProfile: HOME })));
  assert.equal(eds.code!.settingsPath, 'D:\\Roaming\\Code\\User\\settings.json');
  assert.equal(eds['code-server']!.settingsPath, 'D:\\Local\\code-server\\Data\\User\\settings.json');
});

test('windows: without APPDATA/LOCALAPPDATA the profile folder layout is assumed', () => {
  const eds = byId(discoverEditors(win({ USERPROFILE: 'E:\\Profiles\\ann' })));
  assert.equal(eds.cursor!.settingsPath, 'E:\\Profiles\\ann\\AppData\\Roaming\\Cursor\\User\\settings.json');
  assert.equal(eds['code-server']!.settingsPath, 'E:\\Profiles\\ann\\AppData\\Local\\code-server\\Data\\User\\settings.json');
  const noProfile = byId(discoverEditors(win({})));
  assert.equal(noProfile.code!.settingsPath, "C:\\Users\\Ann O'Brien\\AppData\\Roaming\\Code\\User\\settings.json");
});

test('windows: a portable install named with --settings-file; duplicates differing in case are one file', () => {
  const c = { ...win(WIN_ENV, ['D:\\Apps\\VSCode\\data\\user-data\\User', `${HOME}\\AppData\\Roaming\\Code`]), cwd: 'D:\\Apps\\VSCode' };
  const portable = customSettingsTarget('data\\user-data\\User\\settings.json', c);
  assert.equal(portable.settingsPath, 'D:\\Apps\\VSCode\\data\\user-data\\User\\settings.json');
  assert.equal(portable.installed, true);
  const picked = selectTargets(discoverEditors(c), { editors: ['code'], settingsFiles: [`${HOME.toUpperCase()}\\APPDATA\\ROAMING\\CODE\\USER\\SETTINGS.JSON`] }, c);
  assert.equal(picked.length, 1);
});

test('windows: a cmd.exe header command and Windows paths survive the settings write byte for byte', async (t) => {
  const dir = tempDir(t, 'winpaths');
  const dataDir = `${WIN_ENV.LOCALAPPDATA}\\mtls-tray`;
  const headerScript = `${dataDir}\\bin\\coder-header-command.cmd`;
  const headerCommand = quoteCmdIfNeeded(headerScript);
  // What the extension runs: child_process.exec → cmd.exe /d /s /c "<value>". /s strips the
  // outer quotes, so cmd sees <value> itself: one quoted word, nothing special outside quotes.
  assert.equal(headerCommand, `"${headerScript}"`);
  assert.deepEqual(cmdFirstWord(headerCommand), { word: headerScript, rest: '' });
  assert.equal(quoteCmdIfNeeded('C:\\mtls\\bin\\h.cmd'), 'C:\\mtls\\bin\\h.cmd', 'no quotes when none are needed');
  assert.throws(() => quoteCmdIfNeeded('C:\\100%\\h.cmd'), /%/, 'cmd.exe expands %...% even inside quotes');

  const desired = {
    'coder.tlsCertFile': `${dataDir}\\active\\current\\client.crt`,
    'coder.tlsKeyFile': `${dataDir}\\active\\current\\client.key`,
    'coder.tlsCaFile': undefined,
    'coder.headerCommand': headerCommand,
    'coder.tlsCertRefreshCommand': quoteCmdIfNeeded(`${dataDir}\\bin\\coder-cert-refresh.cmd`),
  };
  mkdirSync(join(dir, 'User'));
  const file = join(dir, 'User', 'settings.json');
  writeFileSync(file, '{\r\n    "python.defaultInterpreterPath": "C:\\\\Python312\\\\python.exe"\r\n}\r\n');
  const res = await applySettingsFile(fileTarget(file), { desired, backupDir: join(dir, 'backups'), platform: 'win32' });
  assert.equal(res.wrote, true);
  const text = readFileSync(file, 'utf8');
  assert.deepEqual(parseErrors(text), []);
  assert.doesNotMatch(text, /[^\r]\n/, 'CRLF kept');
  assert.ok(text.includes(`"coder.headerCommand": "\\"C:\\\\Users\\\\Ann O'Brien\\\\AppData\\\\Local\\\\mtls-tray\\\\bin\\\\coder-header-command.cmd\\""`), text);
  const back = await readCoderSettings(file);
  assert.equal(back.values['coder.headerCommand'], headerCommand);
  assert.equal(back.values['coder.tlsKeyFile'], desired['coder.tlsKeyFile']);
  assert.equal(back.values['coder.tlsCaFile'], undefined);
});

test('windows: comparisons ignore case and slash direction, and expand ${env:VAR}, ~ and ${userHome}', () => {
  const pc = { platform: 'win32' as const, env: { LocalAppData: WIN_ENV.LOCALAPPDATA }, homedir: HOME };
  assert.equal(expandSettingPath('${env:LOCALAPPDATA}\\mtls-tray\\active\\current\\client.crt', pc), `${WIN_ENV.LOCALAPPDATA}\\mtls-tray\\active\\current\\client.crt`);
  assert.equal(expandSettingPath('~\\AppData\\Local\\x', pc), `${HOME}\\AppData\\Local\\x`);
  assert.equal(expandSettingPath('${userHome}/AppData/Local/x', pc), `${HOME}/AppData/Local/x`);
  assert.equal(expandSettingPath('${env:NOPE}\\x', pc), '\\x', 'an unset variable expands to nothing, as in the extension');
  assert.ok(samePath('c:/users/ann o\'brien/appdata/local/MTLS-TRAY/active/current/client.crt', `${WIN_ENV.LOCALAPPDATA}\\mtls-tray\\active\\current\\client.crt`, 'win32'));
  assert.ok(!samePath('/home/a/X.crt', '/home/a/x.crt', 'linux'));

  const ours = {
    'coder.tlsCertFile': `${WIN_ENV.LOCALAPPDATA}\\mtls-tray\\active\\current\\client.crt`,
    'coder.tlsKeyFile': `${WIN_ENV.LOCALAPPDATA}\\mtls-tray\\active\\current\\client.key`,
    'coder.tlsCaFile': undefined,
    'coder.headerCommand': '"C:\\x\\h.cmd"',
  };
  const handWritten = {
    'coder.tlsCertFile': '${env:LOCALAPPDATA}/mtls-tray/active/current/client.crt',
    'coder.tlsKeyFile': '~\\AppData\\Local\\mtls-tray\\active\\current\\CLIENT.KEY',
    'coder.tlsCaFile': '',
    'coder.headerCommand': '"C:\\x\\h.cmd"',
  };
  assert.deepEqual(coderSettingsMatch(handWritten, ours, pc), { configured: true, mismatched: [] });
  assert.deepEqual(coderSettingsMatch({ ...handWritten, 'coder.tlsCaFile': 'C:\\ca.pem', 'coder.headerCommand': 'C:\\x\\h.cmd' }, ours, pc), {
    configured: false,
    mismatched: ['coder.tlsCaFile', 'coder.headerCommand'],
  });
});

/** The first word of a cmd.exe command line and what follows it, refusing characters cmd would act on. */
function cmdFirstWord(line: string): { word: string; rest: string } {
  let i = 0;
  let word = '';
  let quoted = false;
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ' ') break;
    else if (!quoted && '&|<>^()%!'.includes(c)) throw new Error(`cmd.exe would interpret ${c} in ${line}`);
    else if (c === '%') throw new Error(`cmd.exe expands % even inside quotes: ${line}`);
    else word += c;
  }
  if (quoted) throw new Error(`unbalanced quote in ${line}`);
  return { word, rest: line.slice(i).trim() };
}
