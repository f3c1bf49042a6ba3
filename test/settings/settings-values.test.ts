import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { Layout, resolveScriptLocation } from '../../main/store';
import { proxyCommandHeaderArg, quoteCmdIfNeeded, quotePosix, quotePosixIfNeeded } from '../../main/base/shell-quote';
import { settingsValues } from '../../main/settings/settings-values';
import { isUserErr } from '../store/helpers';

const posixLayout = (data: string) => new Layout(data, 'linux', `${data}/bin`).stablePaths();

test('settings point at the stable paths; CA and alt host only when the profile has them', () => {
  const paths = posixLayout('/home/ann/.local/share/mtls-tray');
  const { values, notices } = settingsValues({ paths, platform: 'linux', hasCa: false, hasHeaders: true });
  assert.deepEqual(values, {
    'coder.tlsCertFile': '/home/ann/.local/share/mtls-tray/active/current/client.crt',
    'coder.tlsKeyFile': '/home/ann/.local/share/mtls-tray/active/current/client.key',
    'coder.tlsCaFile': undefined,
    'coder.tlsAltHost': undefined,
    'coder.headerCommand': '/home/ann/.local/share/mtls-tray/bin/coder-header-command',
    'coder.tlsCertRefreshCommand': '/home/ann/.local/share/mtls-tray/bin/coder-cert-refresh',
  });
  assert.deepEqual(notices, []);
  const withCa = settingsValues({ paths, platform: 'linux', hasCa: true, hasHeaders: true, altHost: ' coder.internal ' }).values;
  assert.equal(withCa['coder.tlsCaFile'], '/home/ann/.local/share/mtls-tray/active/current/ca.crt');
  assert.equal(withCa['coder.tlsAltHost'], 'coder.internal');
  assert.equal(settingsValues({ paths, platform: 'linux', hasCa: true, hasHeaders: true, altHost: '' }).values['coder.tlsAltHost'], undefined);
});

test('coder.headerCommand only while the profile has headers: no process per request for nothing (DESIGN §3)', () => {
  const paths = posixLayout('/home/ann/.local/share/mtls-tray');
  const without = settingsValues({ paths, platform: 'linux', hasCa: false, hasHeaders: false }).values;
  assert.ok('coder.headerCommand' in without, 'the key is listed, so an apply removes a value set before');
  assert.equal(without['coder.headerCommand'], undefined);
  assert.equal(without['coder.tlsCertRefreshCommand'], '/home/ann/.local/share/mtls-tray/bin/coder-cert-refresh');
});

test('commands with spaces, quotes and non-ASCII are single-quoted so sh -c runs exactly that path', () => {
  const data = "/home/Jöhn O'Neil/my data/mtls-tray";
  const { values } = settingsValues({ paths: posixLayout(data), platform: 'darwin', hasCa: false, hasHeaders: true });
  // No backslash in the value: OpenSSH's config parser would misread it inside the ProxyCommand (scripts.test.ts).
  assert.equal(values['coder.headerCommand'], `'/home/Jöhn O'"'"'Neil/my data/mtls-tray/bin/coder-header-command'`);
  assert.equal(values['coder.tlsCertFile'], `${data}/active/current/client.crt`, 'file paths are not quoted: the extension reads them, no shell');
  // What sh makes of it: exactly one word, the path.
  for (const s of [data, 'a b', "it's", '$HOME', '`id`', 'x;y', 'a"b', '~', 'a=b', 'tab\there', 'back\\slash', '!bang', '*?[]', '']) {
    const word = execFileSync('/bin/sh', ['-c', `printf '%s' ${quotePosixIfNeeded(s)}`], { encoding: 'utf8' });
    assert.equal(word, s, `sh round trip of ${JSON.stringify(s)}`);
    const bashWord = execFileSync('/bin/bash', ['-c', `printf '%s' ${quotePosix(s)}`], { encoding: 'utf8' });
    assert.equal(bashWord, s);
  }
  assert.equal(quotePosixIfNeeded('/plain/path-1.2_x'), '/plain/path-1.2_x');
  // The ProxyCommand nesting: the extension's --header-command '<value>' gives the value back as one argument.
  const value = values['coder.headerCommand']!;
  const arg = execFileSync('/bin/bash', ['-c', `printf '%s' ${proxyCommandHeaderArg(value)}`], { encoding: 'utf8' });
  assert.equal(arg, value);
});

test('win32: paths with backslashes, cmd.exe quoting when needed, never %', () => {
  const data = 'C:\\Users\\Ann Lee\\AppData\\Local\\mtls-tray';
  const paths = new Layout(data, 'win32', `${data}\\bin`).stablePaths();
  const { values } = settingsValues({ paths, platform: 'win32', hasCa: true, hasHeaders: true });
  assert.equal(values['coder.tlsCertFile'], 'C:\\Users\\Ann Lee\\AppData\\Local\\mtls-tray\\active\\current\\client.crt');
  assert.equal(values['coder.tlsCaFile'], 'C:\\Users\\Ann Lee\\AppData\\Local\\mtls-tray\\active\\current\\ca.crt');
  assert.equal(values['coder.headerCommand'], '"C:\\Users\\Ann Lee\\AppData\\Local\\mtls-tray\\bin\\coder-header-command.cmd"');
  assert.equal(values['coder.tlsCertRefreshCommand'], '"C:\\Users\\Ann Lee\\AppData\\Local\\mtls-tray\\bin\\coder-cert-refresh.cmd"');
  assert.equal(quoteCmdIfNeeded('C:\\tools\\x.cmd'), 'C:\\tools\\x.cmd');
  assert.equal(quoteCmdIfNeeded('C:\\a&b (x)\\x.cmd'), '"C:\\a&b (x)\\x.cmd"');
  assert.throws(() => quoteCmdIfNeeded('C:\\100%\\x.cmd'), /%/);
});

test('a data dir with % gets its scripts elsewhere, with a notice; settings carry it', () => {
  const plain = resolveScriptLocation({ dataDir: '/home/ann/d', env: {}, platform: 'linux', homedir: '/home/ann' });
  assert.deepEqual(plain, { dir: '/home/ann/d/bin', relocated: false });

  const linux = resolveScriptLocation({ dataDir: '/home/ann/50%off', env: { XDG_STATE_HOME: '/state' }, platform: 'linux', homedir: '/home/ann' });
  assert.equal(linux.relocated, true);
  assert.match(linux.dir, /^\/state\/mtls-tray\/bin-[0-9a-f]{12}$/);
  assert.match(linux.notice!, /contains "%".*OpenSSH.*\/state\/mtls-tray\/bin-/);
  // Two data dirs never share a script dir.
  assert.notEqual(resolveScriptLocation({ dataDir: '/home/ann/60%off', env: { XDG_STATE_HOME: '/state' }, platform: 'linux', homedir: '/home/ann' }).dir, linux.dir);
  assert.match(resolveScriptLocation({ dataDir: '/x/%d', env: {}, platform: 'linux', homedir: '/home/ann' }).dir, /^\/home\/ann\/\.local\/state\/mtls-tray\/bin-/);
  assert.match(resolveScriptLocation({ dataDir: '/x/%d', env: {}, platform: 'darwin', homedir: '/Users/ann' }).dir, /^\/Users\/ann\/Library\/Application Support\/mtls-tray\/bin-/);
  const win = resolveScriptLocation({ dataDir: 'D:\\100%\\creds', env: { LOCALAPPDATA: 'C:\\Users\\Ann\\AppData\\Local' }, platform: 'win32', homedir: 'C:\\Users\\Ann' });
  assert.match(win.dir, /^C:\\Users\\Ann\\AppData\\Local\\mtls-tray\\bin-[0-9a-f]{12}$/);
  assert.throws(() => resolveScriptLocation({ dataDir: '/h/%a/d', env: {}, platform: 'linux', homedir: '/h/%a' }), isUserErr('DATA_DIR_PERCENT', /"%"/));
  // A backslash or a line break in a POSIX path moves the scripts too.
  const bs = resolveScriptLocation({ dataDir: '/home/ann/back\\slash', env: {}, platform: 'linux', homedir: '/home/ann' });
  assert.equal(bs.relocated, true);
  assert.match(bs.notice!, /a backslash/);
  assert.equal(resolveScriptLocation({ dataDir: '/home/ann/two\nlines', env: {}, platform: 'darwin', homedir: '/Users/ann' }).relocated, true);
  assert.equal(resolveScriptLocation({ dataDir: 'C:\\Users\\Ann\\mtls-tray', env: {}, platform: 'win32', homedir: 'C:\\Users\\Ann' }).relocated, false);

  const data = '/home/ann/50%off';
  const paths = new Layout(data, 'linux', linux.dir).stablePaths();
  const sv = settingsValues({ paths, platform: 'linux', hasCa: false, hasHeaders: true, scriptNotice: linux.notice });
  assert.equal(sv.values['coder.headerCommand'], `${linux.dir}/coder-header-command`);
  assert.ok(!sv.values['coder.headerCommand']!.includes('%'));
  assert.equal(sv.values['coder.tlsCertFile'], '/home/ann/50%off/active/current/client.crt', 'file paths may keep %: no ProxyCommand sees them');
  assert.deepEqual(sv.notices, [linux.notice]);
});

test('a path the extension would expand as a variable is flagged', () => {
  const sv = settingsValues({ paths: posixLayout('/home/ann/${userHome}/d'), platform: 'linux', hasCa: false, hasHeaders: true });
  assert.equal(sv.notices.length, 2);
  assert.match(sv.notices[0]!, /would expand/);
});
