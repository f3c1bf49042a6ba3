// tier: integration
/**
 * Who loads `electron` at runtime. The CLI and every module outside main/app/ must never do so
 * (they run on plain Node, where require('electron') tries to download a binary and throws);
 * inside main/app/ only the composition root and the electron-store adapter may, so everything
 * else there is testable with fakes. Checked by bundling with esbuild, as the build does:
 * type-only imports vanish, anything else (including through node_modules, e.g. electron-store)
 * shows up as a resolution of `electron`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ALLOWED_IN_APP = new Set(['main/app/main.ts', 'main/app/store-preferences.ts']);

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (/\.ts$/.test(name) && !/\.d\.ts$/.test(name)) out.push(relative(root, p));
  }
  return out;
}

/** For each entry, the chain of modules through which it reaches `electron` (empty when it does not). */
async function electronImporters(entries: string[]): Promise<{ importers: string[]; errors: string[] }> {
  const importers: string[] = [];
  const spy: Plugin = {
    name: 'electron-spy',
    setup(b) {
      b.onResolve({ filter: /^electron(\/.*)?$/ }, (a) => {
        importers.push(relative(root, a.importer));
        return { path: a.path, external: true };
      });
    },
  };
  try {
    await build({
      absWorkingDir: root,
      entryPoints: entries,
      bundle: true,
      write: false,
      outdir: join(root, '.electron-imports-check'),
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      plugins: [spy],
    });
    return { importers: [...new Set(importers)], errors: [] };
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string; location?: { file: string } | null }> }).errors ?? [];
    return { importers, errors: errors.map((e) => `${e.location?.file ?? ''}: ${e.text}`) };
  }
}

test('nothing reachable from the CLI entry points imports electron', async () => {
  const entries = ['main/cli/cli.ts', 'main/cli/bin.ts'].filter((e) => existsSync(join(root, e)));
  assert.ok(entries.length > 0, 'the CLI entry exists');
  const { importers, errors } = await electronImporters(entries);
  assert.deepEqual(errors, [], 'the CLI graph bundles');
  assert.deepEqual(importers, []);
});

test('no module under main/ outside main/app imports electron, directly or through a package', async () => {
  const entries = tsFiles(join(root, 'main')).filter((f) => !f.startsWith('main/app/'));
  const { importers, errors } = await electronImporters(entries);
  assert.deepEqual(errors, []);
  assert.deepEqual(importers, []);
});

test('inside main/app only the composition root and the electron-store adapter load electron; the rest use types only', async () => {
  const app = tsFiles(join(root, 'main/app'));
  const { importers, errors } = await electronImporters(app);
  assert.deepEqual(errors, []);
  const offenders = importers.filter((f) => !ALLOWED_IN_APP.has(f) && !f.startsWith('node_modules/electron-store/'));
  assert.deepEqual(offenders, []);
  // and those two really are the ones (so this test would see a new one)
  assert.ok(importers.includes('main/app/main.ts'));
  assert.ok(importers.some((f) => f.startsWith('node_modules/electron-store/')));
});

test('the guard works: a module that imports electron is caught, also through electron-store', async () => {
  const { importers } = await electronImporters(['main/app/store-preferences.ts']);
  assert.deepEqual(importers.filter((f) => f.startsWith('node_modules/')).length, 1);
});
