// What the one-write settings apply costs over the plainest way of making the same edit.
// Ours: read, parse (jsonc-parser), compute every edit, verify the result parses and holds the
// values, keep a backup record, write a temp file, fsync, re-read, rename, fsync the folder.
// Reference, same run, interleaved: jsonc-parser `modify` + `applyEdits` for each key and one
// plain writeFileSync (no verification, no backup, no fsync, not atomic). The no-op row
// compares an apply that has nothing to do with reading + parsing the file once.
// Writes bench/results/settings.json.
import { mkdirSync, mkdtempSync, promises as fsp, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { applyEdits, modify, parseTree } from 'jsonc-parser';
import { applySettingsFile } from '../main/settings/apply-settings';
import type { EditorTarget } from '../main/settings/editor-discovery';
import type { DesiredCoderSettings } from '../main/settings/owned-keys';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const BIG_RUNS = Math.max(5, Math.round(RUNS / 5));

const DESIRED: DesiredCoderSettings = {
  'coder.tlsCertFile': '/home/dev/.local/share/mtls-tray/active/current/client.crt',
  'coder.tlsKeyFile': '/home/dev/.local/share/mtls-tray/active/current/client.key',
  'coder.tlsCaFile': '/home/dev/.local/share/mtls-tray/active/current/ca.crt',
  'coder.tlsAltHost': 'coder.internal',
  'coder.headerCommand': '/home/dev/.local/share/mtls-tray/bin/coder-header-command',
  'coder.tlsCertRefreshCommand': '/home/dev/.local/share/mtls-tray/bin/coder-cert-refresh',
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function timeIt(fn: () => unknown): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function bigSettings(): string {
  const lines = ['{', '    "workbench.colorCustomizations": {'];
  for (let i = 0; i < 9000; i++) lines.push(`        "editorBracketHighlight.foreground${i}": "#${(i * 2654435761 >>> 8).toString(16).padStart(6, '0').slice(0, 6)}", // ${i}`);
  lines.push('        "editor.background": "#1e1e1e"', '    },', '    "cSpell.userWords": [');
  for (let i = 0; i < 14000; i++) lines.push(`        "word${i}lorem",`);
  lines.push('        "last"', '    ],', '    "editor.fontSize": 14', '}', '');
  return lines.join('\n');
}

function referenceApply(file: string): void {
  let text = readFileSync(file, 'utf8');
  for (const [k, v] of Object.entries({ ...DESIRED, 'http.proxySupport': 'on' })) {
    text = applyEdits(text, modify(text, [k], v, { formattingOptions: { insertSpaces: true, tabSize: 4, eol: '\n' } }));
  }
  writeFileSync(file, text);
}

/** Just the safe write of the final bytes, nothing else: what any crash-safe writer pays. */
async function durableReplace(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await fsp.open(tmp, 'w');
  await fh.writeFile(data);
  await fh.sync();
  await fh.close();
  await fsp.rename(tmp, path);
  const d = await fsp.open(dirname(path), 'r');
  await d.sync();
  await d.close();
}

interface Row {
  operation: string;
  reference: string;
  oursMedianMs: number;
  referenceMedianMs: number;
  ratio: number;
  runs: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-bench-settings-'));
  try {
    const typical = readFileSync(join(__dirname, '..', 'test', 'settings', 'fixtures', 'comments-everywhere.json'), 'utf8');
    const big = bigSettings();
    mkdirSync(join(dir, 'User'));
    const file = join(dir, 'User', 'settings.json');
    const refFile = join(dir, 'ref.json');
    const backupDir = join(dir, 'backups');
    const target: EditorTarget = { id: 'code', name: 'code', userDataDir: dir, settingsPath: file, installed: true };
    const req = { desired: DESIRED, proxyConsent: true, backupDir };

    const measure = async (text: string, runs: number): Promise<{ ours: number[]; ref: number[]; floor: number[] }> => {
      const ours: number[] = [];
      const ref: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < runs + 2; i++) {
        writeFileSync(file, text);
        rmSync(backupDir, { recursive: true, force: true });
        writeFileSync(refFile, text);
        const r = await timeIt(() => referenceApply(refFile));
        const o = await timeIt(() => applySettingsFile(target, req));
        const result = readFileSync(file);
        const f = await timeIt(() => durableReplace(refFile, result));
        if (i >= 2) {
          ref.push(r);
          ours.push(o);
          floor.push(f);
        }
      }
      return { ours, ref, floor };
    };

    const rows: Row[] = [];
    const row = (operation: string, reference: string, m: { ours: number[]; ref: number[] }) => {
      const o = median(m.ours);
      const r = median(m.ref);
      rows.push({ operation, reference, oursMedianMs: +o.toFixed(2), referenceMedianMs: +r.toFixed(2), ratio: +(o / r).toFixed(2), runs: m.ours.length });
    };

    const typicalRuns = await measure(typical, RUNS);
    row('settings apply, typical commented file (6 coder keys + http.proxySupport)', 'jsonc modify per key + plain writeFileSync', typicalRuns);
    row('settings apply, typical file, against the durability floor', 'temp file + fsync + rename + folder fsync of the same result', { ours: typicalRuns.ours, ref: typicalRuns.floor });

    // Nothing to change: the file already holds our values.
    writeFileSync(file, typical);
    rmSync(backupDir, { recursive: true, force: true });
    await applySettingsFile(target, req);
    const configured = readFileSync(file, 'utf8');
    const noop = { ours: [] as number[], ref: [] as number[] };
    for (let i = 0; i < RUNS + 2; i++) {
      const r = await timeIt(async () => parseTree(await fsp.readFile(file, 'utf8')));
      const o = await timeIt(() => applySettingsFile(target, req));
      if (i >= 2) {
        noop.ref.push(r);
        noop.ours.push(o);
      }
    }
    if (readFileSync(file, 'utf8') !== configured) throw new Error('the no-op apply wrote');
    row('settings apply, nothing to change (no write)', 'fs.promises.readFile + jsonc parseTree', noop);

    row(`settings apply, ${(Buffer.byteLength(big) / 1e6).toFixed(2)} MB file`, 'jsonc modify per key + plain writeFileSync', await measure(big, BIG_RUNS));

    console.log('| operation | ours (median ms) | reference (median ms) | ratio |');
    console.log('|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.operation} | ${r.oursMedianMs} | ${r.referenceMedianMs} (${r.reference}) | ${r.ratio}x |`);
    const notes = [
      'ours includes verification (re-parse of the result), the backup (original copy + record, each fsynced) and the durable replace (temp fsync, rename, folder fsync); the plain reference does none of these',
    ];
    console.log(`\n${notes.join('\n')}`);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(
      join(__dirname, 'results', 'settings.json'),
      JSON.stringify({ name: 'settings', date: new Date().toISOString(), node: process.version, runs: RUNS, rows, notes }, null, 2) + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
