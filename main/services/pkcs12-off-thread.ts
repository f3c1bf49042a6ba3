/**
 * How the services read a PKCS#12. The CLI reads it in-process through the lazily loaded
 * credential engine (one command, nothing else to keep responsive: no reader given). The app passes a reader that runs the costly part (key derivations, up to
 * the budget in credentials/pkcs12-read.ts) on a worker thread, so the tray, the window's IPC
 * and the scheduler keep answering; a worker that overruns its time limit is terminated.
 */
import { Worker } from 'node:worker_threads';
import { UserError } from '../base/errors';
import type { ErrorCode } from '../base/vocabulary';
import type { ImportedCredentials } from '../credentials/import-pem';

export type Pkcs12Reader = (data: Uint8Array, passphrase: string, what?: string) => Promise<ImportedCredentials>;

export interface Pkcs12Job {
  data: Uint8Array;
  passphrase: string;
  what?: string;
}

export type Pkcs12Reply =
  | { ok: true; value: ImportedCredentials }
  | { ok: false; user: true; code: ErrorCode; message: string; fix?: string; field?: string }
  | { ok: false; user: false; message: string };

/**
 * A reader that runs each job on a fresh worker thread started from `workerScript`
 * (dist/pkcs12-worker.js in the app). `execArgv` lets tests start the TypeScript source.
 */
export function workerPkcs12Reader(workerScript: string, o: { timeoutMs?: number; execArgv?: string[] } = {}): Pkcs12Reader {
  const timeoutMs = o.timeoutMs ?? 30_000;
  return (data, passphrase, what) =>
    new Promise<ImportedCredentials>((resolve, reject) => {
      const job: Pkcs12Job = { data: Uint8Array.from(data), passphrase, ...(what !== undefined ? { what } : {}) };
      const worker = new Worker(workerScript, { workerData: job, ...(o.execArgv ? { execArgv: o.execArgv } : {}) });
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        fn();
      };
      const timer = setTimeout(
        () => finish(() => reject(new UserError('P12_TOO_COSTLY', `Reading ${what ?? 'the PKCS#12 file'} took longer than ${timeoutMs / 1000} s and was stopped.`, 'Export the identity again with default settings, e.g. `openssl pkcs12 -export -in cert.pem -inkey key.pem -out identity.p12`.'))),
        timeoutMs,
      );
      worker.once('message', (r: Pkcs12Reply) =>
        finish(() => {
          if (r.ok) resolve(r.value);
          else if (r.user) reject(new UserError(r.code, r.message, r.fix, r.field));
          else reject(new Error(r.message));
        }),
      );
      worker.once('error', (err) => finish(() => reject(err)));
      worker.once('exit', (code) => finish(() => reject(new Error(`the PKCS#12 worker exited with code ${code} before answering`))));
    });
}
