/**
 * `npm start` (scripts/start.mjs) where no Electron binary can be had: one clear paragraph on
 * stderr, exit 1, no stack trace. And where a binary is given (a stand-in script here), it is
 * launched on the app with the arguments passed through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './fakes';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist/main.js'));

function start(env: Record<string, string>, args: string[] = []) {
  return spawnSync(process.execPath, [join(root, 'scripts/start.mjs'), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 20_000 });
}

function assertCleanFailure(r: ReturnType<typeof start>): void {
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^mtls-tray: /);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.doesNotMatch(r.stderr, /Error:/);
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one paragraph');
}

test('no Electron binary: a clear message and exit 1', { skip: built ? false : 'dist/main.js not built (npm run build)' }, () => {
  const empty = tempDir('mtls-noelectron-');
  const r = start({ ELECTRON_OVERRIDE_DIST_PATH: empty });
  assertCleanFailure(r);
  assert.match(r.stderr, /cannot start the app because/);
  assert.match(r.stderr, /node dist\/cli\.js/);
});

/**
 * The binary the electron package would run, found as scripts/start.mjs finds it without an
 * override (start() never passes one on): null when it was never downloaded or is missing.
 */
function installedElectronBinary(): string | null {
  const pkg = join(root, 'node_modules/electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const installed = installedElectronBinary();

test(
  'as on this machine: the electron package without its downloaded binary',
  { skip: !built ? 'dist/main.js not built (npm run build)' : installed ? `an Electron binary is installed (${installed}), so npm start would launch the app; the missing-binary case is covered above with an empty ELECTRON_OVERRIDE_DIST_PATH` : false },
  () => {
    const r = start({});
    assertCleanFailure(r);
    // The reason names what is missing: the package, its download, or the file it points at.
    assert.match(r.stderr, /cannot start the app because (the electron package is not installed|the Electron binary was never downloaded|the Electron binary is missing)/);
    assert.match(r.stderr, /node dist\/cli\.js/);
  },
);

test('with a binary: it runs `<electron> .` in the project with the arguments, and passes on the exit code', { skip: built ? false : 'dist/main.js not built (npm run build)' }, () => {
  const dir = tempDir('mtls-fakeelectron-');
  const log = join(dir, 'args.txt');
  const bin = join(dir, process.platform === 'win32' ? 'electron.exe' : 'electron');
  writeFileSync(bin, `#!/bin/sh\nprintf '%s\\n' "$PWD" "$@" > '${log}'\nexit 3\n`);
  chmodSync(bin, 0o755);
  const r = start({ ELECTRON_OVERRIDE_DIST_PATH: dir }, ['--hidden']);
  assert.equal(r.status, 3, r.stderr);
  assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [root.replace(/\/$/, ''), '.', '--hidden']);
});
