// The connection doctor against a real nginx mTLS gateway (proxying to the Coder stand-in),
// each operation against what a person would type for the same answer, measured in the same
// run and interleaved so load on the machine hits both alike:
//  - the SAN check: ours in-process vs `openssl s_client | openssl x509 -ext subjectAltName`;
//  - the extension's first request: ours (Node https, cert+key+ca+header) vs `curl --cert --key --cacert -H`;
//  - a whole doctor run (every check, one editor) vs both commands above in one shell.
// Writes bench/results/doctor.json. Needs nginx (apt-get install -y nginx).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runDoctor } from '../main/doctor';
import { sansCover } from '../main/doctor/server-names';
import { httpsGet, readServerChain } from '../main/doctor/tls-probes';
import { startCoderStandIn } from '../test/helpers/coder-stand-in';
import { startNginxGateway } from '../test/helpers/nginx-gateway';
import { createTestCa } from '../test/doctor/openssl-pki';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);
const run = promisify(execFile);
const TOKEN = { name: 'X-Gateway-Token', value: 'bench-token' };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-bench-doctor-'));
  const standIn = await startCoderStandIn({ requiredHeader: TOKEN });
  try {
    const [serverCa, clientCa] = await Promise.all([createTestCa(dir, 'server-ca'), createTestCa(dir, 'client-ca')]);
    const [server, client] = await Promise.all([
      serverCa.issue({ cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'], usage: 'server' }),
      clientCa.issue({ cn: 'bench@example.com', usage: 'client' }),
    ]);
    const gw = await startNginxGateway({ serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCaPem: clientCa.certPem, upstreamPort: standIn.port });
    try {
      const ep = { host: 'localhost', port: gw.port, servername: 'localhost' };
      const url = `${gw.urlFor('localhost')}/api/v2/buildinfo`;
      const sanShell = `openssl s_client -connect 127.0.0.1:${gw.port} -servername localhost </dev/null 2>/dev/null | openssl x509 -noout -ext subjectAltName`;
      const curlShell = `curl -sS --fail --cert ${q(client.certPath)} --key ${q(client.keyPath)} --cacert ${q(serverCa.certPath)} -H ${q(`${TOKEN.name}: ${TOKEN.value}`)} ${q(url)}`;

      const ops = [
        {
          operation: 'server certificate SAN check (handshake, read chain, match host)',
          reference: 'openssl s_client | openssl x509 -ext subjectAltName',
          ours: async () => {
            const r = await readServerChain(ep, { ca: serverCa.certPem, timeoutMs: 5000 });
            if (!r.ok || !sansCover(r.chain.leaf, 'localhost')) throw new Error('SAN check failed');
          },
          ref: async () => {
            const r = await run('sh', ['-c', sanShell]);
            if (!r.stdout.includes('DNS:localhost')) throw new Error(`no SAN in: ${r.stdout}`);
          },
        },
        {
          operation: 'GET /api/v2/buildinfo through nginx with cert, key, CA and header',
          reference: 'curl --cert --key --cacert -H',
          ours: async () => {
            const r = await httpsGet(ep, {
              path: '/api/v2/buildinfo', ca: serverCa.certPem, cert: client.certPem, key: client.keyPem,
              rejectUnauthorized: true, headers: { [TOKEN.name]: TOKEN.value }, timeoutMs: 5000,
            });
            if (r.kind !== 'response' || r.status !== 200) throw new Error('request failed');
          },
          ref: async () => {
            await run('sh', ['-c', curlShell]);
          },
        },
        {
          operation: 'whole doctor run (10 checks, header command, 1 editor)',
          reference: 'the two commands above in one shell',
          ours: async () => {
            const report = await runDoctor({
              url: gw.urlFor('localhost'), caBundlePem: serverCa.certPem, certPem: client.certPem, keyPem: client.keyPem,
              headerCommand: `printf '%s\\n' ${q(`${TOKEN.name}=${TOKEN.value}`)}`,
              editors: [{ id: 'code', settingsPath: '/s.json', values: { 'coder.tlsCertFile': '/c.crt', 'http.proxySupport': 'on' } }],
              expected: { 'coder.tlsCertFile': '/c.crt' },
              timeoutMs: 5000,
            });
            if (!report.ok) throw new Error(JSON.stringify(report.checks.filter((c) => c.status === 'fail')));
          },
          ref: async () => {
            await run('sh', ['-c', `${sanShell} >/dev/null && ${curlShell} >/dev/null`]);
          },
        },
      ];

      const rows = [];
      for (const op of ops) {
        for (let i = 0; i < 3; i++) {
          await op.ours();
          await op.ref();
        }
        const ours: number[] = [];
        const ref: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          ours.push(await time(op.ours));
          ref.push(await time(op.ref));
        }
        rows.push({
          operation: op.operation,
          reference: op.reference,
          oursMedianMs: +median(ours).toFixed(2),
          referenceMedianMs: +median(ref).toFixed(2),
          ratio: +(median(ours) / median(ref)).toFixed(2),
          runs: RUNS,
        });
      }

      console.log('| operation | ours (median ms) | reference (median ms) | ratio |');
      console.log('|---|---|---|---|');
      for (const r of rows) console.log(`| ${r.operation} | ${r.oursMedianMs} | ${r.referenceMedianMs} (${r.reference}) | ${r.ratio}x |`);
      const notes = ['ours runs in-process; each reference starts openssl/curl processes, as a person diagnosing by hand would'];
      mkdirSync(join(__dirname, 'results'), { recursive: true });
      writeFileSync(
        join(__dirname, 'results', 'doctor.json'),
        `${JSON.stringify({ name: 'doctor', date: new Date().toISOString(), node: process.version, notes, rows }, null, 2)}\n`,
      );
    } finally {
      await gw.stop();
    }
  } finally {
    await standIn.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
