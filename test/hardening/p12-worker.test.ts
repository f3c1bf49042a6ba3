// tier: integration
// issue 16 item 2: in the app, a PKCS#12 is read on a worker thread (dist/pkcs12-worker.js):
// the main thread's event loop keeps running while the key derivations do, refusals arrive as
// the same UserErrors, and a worker past its time limit is stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '../../main/base/errors';
import { workerPkcs12Reader } from '../../main/services/pkcs12-off-thread';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'pkcs12-worker.js');
if (!existsSync(WORKER)) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });

const dir = mkdtempSync(join(tmpdir(), 'p12-worker-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const at = (f: string) => join(dir, f);
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', at('k.pem'), '-out', at('c.pem'), '-subj', '/CN=w', '-days', '5'], { stdio: 'ignore' });
const p12 = (name: string, extra: string[]): Buffer => {
  execFileSync('openssl', ['pkcs12', '-export', '-in', at('c.pem'), '-inkey', at('k.pem'), '-passout', 'pass:x', '-out', at(name), ...extra], { stdio: 'ignore' });
  return readFileSync(at(name));
};

test('a costly but allowed file is read on the worker while the event loop keeps ticking', async () => {
  const data = p12('slow.p12', ['-iter', '400000']); // 3 × 400,000: inside the budget, ~1 s of work
  const read = workerPkcs12Reader(WORKER);
  let worstGap = 0;
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
  }, 10);
  const t0 = performance.now();
  const got = await read(data, 'x', 'the test file');
  clearInterval(tick);
  console.log(`# worker read took ${(performance.now() - t0).toFixed(0)} ms; longest event-loop gap ${worstGap.toFixed(0)} ms`);
  assert.equal(got.certPem.trim(), readFileSync(at('c.pem'), 'utf8').trim());
  assert.ok(worstGap < 500, `the main thread was blocked for ${worstGap.toFixed(0)} ms`);
});

test('refusals come back as UserErrors; a wrong passphrase too', async () => {
  const read = workerPkcs12Reader(WORKER);
  await assert.rejects(read(p12('hostile.p12', ['-iter', '1000001']), 'x'), (e: any) => isUserError(e) && e.code === 'P12_TOO_COSTLY');
  await assert.rejects(read(p12('ok.p12', []), 'wrong'), (e: any) => isUserError(e) && e.code === 'BAD_PASSPHRASE');
});

test('a worker past its time limit is stopped with a clear error', async () => {
  const read = workerPkcs12Reader(WORKER, { timeoutMs: 50 });
  await assert.rejects(read(p12('slow2.p12', ['-iter', '400000']), 'x'), /took longer than 0.05 s and was stopped/);
});
