// `npm start` (after `npm run build`): runs the app in development with the Electron binary
// from node_modules. The electron package downloads its binary lazily on first use; where that
// cannot happen (no network to its download host, as on our build machines) `require('electron')`
// throws or the file is missing. Then we print one clear paragraph and exit 1, never a stack.
// ELECTRON_OVERRIDE_DIST_PATH (honoured by the electron package) points at a binary you have.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** The binary path without triggering the electron package's download (which would print and throw). */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, why: 'the electron package is not installed (run npm ci)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel || (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(p) ? { path: p } : { path: null, why: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${p} does not exist` };
  }
  if (rel === null) return { path: null, why: 'the Electron binary was never downloaded (its download host was unreachable when npm installed the electron package)' };
  const p = join(pkgDir, 'dist', rel);
  return existsSync(p) ? { path: p } : { path: null, why: `the Electron binary is missing (${p})` };
}

const main = join(root, 'dist', 'main.js');
if (!existsSync(main)) {
  console.error('mtls-tray: dist/main.js is missing; run `npm run build` first (npm start does this for you).');
  process.exit(1);
}

const bin = electronBinary();
if (bin.path === null) {
  console.error(
    `mtls-tray: cannot start the app because ${bin.why}. ` +
      'Install it with `npx install-electron` on a machine that can reach GitHub (or set ELECTRON_MIRROR to a mirror), ' +
      'or point ELECTRON_OVERRIDE_DIST_PATH at the directory of an Electron 45 binary. ' +
      'Everything else works without it: the CLI runs on plain Node as `node dist/cli.js --help`.',
  );
  process.exit(1);
}

// `electron .` loads package.json's main (dist/main.js), so the app gets its name and version.
const child = spawn(bin.path, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
child.on('error', (err) => {
  console.error(`mtls-tray: could not run ${bin.path}: ${err.message}`);
  process.exit(1);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
