/**
 * Runs the built CLI (dist/cli.js) as a user would, in a temp HOME with its own data dir,
 * and reads back what it wrote. Builds dist/ first when it is missing (e.g. `npm run test:unit`).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { parse } from 'jsonc-parser';

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export function ensureBuilt(): void {
  if (!existsSync(CLI)) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}

export interface World {
  root: string;
  home: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** VS Code's user settings.json in this HOME. */
  codeSettings: string;
  cli(args: string[], o?: { input?: string; cwd?: string }): CliRun;
  /** Like cli(), without blocking this process (servers the test runs keep answering). */
  cliAsync(args: string[]): Promise<CliRun>;
  json<T = any>(args: string[]): T;
  settings(file?: string): Record<string, unknown>;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fresh HOME with VS Code "installed" (its user-data dir exists) and a data dir whose path has a space and a quote. */
export function makeWorld(name = 'w', o: { editors?: string[] } = {}): World {
  ensureBuilt();
  const root = mkdtempSync(join(tmpdir(), `mtls-cli-${name}-`));
  after(() => rmSync(root, { recursive: true, force: true }));
  const home = join(root, 'home');
  for (const dir of o.editors ?? ['Code']) mkdirSync(join(home, '.config', dir, 'User'), { recursive: true });
  const dataDir = join(root, "data dir's", 'mtls-tray');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8' };
  const w: World = {
    root,
    home,
    dataDir,
    env,
    codeSettings: join(home, '.config', 'Code', 'User', 'settings.json'),
    cli(args, opt = {}) {
      const r = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, ...args], { env, cwd: opt.cwd ?? root, input: opt.input ?? '', encoding: 'utf8', timeout: 60_000 });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    cliAsync(args) {
      return new Promise((res) => {
        const p = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.stderr.on('data', (d) => (stderr += d));
        p.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
      });
    },
    json(args) {
      const r = w.cli(['--json', ...args]);
      if (r.code !== 0) throw new Error(`mtls-tray ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    },
    settings(file = w.codeSettings) {
      return parse(readFileSync(file, 'utf8'), [], { allowTrailingComma: true });
    },
  };
  return w;
}
