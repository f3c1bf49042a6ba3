/**
 * Runs `coder.headerCommand` as the Coder extension does (src/command/exec.ts):
 * `child_process.exec`, i.e. the command string handed to `/bin/sh -c` on Unix and
 * `cmd.exe /d /s /c` on Windows, with the process environment plus `CODER_URL`, and exec's
 * default 1 MiB output limit. `spawn(command, { shell: true })` is that same invocation;
 * we use it rather than exec itself for one reason: on Unix the command gets its own
 * process group, so when it hangs (the extension would wait forever; the doctor stops after
 * `timeoutMs`) the shell *and* whatever it started are killed, not just the shell.
 */

export interface HeaderCommandRun {
  stdout: string;
  stderr: string;
  /** Exit status; undefined when killed by a signal, timed out or never started. */
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  /** Output went past exec's 1 MiB limit, which makes the extension's exec fail. */
  overflowed: boolean;
  /** The command could not be started at all (e.g. no shell). */
  startError: string | undefined;
  durationMs: number;
}

/** child_process.exec's default maxBuffer, per stream. */
export const EXEC_MAX_BUFFER = 1024 * 1024;

export async function runHeaderCommand(
  command: string,
  opts: { url: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<HeaderCommandRun> {
  // Loaded here, not at the top: child_process is not needed by a CLI start that only reports.
  // (require, not import(): the CLI bundle runs in a vm.Script, which has no dynamic-import hook.)
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  const started = performance.now();
  const ownGroup = process.platform !== 'win32';
  return new Promise((resolve) => {
    const child = spawn(command, {
      shell: true,
      env: { ...opts.env, CODER_URL: opts.url },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: ownGroup,
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let overflowed = false;
    let settled = false;

    const killAll = () => {
      try {
        if (ownGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const finish = (exitCode: number | undefined, signal: string | undefined, startError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode, signal, timedOut, overflowed, startError, durationMs: Math.round(performance.now() - started) });
    };

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      stdout += s;
      if (stdout.length > EXEC_MAX_BUFFER) {
        overflowed = true;
        killAll();
      }
    });
    child.stderr.on('data', (s: string) => {
      stderr += s;
      if (stderr.length > EXEC_MAX_BUFFER) {
        overflowed = true;
        killAll();
      }
    });
    child.once('error', (err) => finish(undefined, undefined, err.message));
    child.once('close', (code, signal) => finish(code ?? undefined, signal ?? undefined));

    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
      // Do not wait for 'close': a process outside the group could still hold the pipes.
      child.stdout.destroy();
      child.stderr.destroy();
      finish(undefined, 'SIGKILL');
    }, opts.timeoutMs);
  });
}
