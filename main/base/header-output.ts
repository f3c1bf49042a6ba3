/**
 * Parses a header command's stdout by the Coder extension's rules (src/headers.ts,
 * DESIGN.md §1): one trailing newline is stripped; empty output means no headers; every
 * other line must be `name=value` with a non-empty name free of whitespace. Note that
 * output consisting of a lone newline is an error there (it becomes one blank line).
 *
 * One rule is ours: a name must also be an HTTP token, because Node refuses to send any
 * other name (ERR_INVALID_HTTP_TOKEN), so the request would fail after parsing succeeded.
 */
import { HTTP_TOKEN_PATTERN } from './vocabulary';

export type HeaderOutputResult =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; lineNumber: number; line: string; reason: string };


export function parseHeaderCommandOutput(stdout: string): HeaderOutputResult {
  const headers: Record<string, string> = {};
  if (stdout === '') return { ok: true, headers };

  const lines = stdout.replace(/\r?\n$/, '').split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    const fail = (reason: string): HeaderOutputResult => ({ ok: false, lineNumber: i + 1, line, reason });
    const eq = line.indexOf('=');
    if (line === '') return fail('blank line');
    if (eq < 0) return fail('no "=" in the line');
    const name = line.slice(0, eq);
    if (name === '') return fail('empty header name');
    if (/\s/.test(name)) return fail('header name contains whitespace');
    if (!HTTP_TOKEN_PATTERN.test(name)) return fail('header name is not a valid HTTP token (Node refuses to send it)');
    headers[name] = line.slice(eq + 1);
  }
  return { ok: true, headers };
}
