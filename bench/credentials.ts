// Benchmark: a fresh key + self-signed client certificate with a SAN, made in-process by
// the credential engine, against `openssl req -x509 -newkey ...` doing the same work as a
// subprocess (what a shell-script tool would run). Run:
//   node --import tsx bench/credentials.ts [--runs N]
// Prints Markdown rows (operation | ours | reference | ratio) and where our time goes, and
// writes bench/results/credentials.json.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { X509Certificate, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { createSelfSignedClientCert, generateKey } from '../main/credentials/making';
import { parseSan, type KeyAlgorithm } from '../main/credentials/reading';

const RUNS = Math.max(20, Number(process.argv[process.argv.indexOf('--runs') + 1]) || 25);
const WARMUP = 3;
const SANS = [parseSan('DNS:bench.example.com')];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

async function ours(alg: KeyAlgorithm): Promise<void> {
  const keyPem = await generateKey(alg);
  const cert = await createSelfSignedClientCert({ keyPem, sans: SANS, commonName: 'bench', days: 30 });
  if (!cert.startsWith('-----BEGIN CERTIFICATE-----')) throw new Error('no certificate');
}

const OPENSSL_KEY: Record<string, string[]> = {
  'ecdsa-p256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'rsa-2048': ['-newkey', 'rsa:2048'],
};

/** The same work for openssl: new key, self-signed cert with the SAN and clientAuth, PEM of both on stdout. */
function reference(alg: KeyAlgorithm): Promise<void> {
  const args = [
    'req', '-x509', ...OPENSSL_KEY[alg]!, '-nodes', '-keyout', '-', '-days', '30', '-subj', '/CN=bench',
    '-addext', 'subjectAltName=DNS:bench.example.com', '-addext', 'extendedKeyUsage=clientAuth',
  ];
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { encoding: 'utf8' }, (err, stdout) => {
      if (err) return reject(err);
      if (!stdout.includes('-----BEGIN CERTIFICATE-----') || !stdout.includes('PRIVATE KEY')) return reject(new Error('openssl gave no cert/key'));
      resolve();
    });
  });
}

async function time(f: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

/** Runs ours and the reference interleaved, so background load hits both alike. */
async function compare(alg: KeyAlgorithm): Promise<{ ours: number[]; ref: number[] }> {
  for (let i = 0; i < WARMUP; i++) {
    await ours(alg);
    await reference(alg);
  }
  const o: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    o.push(await time(() => ours(alg)));
    r.push(await time(() => reference(alg)));
  }
  return { ours: o, ref: r };
}

/**
 * Where our time goes: key generation (generateKey), signing (the signature primitive over a
 * to-be-signed block of a real certificate's size, as the engine calls it), and the rest of
 * making the certificate (PEM parse of the key, SPKI export, SKI hash, extensions, @peculiar's
 * ASN.1/DER encoding, PEM output), reported as "encoding".
 */
async function breakdown(alg: KeyAlgorithm): Promise<{ key: number; encoding: number; signing: number }> {
  const key: number[] = [];
  const cert: number[] = [];
  const sig: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const keyPem = await generateKey(alg);
    const t1 = performance.now();
    const certPem = await createSelfSignedClientCert({ keyPem, sans: SANS, commonName: 'bench', days: 30 });
    const t2 = performance.now();
    const tbsSize = new X509Certificate(certPem).raw.length - 80;
    const k = createPrivateKey(keyPem);
    const tbs = randomBytes(tbsSize);
    const t3 = performance.now();
    sign('sha256', tbs, alg.startsWith('ecdsa') ? { key: k, dsaEncoding: 'ieee-p1363' } : k);
    sig.push(performance.now() - t3);
    key.push(t1 - t0);
    cert.push(t2 - t1);
  }
  const signing = median(sig);
  return { key: median(key), encoding: Math.max(0, median(cert) - signing), signing };
}

async function main(): Promise<void> {
  const rows: Array<{ operation: string; oursMedianMs: number; reference: string; referenceMedianMs: number; ratio: number; runs: number; breakdownMs: { key: number; encoding: number; signing: number } }> = [];
  for (const alg of ['ecdsa-p256', 'rsa-2048'] as const) {
    const { ours: o, ref } = await compare(alg);
    const b = await breakdown(alg);
    const om = median(o);
    const rm = median(ref);
    rows.push({
      operation: `${alg === 'ecdsa-p256' ? 'ECDSA P-256' : 'RSA-2048'} key + self-signed cert with SAN`,
      oursMedianMs: r2(om),
      reference: `openssl req -x509 -newkey ${alg === 'ecdsa-p256' ? 'ec (P-256)' : 'rsa:2048'} subprocess`,
      referenceMedianMs: r2(rm),
      ratio: r2(om / rm),
      runs: RUNS,
      breakdownMs: { key: r2(b.key), encoding: r2(b.encoding), signing: r2(b.signing) },
    });
  }
  console.log(`credentials (median of ${RUNS} runs each, after ${WARMUP} warm-up; reference: \`openssl req -x509 -newkey ...\` subprocess)\n`);
  console.log('| operation | ours (median ms) | reference (median ms) | ratio |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.operation} | ${r.oursMedianMs} | ${r.referenceMedianMs} | ${r.ratio}x |`);
  console.log('\nwhere our time goes (median ms): key generation | encoding (PEM/key import, extensions, DER) | signing');
  console.log('| operation | key | encoding | signing |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.operation} | ${r.breakdownMs.key} | ${r.breakdownMs.encoding} | ${r.breakdownMs.signing} |`);
  const ecdsa = rows[0]!;
  const target = 0.7;
  console.log(`\ntarget: ECDSA <= ${target}x openssl -> ${ecdsa.ratio <= target ? 'met' : 'NOT met'} (${ecdsa.ratio}x)`);

  // bench/results next to this file (CommonJS under tsx); from the repo root otherwise.
  const outDir = typeof __dirname === 'string' ? join(__dirname, 'results') : join(process.cwd(), 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'credentials.json'),
    JSON.stringify(
      {
        name: 'credentials',
        date: new Date().toISOString(),
        node: process.version,
        runs: RUNS,
        target: { operation: ecdsa.operation, maxRatio: target, met: ecdsa.ratio <= target },
        rows,
        notes: rows.map((r) => `${r.operation}: key ${r.breakdownMs.key} ms, encoding ${r.breakdownMs.encoding} ms, signing ${r.breakdownMs.signing} ms (medians)`),
      },
      null,
      2,
    ) + '\n',
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
