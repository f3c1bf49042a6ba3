/**
 * Runs `coder.headerCommand` exactly as the Coder extension does (src/command/exec.ts):
 * `child_process.exec` (so `/bin/sh -c` on Unix, `cmd.exe` on Windows) with the process
 * environment plus `CODER_URL`. The extension waits forever; the doctor stops waiting after
 * `timeoutMs` and says so, because a hanging command hangs every request of the editor.
 */
import { exec } from 'node:child_process';

export interface HeaderCommandRun {
  stdout: string;
  stderr: string;
  /** Exit status; undefined when killed by a signal, timed out or never started. */
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  /** The command could not be started at all (e.g. no shell). */
  startError: string | undefined;
  durationMs: number;
}

export function runHeaderCommand(
  command: string,
  opts: { url: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<HeaderCommandRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (run: Omit<HeaderCommandRun, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...run, durationMs: Math.round(performance.now() - started) });
    };

    const child = exec(command, { env: { ...opts.env, CODER_URL: opts.url } }, (err, stdout, stderr) => {
      if (!err) {
        finish({ stdout, stderr, exitCode: 0, signal: undefined, timedOut: false, startError: undefined });
        return;
      }
      const e = err as { code?: unknown; signal?: unknown; message: string };
      finish({
        stdout,
        stderr,
        exitCode: typeof e.code === 'number' ? e.code : undefined,
        signal: typeof e.signal === 'string' ? e.signal : undefined,
        timedOut: false,
        startError: typeof e.code === 'string' ? e.message : undefined,
      });
    });

    // Resolve on the timer rather than on exit: a grandchild holding stdout open would
    // otherwise keep exec's callback from ever running.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ stdout: '', stderr: '', exitCode: undefined, signal: 'SIGKILL', timedOut: true, startError: undefined });
    }, opts.timeoutMs);
  });
}
