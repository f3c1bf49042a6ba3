import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveDataDir } from '../../main/store';
import { isUserErr } from './helpers';

test('default data dir per platform (DESIGN.md §2)', () => {
  assert.equal(resolveDataDir({ env: {}, platform: 'linux', homedir: '/home/ann' }), '/home/ann/.local/share/mtls-tray');
  assert.equal(resolveDataDir({ env: { XDG_DATA_HOME: '/data/ann' }, platform: 'linux', homedir: '/home/ann' }), '/data/ann/mtls-tray');
  // A relative XDG_DATA_HOME is invalid per the XDG spec and ignored.
  assert.equal(resolveDataDir({ env: { XDG_DATA_HOME: 'rel/dir' }, platform: 'linux', homedir: '/home/ann' }), '/home/ann/.local/share/mtls-tray');
  assert.equal(resolveDataDir({ env: { XDG_DATA_HOME: '/x' }, platform: 'darwin', homedir: '/Users/ann' }), '/Users/ann/Library/Application Support/mtls-tray');
  assert.equal(resolveDataDir({ env: { LOCALAPPDATA: 'C:\\Users\\Ann\\AppData\\Local' }, platform: 'win32', homedir: 'C:\\Users\\Ann' }), 'C:\\Users\\Ann\\AppData\\Local\\mtls-tray');
  assert.equal(resolveDataDir({ env: {}, platform: 'win32', homedir: 'C:\\Users\\Ann' }), 'C:\\Users\\Ann\\AppData\\Local\\mtls-tray');
});

test('--data-dir beats MTLS_TRAY_HOME beats the default; relative paths and ~ resolve', () => {
  const env = { MTLS_TRAY_HOME: "/srv/it's mine", XDG_DATA_HOME: '/data' };
  assert.equal(resolveDataDir({ env, platform: 'linux', homedir: '/home/ann' }), "/srv/it's mine");
  assert.equal(resolveDataDir({ env, platform: 'linux', homedir: '/home/ann', override: '/opt/d' }), '/opt/d');
  assert.equal(resolveDataDir({ env: {}, platform: 'linux', homedir: '/home/ann', override: 'rel', cwd: '/work' }), '/work/rel');
  assert.equal(resolveDataDir({ env: { MTLS_TRAY_HOME: '~/d' }, platform: 'linux', homedir: '/home/ann' }), '/home/ann/d');
  assert.equal(resolveDataDir({ env: { MTLS_TRAY_HOME: '  ' }, platform: 'linux', homedir: '/home/ann' }), '/home/ann/.local/share/mtls-tray');
  assert.equal(resolveDataDir({ env: {}, platform: 'win32', homedir: 'C:\\Users\\Ann', override: 'D:\\creds' }), 'D:\\creds');
  assert.throws(() => resolveDataDir({ env: {}, platform: 'linux', homedir: '/h', override: '' }), isUserErr('DATA_DIR_EMPTY', /--data-dir/));
});
