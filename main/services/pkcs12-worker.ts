/**
 * The worker thread's side of reading a PKCS#12 off the app's main thread (entry
 * dist/pkcs12-worker.js). It gets one job, answers once, and the thread ends. Key derivations
 * are bounded (credentials/pkcs12-read.ts P12_LIMITS); the thread keeps the event loop, IPC
 * and the tray answering while they run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isUserError } from '../base/errors';
import { importPkcs12 } from '../credentials/pkcs12-read';
import type { Pkcs12Job, Pkcs12Reply } from './pkcs12-off-thread';

const job = workerData as Pkcs12Job;
let reply: Pkcs12Reply;
try {
  reply = { ok: true, value: importPkcs12(job.data, job.passphrase, job.what) };
} catch (err) {
  reply = isUserError(err)
    ? { ok: false, user: true, code: err.code, message: err.message, ...(err.fix !== undefined ? { fix: err.fix } : {}), ...(err.field !== undefined ? { field: err.field } : {}) }
    : { ok: false, user: false, message: err instanceof Error ? err.message : String(err) };
}
parentPort?.postMessage(reply);
