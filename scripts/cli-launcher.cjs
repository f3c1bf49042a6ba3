#!/usr/bin/env node
'use strict';
// dist/cli.js: starts the bundled CLI (dist/cli-main.js) through V8's code cache.
// Compiling the 1.7 MB bundle is most of a cold start, and the editor runs
// `mtls-tray refresh` and scripts run `status --json` often, so the compiled code is kept in
// the user's private cache directory (never a shared temp dir: cached bytecode is code) and
// reused while the bundle and the Node version stay the same. Any problem with the cache
// just means a normal compile.
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const os = require('os');

const bundle = path.join(__dirname, 'cli-main.js');

function cacheDir() {
  const env = process.env;
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA || os.tmpdir(), 'mtls-tray', 'cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'mtls-tray');
  return path.join(env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache'), 'mtls-tray');
}

// One cache per command: V8 caches the functions a run compiled, and `status` and `init`
// run different code, so a cache made by one would leave the other compiling lazily.
function commandName(argv) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data-dir') i++;
    else if (!argv[i].startsWith('-')) return argv[i].replace(/[^a-z-]/g, '').slice(0, 20) || 'other';
  }
  return 'none';
}

const source = fs.readFileSync(bundle, 'utf8');
const stat = fs.statSync(bundle);
const dir = cacheDir();
const stamp = `${process.version}-${process.arch}-${stat.size}-${Math.floor(stat.mtimeMs)}`;
const file = path.join(dir, `cli-${stamp}-${commandName(process.argv.slice(2))}.v8`);
let cachedData;
try {
  const st = fs.statSync(file);
  // Only a cache file we own and nobody else can write.
  if ((typeof process.getuid !== 'function' || st.uid === process.getuid()) && (st.mode & 0o022) === 0) cachedData = fs.readFileSync(file);
} catch {
  cachedData = undefined;
}

const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
const needsCache = cachedData === undefined || script.cachedDataRejected === true;
if (needsCache) {
  // Written at exit, so functions compiled during the run are in the cache too.
  process.once('exit', () => {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, file);
      // Caches of other bundles or Node versions are dead weight.
      for (const old of fs.readdirSync(dir)) if (old.startsWith('cli-') && old.endsWith('.v8') && !old.startsWith(`cli-${stamp}-`)) fs.rmSync(path.join(dir, old), { force: true });
    } catch {
      /* no cache this time */
    }
  });
}

const mod = new Module(bundle, module);
mod.filename = bundle;
mod.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, __dirname);
