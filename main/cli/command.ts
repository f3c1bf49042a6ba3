/**
 * What a command is: the words, options and help text the parser and --help read (its
 * CommandSpec), plus `run`. Each command lives in commands/<name>.ts and is listed once, in
 * commands/index.ts; the dispatcher (cli.ts) prints what `run` returns, so a command never
 * decides between text and JSON itself.
 */
import type { AppService } from '../services/app-service';
import type { CommandSpec, ParsedArgs } from './args';

/** DESIGN §5: 0 success, 1 failure, 2 bad usage. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The process around the CLI; a stand-in in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  /** Whether a person can answer a question on stdin. */
  interactive: boolean;
  cwd: string;
}

/** What every command may use: the service, the output mode, and files and prompts that report errors in the user's words. */
export interface CommandContext {
  readonly service: AppService;
  /** --json: the dispatcher prints the result's `json`; a command only avoids chatter before it. */
  readonly json: boolean;
  /** Whether a person can answer a question on stdin. */
  readonly interactive: boolean;
  /** For what comes before the result: a preview, a question. */
  stdout(text: string): void;
  /** A path from the command line, made absolute against the working directory. */
  path(file: string): string;
  /** Reads a small input file; every error names `what` and the file. */
  readText(file: string, what: string): string;
  readBinary(file: string, what: string): Buffer;
  /** --passphrase-file F (`-`: stdin) without its final newline; undefined without the flag. */
  readPassphrase(file: string | undefined): Promise<string | undefined>;
  /** Writes a file named on the command line and returns its absolute path. */
  writeFile(file: string, text: string, mode: number): string;
  /** A yes/no question; no when nobody can answer. */
  confirm(question: string): Promise<boolean>;
}

export interface CommandResult {
  /** Printed without --json. */
  text?: string;
  /** Printed with --json. */
  json?: unknown;
  code?: ExitCode;
}

export interface Command extends CommandSpec {
  run(ctx: CommandContext, args: ParsedArgs): Promise<CommandResult>;
}
