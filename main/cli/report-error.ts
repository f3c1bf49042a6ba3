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

export function reportError(thrown: unknown, io: CliIo, json: boolean): ExitCode {
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
    return EXIT.failure;
  }
  const e = err as Error;
  if (json) io.stderr(`${JSON.stringify({ error: { code: 'INTERNAL', message: e?.message ?? String(err) } })}\n`);
  else io.stderr(`mtls-tray: internal error: ${escapeControl(e?.message ?? String(err))}\n(this is a bug; please report it with the command you ran)\n${process.env.MTLS_TRAY_DEBUG ? `${e?.stack}\n` : ''}`);
  return EXIT.failure;
}
