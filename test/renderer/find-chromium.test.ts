// tier: unit
// The browser finder the renderer tests and bench use: an explicit CHROMIUM_PATH wins, then
// Playwright's variable, then the platform's usual places, then PATH; files that are not
// executable are passed over, and no browser means a skip reason, not a crash. The searches
// run over an injected set of executables, so this machine's /usr/bin cannot answer for them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumSkipReason, findChromium, isExecutable, type ExecutableCheck } from '../helpers/find-chromium';

/** Only these paths exist and are executable; every lookup is recorded. */
function disk(...executables: string[]): ExecutableCheck & { asked: string[] } {
  const asked: string[] = [];
  const check = (path: string) => {
    asked.push(path);
    return executables.includes(path);
  };
  return Object.assign(check, { asked });
}

test('CHROMIUM_PATH wins, then PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, then the usual places, then PATH', () => {
  const all = disk('/opt/my/chrome', '/opt/pw/chromium', '/usr/bin/chromium', '/home/u/bin/chromium');
  const env = { CHROMIUM_PATH: '/opt/my/chrome', PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH: '/opt/pw/chromium', PATH: '/home/u/bin' };
  assert.equal(findChromium(env, 'linux', all), '/opt/my/chrome');
  assert.equal(findChromium({ ...env, CHROMIUM_PATH: '' }, 'linux', all), '/opt/pw/chromium');
  assert.equal(findChromium({ PATH: '/home/u/bin' }, 'linux', all), '/usr/bin/chromium', "Debian's chromium");
  // A CHROMIUM_PATH that is not there is passed over.
  assert.equal(findChromium({ CHROMIUM_PATH: '/nowhere/chrome', PATH: '/home/u/bin' }, 'linux', disk('/home/u/bin/chromium')), '/home/u/bin/chromium');
});

test('PATH is searched in order for chromium, chromium-browser, google-chrome and chrome', () => {
  assert.equal(findChromium({ PATH: '/a:/b' }, 'linux', disk('/b/chromium-browser')), '/b/chromium-browser');
  assert.equal(findChromium({ PATH: '/a:/b' }, 'linux', disk('/b/chromium', '/a/google-chrome')), '/a/google-chrome', 'an earlier PATH entry wins');
  assert.equal(findChromium({ PATH: '/a' }, 'linux', disk('/a/chrome')), '/a/chrome');
  assert.equal(findChromium({ PATH: '/a' }, 'linux', disk('/a/firefox')), null);
  assert.equal(findChromium({ PATH: '' }, 'linux', disk('/a/chromium')), null, 'an empty PATH searches nothing');
});

test('macOS and Windows: the standard install locations, and the Windows PATH with .exe names', () => {
  assert.equal(findChromium({}, 'darwin', disk('/Applications/Chromium.app/Contents/MacOS/Chromium')), '/Applications/Chromium.app/Contents/MacOS/Chromium');
  const userChrome = '/Users/u/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
  assert.equal(findChromium({ HOME: '/Users/u' }, 'darwin', disk(userChrome)), userChrome);
  assert.equal(findChromium({}, 'darwin', disk('/usr/bin/chromium')), null, 'Linux places are not macOS places');
  const chrome = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
  assert.equal(findChromium({ PROGRAMFILES: 'C:\\Program Files' }, 'win32', disk(chrome)), chrome);
  const local = 'C:\\Users\\u\\AppData\\Local\\Chromium\\Application\\chrome.exe';
  assert.equal(findChromium({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', disk(local)), local);
  assert.equal(findChromium({ Path: 'C:\\tools;D:\\bin' }, 'win32', disk('D:\\bin\\chrome.exe')), 'D:\\bin\\chrome.exe');
});

test('no browser: null and a reason that says what to install', () => {
  const none = disk();
  assert.equal(findChromium({ PATH: '/usr/bin:/bin' }, 'linux', none), null);
  assert.ok(none.asked.includes('/usr/bin/chromium'), "Debian's chromium was looked for");
  const reason = chromiumSkipReason({ PATH: '/usr/bin' }, 'linux', none);
  assert.equal(typeof reason, 'string');
  assert.match(String(reason), /CHROMIUM_PATH/);
  assert.equal(chromiumSkipReason({}, 'linux', disk('/usr/bin/chromium')), false);
});

test('the disk check: an executable file counts, a plain file or a missing one does not', { skip: process.platform === 'win32' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'find-chromium-'));
  try {
    const exe = join(dir, 'chromium');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    const plain = join(dir, 'chromium-browser');
    writeFileSync(plain, '');
    chmodSync(plain, 0o644);
    assert.equal(isExecutable(exe, 'linux'), true);
    assert.equal(isExecutable(plain, 'linux'), false);
    assert.equal(isExecutable(join(dir, 'missing'), 'linux'), false);
    // With the real disk check, CHROMIUM_PATH pointing at a plain file is passed over.
    assert.notEqual(findChromium({ CHROMIUM_PATH: plain, PATH: '' }, 'linux'), plain);
    assert.equal(findChromium({ CHROMIUM_PATH: exe, PATH: '' }, 'linux'), exe);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
