/**
 * Runs `coder.headerCommand` as the extension does and validates its output by the
 * extension's rules. Header values are never shown (they may be tokens); names are.
 */
import { EXEC_MAX_BUFFER, runHeaderCommand } from '../header-command';
import { parseHeaderCommandOutput } from '../../base/header-output';
import type { DoctorCheck } from '../types';
import { CHECKS } from './check-names';

const BASE = CHECKS.headerCommand;

export interface HeaderCheckResult {
  check: DoctorCheck;
  /** Headers the extension would send; undefined when the command makes every request fail. */
  headers: Record<string, string> | undefined;
}

/**
 * With coder.headerCommand empty the extension falls back to the environment variable
 * CODER_HEADER_COMMAND (DESIGN §1): the doctor runs that one then, and says so; when both are
 * set it notes that the setting wins.
 */
export async function checkHeaderCommand(
  command: string | undefined,
  opts: { url: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<HeaderCheckResult> {
  const fromEnv = opts.env['CODER_HEADER_COMMAND']?.trim();
  const setting = command?.trim();
  if (setting || !fromEnv) {
    const r = await checkOneCommand(setting, opts);
    if (fromEnv) r.check.detail += `; CODER_HEADER_COMMAND is set in the environment too, but coder.headerCommand takes precedence`;
    return r;
  }
  const r = await checkOneCommand(fromEnv, opts);
  const what = `coder.headerCommand is unset, so the extension runs CODER_HEADER_COMMAND from its environment (${JSON.stringify(fromEnv)})`;
  r.check.detail = `${what}: ${r.check.detail}`;
  r.check.data = { ...r.check.data, source: 'CODER_HEADER_COMMAND' };
  if (r.check.status === 'pass') {
    r.check.status = 'warn';
    r.check.code = 'ENV_HEADER_COMMAND';
    r.check.fix = 'if those headers are not meant for this deployment, remove CODER_HEADER_COMMAND from the environment the editor starts with (`unset CODER_HEADER_COMMAND` in your shell profile) and restart the editor';
  }
  return r;
}

async function checkOneCommand(
  command: string | undefined,
  opts: { url: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<HeaderCheckResult> {
  // The extension trims the setting and treats blank as unset (src/settings/headers.ts).
  const cmd = command?.trim();
  if (!cmd) {
    return { check: { ...BASE, status: 'skip', detail: 'no coder.headerCommand: the extension sends no extra headers' }, headers: {} };
  }

  const run = await runHeaderCommand(cmd, opts);
  const fail = (code: string, detail: string, fix: string): HeaderCheckResult => ({
    check: { ...BASE, status: 'fail', code, detail, fix, data: { exitCode: run.exitCode, signal: run.signal, durationMs: run.durationMs } },
    headers: undefined,
  });
  const blocks = 'the extension then fails every request';

  if (run.startError) return fail('HEADER_COMMAND_FAILED', `the header command could not start: ${run.startError}`, 'check coder.headerCommand');
  if (run.timedOut) {
    return fail('HEADER_COMMAND_HANGS', `the header command did not finish within ${opts.timeoutMs} ms; the extension waits for it without limit, so every request hangs`, 'make the command finish (it must not wait for input)');
  }
  if (run.overflowed) {
    return fail('HEADER_COMMAND_FAILED', `the header command printed more than ${EXEC_MAX_BUFFER / 1024 / 1024} MiB, past the limit of the extension's exec; ${blocks}`, 'print only the headers, one name=value line each');
  }
  if (run.exitCode !== 0) {
    const how = run.exitCode === undefined ? `was killed by ${run.signal ?? 'a signal'}` : `exited with code ${run.exitCode}`;
    const stderr = firstLine(run.stderr);
    return fail('HEADER_COMMAND_FAILED', `the header command ${how}${stderr ? ` (${stderr})` : ''}; ${blocks}`, 'run the command in a terminal to see why; check that its script exists and is executable');
  }

  const parsed = parseHeaderCommandOutput(run.stdout);
  if (!parsed.ok) {
    return fail(
      'HEADER_OUTPUT_MALFORMED',
      `line ${parsed.lineNumber} of its output is malformed (${parsed.reason}): ${JSON.stringify(redactLine(parsed.line))}; ${blocks}`,
      'the command must print only name=value lines, one per header, with names free of spaces; fix the profile\'s headers',
    );
  }
  const names = Object.keys(parsed.headers);
  return {
    check: {
      ...BASE, status: 'pass', data: { headerNames: names, durationMs: run.durationMs },
      detail: names.length === 0
        ? `prints nothing: no extra headers (took ${run.durationMs} ms)`
        : `prints ${names.length} header${names.length === 1 ? '' : 's'}: ${names.join(', ')} (took ${run.durationMs} ms; the extension runs it before every request)`,
    },
    headers: parsed.headers,
  };
}

function firstLine(s: string): string {
  return clip(s.trim().split('\n')[0] ?? '');
}

/**
 * A malformed line is often `Name: value` or `Name value`, where the value may be a token:
 * show the name and the separator the user typed, not what follows.
 */
export function redactLine(line: string): string {
  const sep = /[:=\s]/.exec(line);
  if (sep && sep.index + 1 < line.length) return `${line.slice(0, sep.index + 1)}…`;
  return clip(line);
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
