/**
 * Command-line parsing: global flags (`--data-dir`, `--json`, `--help`) are accepted before or
 * after the command name; each command declares its own options and positionals. Anything
 * unknown is a usage error (exit 2) that names the offending word.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface GlobalFlags {
  dataDir?: string;
  json: boolean;
  help: boolean;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec {
  /** `settings apply`, `ca sign`: the words that select this command. */
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  /** How many positionals, at least and at most. */
  positionals: [min: number, max: number];
  /** Longer text for --help. */
  details?: string;
}

/** What the parser hands a command: its option values and positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface ParsedCommand<T extends CommandSpec = CommandSpec> extends ParsedArgs {
  spec: T;
}

/** Pulls the global flags out of argv wherever they stand. */
export function extractGlobals(argv: readonly string[]): { globals: GlobalFlags; rest: string[] } {
  const globals: GlobalFlags = { json: false, help: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--json') globals.json = true;
    else if (a === '--help' || a === '-h') globals.help = true;
    else if (a === '--data-dir') {
      const v = argv[++i];
      if (v === undefined || v === '') throw new UsageError('--data-dir needs a directory');
      globals.dataDir = v;
    } else if (a.startsWith('--data-dir=')) {
      const v = a.slice('--data-dir='.length);
      if (!v) throw new UsageError('--data-dir needs a directory');
      globals.dataDir = v;
    } else rest.push(a);
  }
  return { globals, rest };
}

/** Finds the command (one or two words) and parses its options strictly. */
export function parseCommand<T extends CommandSpec>(rest: readonly string[], specs: readonly T[], help = false): ParsedCommand<T> | null {
  if (rest.length === 0) return null;
  const two = `${rest[0]} ${rest[1] ?? ''}`;
  const spec = specs.find((s) => s.name === two) ?? specs.find((s) => s.name === rest[0]);
  if (!spec) {
    const group = specs.filter((s) => s.name.startsWith(`${rest[0]} `));
    if (group.length) {
      throw new UsageError(`"${rest[0]}" needs one of: ${group.map((s) => s.name.split(' ')[1]).join(', ')}`);
    }
    throw new UsageError(`unknown command "${rest[0]}"; run mtls-tray --help for the list`);
  }
  const args = rest.slice(spec.name.split(' ').length);
  let parsed: { values: unknown; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: spec.options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${spec.name}: ${(err as Error).message.replace(/\. To specify a positional.*$/s, '')}`);
  }
  const [min, max] = spec.positionals;
  if (help) return { spec, values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
  if (parsed.positionals.length < min) throw new UsageError(`${spec.name}: missing argument; usage: mtls-tray ${spec.usage}`);
  if (parsed.positionals.length > max) throw new UsageError(`${spec.name}: unexpected argument "${parsed.positionals[max]}"; usage: mtls-tray ${spec.usage}`);
  return { spec, values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
}

export function str(v: ParsedArgs['values'][string]): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function list(v: ParsedArgs['values'][string]): string[] {
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function positiveInt(v: string | undefined, flag: string, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max}, not "${v}"`);
  return Number(v);
}
