// The layers of DESIGN.md §6, read from the sources themselves: every import between folders of
// main/ must be an edge of the table below, so no import runs upward and no two folders import
// each other. Type-only imports count too: a type is a dependency of the design, even when the
// bundle drops it. Also: electron only in main/app and preload, and the renderer sees main/ only
// through the IPC contract and the renderer-safe base modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'main');

/**
 * Lowest first. A folder may import exactly the folders listed for it; the table is checked to
 * be acyclic below, so it is a strict order and keeping to it keeps the graph free of cycles.
 */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  base: [],
  credentials: ['base'],
  store: ['base', 'credentials'],
  profiles: ['base', 'credentials', 'store'],
  settings: ['base', 'store'],
  // settings: the doctor words a drifted editor key with the settings layer's pure drift module (issue 17).
  doctor: ['base', 'credentials', 'settings'],
  services: ['base', 'credentials', 'store', 'profiles', 'settings', 'doctor'],
  cli: ['base', 'services', 'profiles', 'doctor', 'settings', 'credentials'],
  ipc: ['base', 'services'],
  tray: ['base', 'services'],
  scheduler: ['base', 'services', 'profiles'],
  // The drift watch (issue 17): file-system events in, service calls and notices out. A front
  // end beside tray and scheduler (it drives the AppService), below app, which gives it
  // Electron's notifier; not the scheduler's, which plans renewals by time.
  watch: ['base', 'services'],
  app: ['base', 'services', 'cli', 'ipc', 'tray', 'scheduler', 'watch', 'store', 'settings'],
  types: [],
};

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier a file names: static imports and re-exports, `import type`, `import()`, `require()`. */
function specifiers(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

const folderOf = (absPath: string): string => relative(MAIN, absPath).split(sep)[0]!;

export interface Edge {
  from: string;
  to: string;
  file: string;
  spec: string;
}

export function folderEdges(files: readonly string[] = sources(MAIN)): Edge[] {
  const edges: Edge[] = [];
  for (const file of files) {
    for (const spec of specifiers(file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      const from = folderOf(file);
      // `../settings` (a folder's index) belongs to that folder.
      const to = relative(MAIN, target).includes(sep) ? folderOf(target) : relative(MAIN, target);
      if (from !== to) edges.push({ from, to, file: relative(ROOT, file), spec });
    }
  }
  return edges;
}

export function layerViolations(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => !(ALLOWED[e.from] ?? []).includes(e.to))
    .map((e) => `${e.file} imports ${e.spec}: ${e.from} -> ${e.to} is not an allowed edge (${e.from} may import: ${(ALLOWED[e.from] ?? []).join(', ') || 'nothing'})`);
}

test('the table of allowed edges is acyclic and names every folder of main/', () => {
  const folders = readdirSync(MAIN).filter((n) => statSync(join(MAIN, n)).isDirectory()).sort();
  assert.deepEqual(folders, Object.keys(ALLOWED).sort(), 'a new folder needs its row in the table');
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (f: string, path: string[]): void => {
    if (state.get(f) === 'done') return;
    assert.notEqual(state.get(f), 'visiting', `cycle in the table: ${[...path, f].join(' -> ')}`);
    state.set(f, 'visiting');
    for (const t of ALLOWED[f] ?? []) visit(t, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of folders) visit(f, []);
  assert.equal(existsNoFilesAtRoot(), true, 'product modules live in a folder (main/base for the shared words)');
});

function existsNoFilesAtRoot(): boolean {
  return readdirSync(MAIN).every((n) => statSync(join(MAIN, n)).isDirectory());
}

test('no import between folders of main/ runs upward or sideways', () => {
  const edges = folderEdges();
  assert.ok(edges.length > 50, 'the scan sees the imports');
  assert.deepEqual(layerViolations(edges), []);
});

test('the check sees an upward import', () => {
  // A store module reaching up into settings, as settings-values.ts once did.
  const edges = folderEdges([join(MAIN, 'store', 'store.ts')]);
  const planted: Edge = { from: 'store', to: 'settings', file: 'main/store/store.ts', spec: '../settings/owned-keys' };
  assert.equal(layerViolations(edges).length, 0);
  assert.match(layerViolations([...edges, planted])[0]!, /store -> settings is not an allowed edge/);
});

test('electron is imported only by main/app and the preload', () => {
  const offenders = [...sources(MAIN), ...sources(join(ROOT, 'renderer'))]
    .filter((f) => !relative(ROOT, f).startsWith(join('main', 'app') + sep))
    .filter((f) => specifiers(f).some((s) => s === 'electron' || s.startsWith('electron/')))
    .map((f) => relative(ROOT, f));
  assert.deepEqual(offenders, []);
});

test('the renderer reaches into main/ only for the IPC contract and the renderer-safe base words', () => {
  const allowed = new Set(['main/ipc/contract.ts', 'main/base/vocabulary.ts', 'main/base/time-left.ts']);
  const seen: string[] = [];
  for (const file of sources(join(ROOT, 'renderer'))) {
    for (const spec of specifiers(file)) {
      if (!spec.startsWith('.')) {
        seen.push(`${relative(ROOT, file)} imports the package ${spec}`);
        continue;
      }
      const target = relative(ROOT, resolve(dirname(file), spec)).split(sep).join('/');
      if (target.startsWith('renderer/')) continue;
      if (!allowed.has(`${target}.ts`)) seen.push(`${relative(ROOT, file)} imports ${target}`);
    }
  }
  assert.deepEqual(seen, []);
});

test('the renderer-safe base modules import nothing', () => {
  for (const f of ['vocabulary.ts', 'time-left.ts']) assert.deepEqual(specifiers(join(MAIN, 'base', f)), [], f);
});

test('each shared word is defined once, in main/base/vocabulary.ts', async () => {
  const vocab = await import('../../main/base/vocabulary');
  // The spellings a second definition would have: a pattern's source, or a list written out.
  const spellings = [
    vocab.PROFILE_ID_PATTERN.source,
    vocab.HTTP_TOKEN_PATTERN.source,
    '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?',
    vocab.KEY_ALGORITHMS.map((a) => `'${a}'`).join(', '),
    vocab.KEY_ALGORITHMS.map((a) => `'${a}'`).join(' | '),
    vocab.EDITOR_IDS.map((a) => `'${a}'`).join(', '),
    vocab.EDITOR_IDS.map((a) => `'${a}'`).join(' | '),
    vocab.IDENTITY_SOURCES.map((a) => `'${a}'`).join(', '),
    vocab.IDENTITY_SOURCES.map((a) => `'${a}'`).join(' | '),
    vocab.WARNING_CODES.slice(0, 3).map((a) => `'${a}'`).join(', '),
    vocab.WARNING_CODES.slice(0, 3).map((a) => `'${a}'`).join(' | '),
  ];
  const files = [...sources(MAIN), ...sources(join(ROOT, 'renderer')), ...sources(join(ROOT, 'preload'))].filter((f) => !f.endsWith(join('base', 'vocabulary.ts')));
  const twice: string[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8').replace(/\s+/g, ' ');
    for (const s of spellings) if (text.includes(s)) twice.push(`${relative(ROOT, f)} spells out ${s}`);
  }
  assert.deepEqual(twice, []);
});
