// Runs the tests in three tiers:
//
//   unit         pure code and fakes: no child processes, no network peers, no browser.
//                Fast; the inner loop (`npm run test:unit`). Node's test runner, tsx.
//   integration  real peers: openssl, curl, nginx, CLI processes, crash and concurrency
//                loops. Node's test runner, tsx, two files at a time.
//   window       @playwright/test (playwright.config.ts): the window in Chromium against the
//                real IPC handlers (test/window/*.spec.ts), and the Electron smoke test
//                (test/electron), which skips with its reason where no Electron binary exists.
//
// The tier of a file: its first line, when that is `// tier: integration` or `// tier: unit`;
// otherwise its folder under test/ (INTEGRATION_FOLDERS below, whose files drive real peers);
// otherwise unit. So a new file is a unit test unless its folder or its marker says otherwise,
// and the runner warns when a unit file is slow, so the unit tier stays fast.
//
//   node scripts/test.mjs [--tier unit|integration|window|all] [files or dirs...]
//
// Default: --tier all over test/. With --tier all the unit tier runs first, then the
// integration tier, then the window tier; each reports its wall-clock time. Node 20's --test takes no globs, so the
// files are listed here.
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The first line that puts a file in the integration tier (`// tier: unit` keeps it a unit test). */
export const INTEGRATION_MARKER = '// tier: integration';
const MARKER = /^\/\/ tier: (unit|integration)$/;
/**
 * Folders of test/ whose files are integration tests unless marked otherwise: the CLI as a
 * process, the credential engine checked against openssl, the use cases over temp data dirs,
 * the store's crash and concurrency
 * loops and its openssl/sh consumers, the doctor against nginx and curl, the renderer's
 * pure logic and the browser finder. (The window itself: *.spec.ts, the window tier.)
 */
export const INTEGRATION_FOLDERS = ['cli', 'credentials', 'doctor', 'renderer', 'services', 'store'];
const TEST_ROOT = fileURLToPath(new URL('../test/', import.meta.url));
/** An unmarked (unit) file whose tests take longer than this, in total, gets a warning. */
export const SLOW_UNIT_FILE_MS = 3_000;

/** Reporter mode: `node --test --test-reporter=scripts/test.mjs` loads this file as a reporter. */
export default async function* fileDurations(source) {
  for await (const ev of source) {
    if ((ev.type === 'test:pass' || ev.type === 'test:fail') && ev.data.nesting === 0 && ev.data.file) {
      yield JSON.stringify({ file: ev.data.file, ms: ev.data.details?.duration_ms ?? 0 }) + '\n';
    }
  }
}

export function tierOf(file) {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(200);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const first = buf.subarray(0, n).toString('utf8').split(/\r?\n/, 1)[0].trim();
    const marked = MARKER.exec(first);
    if (marked) return marked[1];
  } finally {
    closeSync(fd);
  }
  const folder = relative(TEST_ROOT, resolve(file)).split(sep)[0];
  return INTEGRATION_FOLDERS.includes(folder) ? 'integration' : 'unit';
}

function collect(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'fixtures' || name === 'node_modules') continue;
      collect(join(path, name), out);
    }
  } else if (/\.test\.(ts|mjs)$/.test(path)) {
    out.push(path);
  }
  return out;
}

function runTier(tier, files) {
  const self = fileURLToPath(import.meta.url);
  const tmp = mkdtempSync(join(tmpdir(), 'mtls-test-run-'));
  const timings = join(tmp, 'durations.jsonl');
  console.log(`\n== ${tier} tier: ${files.length} files`);
  const started = Date.now();
  const res = spawnSync(
    process.execPath,
    [
      '--import', 'tsx', '--test', '--test-concurrency=2',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      `--test-reporter=${self}`, `--test-reporter-destination=${timings}`,
      ...files,
    ],
    { stdio: 'inherit', env: { ...process.env, MTLS_TRAY_TEST: '1' } },
  );
  const seconds = (Date.now() - started) / 1000;
  const perFile = new Map();
  try {
    for (const line of readFileSync(timings, 'utf8').split('\n')) {
      if (!line) continue;
      const { file, ms } = JSON.parse(line);
      perFile.set(file, (perFile.get(file) ?? 0) + ms);
    }
  } catch {
    // no timings (the run died early): nothing to warn about
  }
  rmSync(tmp, { recursive: true, force: true });
  const slow = [...perFile].filter(([f, ms]) => ms > SLOW_UNIT_FILE_MS && tierOf(f) === 'unit').sort((a, b) => b[1] - a[1]);
  for (const [f, ms] of slow) {
    console.warn(`warning: ${relative(process.cwd(), f)} is a unit test file but its tests took ${(ms / 1000).toFixed(1)} s; ` +
      `make it faster, or mark it with "${INTEGRATION_MARKER}" as its first line if it needs real peers`);
  }
  const ok = res.status === 0;
  console.log(`== ${tier} tier: ${ok ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s wall-clock`);
  return { ok, seconds };
}

/** The window tier: Playwright's own runner over playwright.config.ts (spec files, or all). */
function runWindowTier(specs) {
  const cli = fileURLToPath(new URL('../node_modules/@playwright/test/cli.js', import.meta.url));
  console.log(`\n== window tier: ${specs.length ? specs.length + ' files' : 'playwright.config.ts'}`);
  const started = Date.now();
  const res = spawnSync(process.execPath, [cli, 'test', ...specs], { stdio: 'inherit', env: { ...process.env, MTLS_TRAY_TEST: '1' } });
  const seconds = (Date.now() - started) / 1000;
  const ok = res.status === 0;
  console.log(`== window tier: ${ok ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s wall-clock`);
  return { ok, seconds };
}

function collectSpecs(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) if (name !== 'fixtures' && name !== 'node_modules') collectSpecs(join(path, name), out);
  } else if (/\.spec\.ts$/.test(path)) {
    out.push(relative(process.cwd(), path));
  }
  return out;
}

function main(argv) {
  let tier = 'all';
  const roots = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--tier') tier = argv[++i];
    else if (a.startsWith('--tier=')) tier = a.slice('--tier='.length);
    else roots.push(a);
  }
  if (!['unit', 'integration', 'window', 'all'].includes(tier)) {
    console.error(`unknown tier "${tier}": use unit, integration, window or all`);
    return 2;
  }
  const files = tier === 'window' ? [] : (roots.length ? roots : ['test']).flatMap((r) => collect(resolve(r), []));
  const tiers = tier === 'all' ? ['unit', 'integration'] : tier === 'window' ? [] : [tier];
  const byTier = new Map(tiers.map((t) => [t, files.filter((f) => tierOf(f) === t)]));
  // Spec files named on the command line, or all of playwright.config.ts when none are named.
  const specs = roots.flatMap((r) => collectSpecs(resolve(r), []));
  const window = (tier === 'window' || tier === 'all') && (roots.length === 0 || specs.length > 0);
  if ([...byTier.values()].every((fs) => fs.length === 0) && !window) {
    console.error(`no ${tier === 'all' ? '' : tier + ' '}test files found under`, (roots.length ? roots : ['test']).join(' '));
    return 1;
  }
  const results = [];
  for (const [t, fs] of byTier) if (fs.length) results.push([t, runTier(t, fs)]);
  if (window) results.push(['window', runWindowTier(specs)]);
  if (results.length > 1) {
    console.log('\n' + results.map(([t, r]) => `${t}: ${r.ok ? 'passed' : 'FAILED'} in ${r.seconds.toFixed(1)} s`).join('; '));
  }
  return results.every(([, r]) => r.ok) ? 0 : 1;
}

// Run as a script (not when Node's test runner loads this file as a reporter).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main(process.argv.slice(2)));
}
