// tier: integration
// issue 16 item 2: a PKCS#12 has a total work budget (iterations × parts, bag count, output
// size); a hostile file is refused with P12_TOO_COSTLY in < 1 s, with the right or the wrong
// passphrase, before any key derivation runs. Files from openssl (run here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPkcs12, P12_LIMITS } from '../../main/credentials/pkcs12-read';

const dir = mkdtempSync(join(tmpdir(), 'p12-budget-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const at = (f: string) => join(dir, f);
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', at('k.pem'), '-out', at('c.pem'), '-subj', '/CN=p12', '-days', '5', '-addext', 'extendedKeyUsage=clientAuth'], { stdio: 'ignore' });
const cert = readFileSync(at('c.pem'), 'utf8');
const p12 = (name: string, extra: string[]): Buffer => {
  execFileSync('openssl', ['pkcs12', '-export', '-in', at('c.pem'), '-inkey', at('k.pem'), '-passout', 'pass:x', '-out', at(name), ...extra], { stdio: 'ignore' });
  return readFileSync(at(name));
};

function timedRefusal(data: Buffer, pass: string): { ms: number; err: any } {
  const t0 = performance.now();
  try {
    importPkcs12(data, pass);
  } catch (err) {
    return { ms: performance.now() - t0, err };
  }
  throw new Error('accepted');
}

test('an ordinary file (OpenSSL 3 defaults) is still read', () => {
  assert.equal(importPkcs12(p12('ok.p12', []), 'x').certPem.trim(), cert.trim());
});

test(`more than ${P12_LIMITS.iterationsEach.toLocaleString('en-US')} iterations: refused in < 1 s, right or wrong passphrase`, () => {
  const data = p12('iter.p12', ['-iter', String(P12_LIMITS.iterationsEach + 1)]);
  for (const pass of ['x', 'wrong']) {
    const { ms, err } = timedRefusal(data, pass);
    console.log(`# hostile iterations (${pass === 'x' ? 'right' : 'wrong'} passphrase): refused in ${ms.toFixed(1)} ms`);
    assert.equal(err.code, 'P12_TOO_COSTLY', err.message);
    assert.match(err.message, /1,000,001 key-derivation iterations/);
    assert.match(err.fix, /openssl pkcs12 -export/);
    assert.ok(ms < 1000, `${ms} ms`);
  }
});

test(`more than ${P12_LIMITS.bags} bags: refused in < 1 s`, () => {
  writeFileSync(at('many.pem'), cert.repeat(100));
  const data = p12('bags.p12', ['-certfile', at('many.pem')]);
  const { ms, err } = timedRefusal(data, 'x');
  console.log(`# hostile bag count (101 bags): refused in ${ms.toFixed(1)} ms`);
  assert.equal(err.code, 'P12_TOO_COSTLY', err.message);
  assert.match(err.message, /more than 64 items/);
  assert.ok(ms < 1000);
});

test('many parts whose iterations add up past the total: refused before any derivation', () => {
  // MAC + certificates + key at 600,000 each = 1.8 M > 1.5 M in total.
  const data = p12('total.p12', ['-iter', '600000']);
  const { ms, err } = timedRefusal(data, 'x');
  console.log(`# hostile total iterations (3 × 600,000): refused in ${ms.toFixed(1)} ms`);
  assert.equal(err.code, 'P12_TOO_COSTLY', err.message);
  assert.match(err.message, /in total/);
  assert.ok(ms < 200, 'refused up front, not after deriving keys');
});
