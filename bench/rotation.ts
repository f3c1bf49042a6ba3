// bench/rotation: renew (same key) and rotate (new key) of an ECDSA P-256 profile end to
// end, as the tray or `mtls-tray renew|rotate` run them: writer lock, read the current
// generation, new certificate, headers, a new generation dir with every file fsynced,
// rename, swap of `current`, prune. The reference is the crypto alone (the credential
// engine's calls without any file), measured in the same run, so the ratio shows what the
// atomic, durable publication costs on this disk.
// Run: node --import tsx bench/rotation.ts [runs]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedClientCert, generateKey, renewCertificate } from '../main/credentials/making';
import { CredentialStore, renderHeadersFile } from '../main/store';
import { renewProfile, rotateProfile } from '../main/services/reissue';

const RUNS = Math.max(20, Number(process.argv[2] ?? 40));
const HEADERS = [
  { name: 'X-Client-Key-Pin', value: '{{cert.spki.sha256}}' },
  { name: 'X-Client-Cert-Sha256', value: '{{cert.sha256}}' },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'mtls-bench-'));
  try {
    const store = new CredentialStore({ dataDir: join(root, 'mtls-tray') });
    const key = await generateKey('ecdsa-p256');
    const cert = await createSelfSignedClientCert({ keyPem: key, sans: [{ type: 'email', value: 'dev@example.com' }], commonName: 'dev', days: 30 });
    await store.createProfileDir('bench');
    await store.writeGeneration('bench', { cert, key, headers: renderHeadersFile(HEADERS, cert) }, { operation: 'create' });
    await store.setActive('bench');

    const opts = { days: 30, headers: HEADERS };
    const renew = () => renewProfile(store, 'bench', opts);
    const rotate = () => rotateProfile(store, 'bench', { ...opts, keyAlgorithm: 'ecdsa-p256' });
    const cryptoRenew = () => renewCertificate({ certPem: cert, keyPem: key, days: 30 });
    const cryptoRotate = async () => renewCertificate({ certPem: cert, keyPem: await generateKey('ecdsa-p256'), days: 30 });
    for (let i = 0; i < 5; i++) for (const f of [renew, rotate, cryptoRenew, cryptoRotate]) await f();

    const s = { renew: [] as number[], rotate: [] as number[], cryptoRenew: [] as number[], cryptoRotate: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      s.renew.push(await time(renew));
      s.cryptoRenew.push(await time(cryptoRenew));
      s.rotate.push(await time(rotate));
      s.cryptoRotate.push(await time(cryptoRotate));
    }
    const row = (operation: string, ours: number[], reference: string, ref: number[]) => {
      const [o, r] = [median(ours), median(ref)];
      return { operation, oursMedianMs: r2(o), reference, referenceMedianMs: r2(r), ratio: r2(o / r), runs: RUNS, p90Ms: r2([...ours].sort((a, b) => a - b)[Math.floor(RUNS * 0.9)]!) };
    };
    const rows = [
      row('renew ECDSA P-256 end to end (lock, new cert, fsynced generation, swap, prune)', s.renew, 'renewCertificate alone, no files', s.cryptoRenew),
      row('rotate ECDSA P-256 end to end (new key, new cert, fsynced generation, swap, prune)', s.rotate, 'generateKey + renewCertificate alone, no files', s.cryptoRotate),
    ];
    console.log('| operation | ours (median ms) | reference (median ms) | ratio |');
    console.log('|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.operation} | ${r.oursMedianMs} | ${r.referenceMedianMs} (${r.reference}) | ${r.ratio}x |`);
    const out = join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'rotation.json'), JSON.stringify({
      name: 'rotation',
      date: new Date().toISOString(),
      node: process.version,
      runs: RUNS,
      rows,
      notes: [
        `load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores shared)`,
        'the difference to the reference is mostly fsync: 5 files (concurrently) + 3 directories per generation',
      ],
    }, null, 2) + '\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
