// Bundles the four programs with esbuild:
//   dist/cli.js      the headless CLI (plain Node; must never contain `electron`)
//   dist/main.js     Electron's main process (composition root)
//   dist/preload.js  one CommonJS file for the sandboxed preload
//   dist/renderer/   the window's UI (static files)
// Entries whose source does not exist yet are skipped, so the build works while the tree grows.
import { build } from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync, chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cliBundleOptions, common } from './cli-bundle.mjs';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const jobs = [];
function entry(src, opts) {
  if (!existsSync(join(root, src))) return;
  jobs.push(build({ ...common, entryPoints: [join(root, src)], ...opts }));
}

if (existsSync(join(root, 'main/cli/bin.ts'))) {
  jobs.push(build(cliBundleOptions({ entry: join(root, 'main/cli/bin.ts'), outfile: join(dist, 'cli-main.js') })));
}
entry('main/app/main.ts', { outfile: join(dist, 'main.js'), external: ['electron'], target: 'node22' });
// The app reads PKCS#12 files on a worker thread (main/services/pkcs12-off-thread.ts).
entry('main/services/pkcs12-worker.ts', { outfile: join(dist, 'pkcs12-worker.js'), target: 'node22', platform: 'node' });
entry('preload/preload.ts', { outfile: join(dist, 'preload.js'), external: ['electron'], target: 'chrome140', platform: 'node' });
entry('renderer/index.ts', {
  outfile: join(dist, 'renderer', 'index.js'),
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  minify: true,
  sourcemap: false,
});

await Promise.all(jobs);

// Static renderer assets and tray icons travel as they are.
for (const dir of ['renderer', 'assets']) {
  const src = join(root, dir);
  if (!existsSync(src)) continue;
  for (const name of readdirSync(src)) {
    if (/\.(html|css|png|ico|svg)$/.test(name)) {
      const outDir = join(dist, dir);
      mkdirSync(outDir, { recursive: true });
      copyFileSync(join(src, name), join(outDir, name));
    }
  }
}
// dist/cli.js starts the bundle through V8's code cache (see scripts/cli-launcher.cjs).
if (existsSync(join(dist, 'cli-main.js'))) {
  copyFileSync(join(root, 'scripts', 'cli-launcher.cjs'), join(dist, 'cli.js'));
  chmodSync(join(dist, 'cli.js'), 0o755);
}
