// tier: integration
// issue 16 item 2: the CA-bundle checks are linear. 1 MiB of certificates, of unterminated
// BEGIN lines, or of blocks with mismatched labels is judged in < 100 ms each (it took 20–60 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCaBundle } from '../../main/profiles/share-format';
import { checkCertificateBundle } from '../../main/store/cert-facts';
import { MAX_BUNDLE_CERTS, scanPemBlocks } from '../../main/base/pem-blocks';

const MiB = 1024 * 1024;
function caPem(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-ca-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-subj', '/CN=Bundle CA', '-days', '2'], { stdio: 'ignore' });
    return readFileSync(join(dir, 'c'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const CA = caPem();
const fill = (unit: string): string => unit.repeat(Math.ceil(MiB / unit.length)).slice(0, MiB);

function timed<T>(fn: () => T): { ms: number; value: T | Error } {
  const t0 = performance.now();
  let value: T | Error;
  try {
    value = fn();
  } catch (e) {
    value = e as Error;
  }
  return { ms: performance.now() - t0, value };
}

test('the block scanner keeps the old semantics on small inputs', () => {
  assert.deepEqual(scanPemBlocks(CA).labels, ['CERTIFICATE']);
  assert.equal(scanPemBlocks(CA).leftover, false);
  assert.equal(scanPemBlocks(`junk\n${CA}`).leftover, true);
  assert.equal(scanPemBlocks(`${CA}-----BEGIN CERTIFICATE-----\nAAAA\n`).leftover, true);
  assert.equal(scanPemBlocks(`-----BEGIN lower-----\n${CA}`).leftover, true);
  const two = scanPemBlocks(`${CA}\n-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n`);
  assert.deepEqual(two.labels, ['CERTIFICATE', 'PRIVATE KEY']);
  assert.throws(() => checkCaBundle(`${CA}-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n`, 'the bundle'), /block 2 is a PRIVATE KEY/);
});

const cases: Array<[string, string]> = [
  [`the largest accepted bundle (${MAX_BUNDLE_CERTS} certificates)`, CA.repeat(MAX_BUNDLE_CERTS)],
  ['1 MiB of real certificates', CA.repeat(Math.floor(MiB / CA.length))],
  ['1 MiB of unterminated BEGIN lines', fill('-----BEGIN CERTIFICATE-----\n')],
  ['1 MiB of blocks with mismatched END labels', fill('-----BEGIN A-----\nx\n-----END B-----\n')],
  ['1 MiB of tiny empty blocks', fill('-----BEGIN X-----\n-----END X-----\n')],
];

for (const [name, pem] of cases) {
  test(`checkCaBundle: ${name} in < 100 ms`, () => {
    timed(() => checkCaBundle(pem, 'warm-up')); // JIT warm-up, not counted
    const { ms, value } = timed(() => checkCaBundle(pem, 'the CA bundle'));
    console.log(`# checkCaBundle ${name}: ${ms.toFixed(1)} ms (${value instanceof Error ? value.message.slice(0, 60) : 'accepted'})`);
    assert.ok(ms < 100, `${ms.toFixed(0)} ms`);
  });
  test(`checkCertificateBundle: ${name} in < 100 ms`, () => {
    timed(() => checkCertificateBundle(pem, 'warm-up'));
    const { ms, value } = timed(() => checkCertificateBundle(pem, 'The CA bundle'));
    console.log(`# checkCertificateBundle ${name}: ${ms.toFixed(1)} ms (${value instanceof Error ? value.message.slice(0, 60) : `${String(value)} certificates`})`);
    assert.ok(ms < 100, `${ms.toFixed(0)} ms`);
  });
}
