// The browser finder the renderer tests and bench use: an explicit CHROMIUM_PATH wins, files
// that are not executable are passed over, and no browser means a skip reason, not a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumSkipReason, findChromium } from '../helpers/find-chromium';

test('CHROMIUM_PATH wins when executable; a non-executable file is passed over', { skip: process.platform === 'win32' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'find-chromium-'));
  try {
    const exe = join(dir, 'my-chrome');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    assert.equal(findChromium({ CHROMIUM_PATH: exe, PATH: '' }, 'linux'), exe);
    const plain = join(dir, 'not-executable');
    writeFileSync(plain, '');
    chmodSync(plain, 0o644);
    assert.notEqual(findChromium({ CHROMIUM_PATH: plain, PATH: '' }, 'linux'), plain);
    // A PATH entry is searched for the usual Linux names.
    const named = join(dir, 'chromium-browser');
    writeFileSync(named, '#!/bin/sh\n');
    chmodSync(named, 0o755);
    const found = findChromium({ PATH: dir }, 'linux');
    assert.ok(found === named || found?.startsWith('/usr/bin/') || found?.startsWith('/snap/'), String(found));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no browser: null and a reason that says what to install', () => {
  // macOS and Windows locations do not exist on this machine (and on those, HOME/PROGRAMFILES are empty here).
  assert.equal(findChromium({}, process.platform === 'darwin' ? 'win32' : 'darwin'), null);
  const reason = chromiumSkipReason({}, process.platform === 'darwin' ? 'win32' : 'darwin');
  assert.equal(typeof reason, 'string');
  assert.match(String(reason), /CHROMIUM_PATH/);
});
