/**
 * How a failed command ends: a usage error exits 2, a UserError prints its message and fix and
 * exits 1, anything else is a bug and says so, never with a stack trace unless MTLS_TRAY_DEBUG
 * asks for one. With --json the error is one JSON object on stderr.
 */
import { escapeControl } from '../base/terminal-text';
import { isUserError } from '../base/errors';
import { diskFaultToUserError } from '../base/fs-errors';
import { UsageError } from './args';
import { EXIT, type CliIo, type ExitCode } from './command';

/**
 * A bad value the user typed on the command line is bad usage (exit 2) even when the service
 * finds it: the option that carries each kind of value, by the error's field or code. The same
 * error about a value read from a file (a shared profile's URL) stays a failure (exit 1).
 */
const OPTIONS_OF: Record<string, readonly string[]> = {
  url: ['url'], INVALID_URL: ['url'],
  altHost: ['alt-host'], INVALID_ALT_HOST: ['alt-host'],
  sans: ['san'], SAN_INVALID: ['san'],
  headers: ['header', 'remove-header'], HEADER_INVALID: ['header', 'remove-header'],
};

export function isCommandLineValueError(err: unknown, values: Record<string, unknown> | undefined): boolean {
  if (!isUserError(err) || !values) return false;
  const options = (err.field !== undefined ? OPTIONS_OF[err.field] : undefined) ?? OPTIONS_OF[err.code] ?? [];
  return options.some((o) => values[o] !== undefined && values[o] !== false);
}

export function reportError(thrown: unknown, io: CliIo, json: boolean, usage = false): ExitCode {
  // A full disk or a read-only mount is the machine's state, not a bug (base/fs-errors.ts).
  const err = diskFaultToUserError(thrown) ?? thrown;
  if (err instanceof UsageError) {
    if (json) io.stderr(`${JSON.stringify({ error: { code: 'USAGE', message: err.message } })}\n`);
    else io.stderr(`mtls-tray: ${escapeControl(err.message)}\n`);
    return EXIT.usage;
  }
  if (isUserError(err)) {
    if (json) io.stderr(`${JSON.stringify({ error: { code: err.code, message: err.message, ...(err.fix ? { fix: err.fix } : {}) } })}\n`);
    else io.stderr(`mtls-tray: ${escapeControl(err.message)}${err.fix ? `\n  fix: ${escapeControl(err.fix)}` : ''}\n`);
    return usage ? EXIT.usage : EXIT.failure;
  }
  const e = err as Error;
  if (json) io.stderr(`${JSON.stringify({ error: { code: 'INTERNAL', message: e?.message ?? String(err) } })}\n`);
  else io.stderr(`mtls-tray: internal error: ${escapeControl(e?.message ?? String(err))}\n(this is a bug; please report it with the command you ran)\n${process.env.MTLS_TRAY_DEBUG ? `${e?.stack}\n` : ''}`);
  return EXIT.failure;
}
