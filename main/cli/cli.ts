/**
 * The headless CLI: `mtls-tray <command>` (DESIGN.md §5). This file only dispatches: it takes
 * the global flags, finds the command in the registry (commands/index.ts), runs it against
 * the AppService and prints its result as text or JSON. Exit codes: 0 success, 1 failure,
 * 2 bad usage (report-error.ts).
 */
import { escapeControl } from '../base/terminal-text';
import { resolve } from 'node:path';
import type { AppService } from '../services/app-service';
import { extractGlobals, parseCommand, UsageError } from './args';
import { EXIT, type CliIo, type CommandResult } from './command';
import { COMMANDS } from './commands';
import { createContext } from './context';
import { commandHelp, globalHelp } from './help';
import { processIo } from './process-io';
import { isCommandLineValueError, reportError } from './report-error';

export type { CliIo } from './command';

export interface CliDeps {
  createService(dataDir: string | undefined): AppService;
}

export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  // Known before parsing, so even a usage error in the global flags is reported as JSON.
  let json = argv.includes('--json');
  let values: Record<string, unknown> | undefined;
  try {
    const { globals, rest } = extractGlobals(argv);
    json = globals.json;
    const cmd = parseCommand(rest, COMMANDS, globals.help);
    if (!cmd) {
      if (!globals.help) throw new UsageError('no command given; run mtls-tray --help for the list');
      io.stdout(`${globalHelp(COMMANDS)}\n`);
      return EXIT.ok;
    }
    if (globals.help) {
      io.stdout(`${commandHelp(cmd.spec)}\n`);
      return EXIT.ok;
    }
    values = cmd.values;
    const service = deps.createService(globals.dataDir === undefined ? undefined : resolve(io.cwd, globals.dataDir));
    const out = await cmd.spec.run(createContext(io, json, service), cmd);
    print(out, io, json);
    // A settings file we could not change (invalid JSONC, unwritable) fails the command,
    // after every other file was handled and reported.
    return out.code || (hasSettingsError(out.json) ? EXIT.failure : EXIT.ok);
  } catch (err) {
    return reportError(err, io, json, isCommandLineValueError(err, values));
  }
}

function print(out: CommandResult, io: CliIo, json: boolean): void {
  if (out.json !== undefined && json) io.stdout(`${JSON.stringify(out.json, null, 2)}\n`);
  else if (out.text) io.stdout(`${escapeControl(out.text)}\n`);
}

function hasSettingsError(v: unknown): boolean {
  if (Array.isArray(v)) return v.some((r) => typeof r === 'object' && r !== null && 'error' in r && (r as { error?: unknown }).error !== undefined);
  if (typeof v === 'object' && v !== null && 'settings' in v) return hasSettingsError((v as { settings: unknown }).settings);
  return false;
}

/** Entry point when run as a program (dist/cli.js, or the app binary with --cli). */
export async function main(argv: readonly string[], createService: CliDeps['createService']): Promise<never> {
  const code = await runCli(argv, processIo(), { createService });
  process.exitCode = code;
  // Let stdout drain, then leave even if a handle (a socket the doctor opened) lingers.
  await new Promise<void>((r) => process.stdout.write('', () => r()));
  process.exit(code);
}
