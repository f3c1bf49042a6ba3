// Cold start of the whole CLI process: `mtls-tray status --json` on a real profile, against
// `node -e 0` (the floor: starting Node itself), median over many runs, interleaved so load
// on the machine hits both alike. Target: <= 3x. Writes bench/results/cli.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const root = resolve(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function time(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const dir = mkdtempSync(join(tmpdir(), 'mtls-bench-cli-'));
try {
  const env = { PATH: process.env.PATH, HOME: join(dir, 'home') };
  mkdirSync(join(dir, 'home', '.config', 'Code', 'User'), { recursive: true });
  const data = join(dir, 'data');
  execFileSync(process.execPath, [cli, '--data-dir', data, 'init', '--url', 'https://coder.bench.test', '--self-signed', '--san', 'email:dev@bench.test'], { env, stdio: 'ignore' });
  const ours: number[] = [];
  const ref: number[] = [];
  for (let i = 0; i < 3; i++) {
    time(process.execPath, ['-e', '0'], env);
    time(process.execPath, [cli, '--data-dir', data, 'status', '--json'], env);
  }
  for (let i = 0; i < RUNS; i++) {
    ref.push(time(process.execPath, ['-e', '0'], env));
    ours.push(time(process.execPath, [cli, '--data-dir', data, 'status', '--json'], env));
  }
  const row = {
    operation: 'mtls-tray status --json, whole process (cold start)',
    reference: 'node -e 0',
    oursMedianMs: +median(ours).toFixed(1),
    referenceMedianMs: +median(ref).toFixed(1),
    ratio: +(median(ours) / median(ref)).toFixed(2),
    runs: RUNS,
  };
  console.log('| operation | ours (median ms) | reference (median ms) | ratio |');
  console.log('|---|---|---|---|');
  console.log(`| ${row.operation} | ${row.oursMedianMs} | ${row.referenceMedianMs} (${row.reference}) | ${row.ratio}x |`);
  console.log(`\ntarget: <= 3x node -e 0 -> ${row.ratio <= 3 ? 'met' : 'NOT met'}`);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'cli.json'), JSON.stringify({ name: 'cli', date: new Date().toISOString(), node: process.version, target: { operation: row.operation, maxRatio: 3, met: row.ratio <= 3 }, rows: [row] }, null, 2) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
