// `npm run bench`: runs every bench/*.ts one after another (never in parallel: they time
// things), then writes one Markdown table of all results to bench/REPORT.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
const args = process.argv.slice(2);
// --report-only: rebuild REPORT.md from the last results without running anything.
const reportOnly = args.includes('--report-only');
const only = args.filter((a) => !a.startsWith('--'));
const benches = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.startsWith('_')).map((f) => f.slice(0, -3)).filter((n) => !only.length || only.includes(n)).sort();
let failed = 0;
for (const name of reportOnly ? [] : benches) {
  console.log(`\n## bench/${name}.ts\n`);
  rmSync(join(dir, 'results', `${name}.json`), { force: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, `${name}.ts`)], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench/${name}.ts failed (exit ${r.status})`);
    failed++;
  }
}

const rows = [];
const notes = [];
for (const name of benches) {
  const file = join(dir, 'results', `${name}.json`);
  if (!existsSync(file)) continue;
  const res = JSON.parse(readFileSync(file, 'utf8'));
  for (const row of res.rows ?? []) rows.push({ bench: name, ...row });
  for (const t of [].concat(res.target ?? [])) notes.push(`- ${name}: target ${t.operation} <= ${t.maxRatio}x: ${t.met ? 'met' : '**not met**'}`);
  for (const n of res.notes ?? []) notes.push(`- ${name}: ${n}`);
}
// A `|` inside a cell (e.g. a shell pipeline as the reference) would split the table.
const fmt = (v) => (typeof v === 'number' ? String(v) : String(v ?? '').replace(/\|/g, '\\|'));
const lines = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${process.platform}/${process.arch}. Each reference is measured in the same run; times are medians in milliseconds.`,
  '',
  '| bench | operation | ours (ms) | reference | reference (ms) | ratio |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.bench} | ${fmt(r.operation)} | ${fmt(r.oursMedianMs)} | ${fmt(r.reference)} | ${fmt(r.referenceMedianMs)} | ${r.ratio === undefined || r.ratio === null ? '' : `${r.ratio}x`} |`),
  '',
  ...(notes.length ? ['Targets:', '', ...notes, ''] : []),
];
writeFileSync(join(dir, 'REPORT.md'), lines.join('\n'));
console.log(`\n${lines.join('\n')}\nwritten to bench/REPORT.md`);
process.exit(failed ? 1 : 0);
