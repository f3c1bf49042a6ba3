// The consumer test (issue 3, "What it must show"): clients that behave like the Coder
// extension (fixtures/extension-client.ts: per request, run coder.headerCommand with
// exec = sh -c and CODER_URL, parse strictly, read cert, key and CA with three independent
// readFile calls, HTTPS request with a new agent) hammer a local mutual-TLS server
// (fixtures/mtls-server.ts) while ANOTHER PROCESS (fixtures/store-writer.ts) renews the
// certificate 100 times, then rotates it 20 times. All of them are separate processes, as
// in real life (extension host, deployment, tray/CLI), which also spreads the work over
// the cores.
//
// The server requires a client certificate issued by the local CA AND the header
// X-Client-Key-Pin = SHA-256 of the presented certificate's public key ({{cert.spki.sha256}}).
// It also reports whether X-Client-Cert-Sha256 ({{cert.sha256}}) matched: that header
// changes at every renewal, so a request whose header command and file reads straddle a
// swap can carry the previous value. That count is printed, not asserted.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { createSelfSignedClientCert, generateKey } from '../../main/credentials';
import { settingsValues } from '../../main/store';
import type { Outcome } from './fixtures/extension-client';
import { HEADERS, awkwardDataDir, bundleFixtures, newStore, opensslCa, seedProfile, tempDir } from './helpers';

const bundleDir = tempDir('mtls-fixtures-');
let fixtures = { writer: '', server: '', client: '' };
before(async () => {
  fixtures = await bundleFixtures(bundleDir);
});

function forkJson(path: string, envName: string, cfg: object): ChildProcess {
  return fork(path, [], { env: { ...process.env, [envName]: JSON.stringify(cfg) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

async function startServer(caPem: string, team: string) {
  const key = await generateKey('ecdsa-p256');
  const cert = await createSelfSignedClientCert({ keyPem: key, sans: [{ type: 'ip', value: '127.0.0.1' }], commonName: '127.0.0.1', days: 2, serverAuth: true });
  const child = forkJson(fixtures.server, 'MTLS_SERVER', { key, cert, ca: caPem, team });
  const { port } = await new Promise<{ port: number }>((res) => child.once('message', res as never));
  const seen = () => new Promise<number>((res) => {
    child.once('message', (m: { seen: number }) => res(m.seen));
    child.send({ stats: true });
  });
  return { child, url: `https://127.0.0.1:${port}/api/v2/users/me`, serverCert: cert, seen };
}

interface PhaseResult { requests: number; failures: number; kinds: Record<string, number>; fpHeaderStale: number; ops: number; opErrors: string[]; ms: number }

/**
 * Starts `clients` extension-like processes and asks the writer for one `op` every `every`
 * completed requests, until it has done `ops` of them and at least `minRequests` ran.
 */
async function runPhase(writer: ChildProcess, clientCfg: object, op: 'renew' | 'rotate', ops: number, minRequests: number, every: number, clients = 2): Promise<PhaseResult> {
  const r: PhaseResult = { requests: 0, failures: 0, kinds: {}, fpHeaderStale: 0, ops: 0, opErrors: [], ms: 0 };
  const started = performance.now();
  let sent = 0;
  let finish!: () => void;
  const finished = new Promise<void>((res) => (finish = res));
  const check = () => {
    if (sent >= ops && r.ops >= ops && r.requests >= minRequests) finish();
  };
  const onAck = (m: { id?: number; error?: string }) => {
    if (m.id === undefined) return;
    r.ops++;
    if (m.error) r.opErrors.push(m.error);
    check();
  };
  writer.on('message', onAck);
  const children = Array.from({ length: clients }, () => forkJson(fixtures.client, 'MTLS_CLIENT', { ...clientCfg, workers: 3 }));
  const stopped = children.map((c) => new Promise<void>((res) => {
    c.on('message', (m: Outcome | { stopped: true }) => {
      if ('stopped' in m) return res();
      r.requests++;
      if (!m.ok) {
        r.failures++;
        r.kinds[m.kind] = (r.kinds[m.kind] ?? 0) + 1;
      } else if (!m.fp) r.fpHeaderStale++;
      if (r.requests % every === 0 && sent < ops) writer.send({ op, id: ++sent });
      check();
    });
    c.on('exit', () => res());
  }));
  await finished;
  children.forEach((c) => c.send({ stop: true }));
  await Promise.all(stopped);
  writer.off('message', onAck);
  r.ms = Math.round(performance.now() - started);
  return r;
}

test('consumer like the Coder extension: 0 failures while another process renews 100 times; rotation failures measured', async (t) => {
  const root = tempDir();
  const data = awkwardDataDir();
  assert.match(data, / /);
  assert.match(data, /'/);
  const ca = opensslCa(root);
  const issuerFile = join(root, 'issuer.json');
  writeFileSync(issuerFile, JSON.stringify(ca));
  const server = await startServer(ca.certPem, HEADERS.find((h) => h.name === 'X-Team')!.value);
  t.after(() => server.child.kill('SIGKILL'));

  const store = newStore(data);
  // The profile's CA bundle is the deployment's server certificate: it becomes ca.crt / coder.tlsCaFile.
  await seedProfile(store, 'acme', { issuer: ca, ca: server.serverCert, days: 7 });
  await store.installScripts();
  const { values } = settingsValues({ paths: store.paths, platform: 'linux', hasCa: true });
  const clientCfg = { url: server.url, headerCommand: values['coder.headerCommand']!, cert: values['coder.tlsCertFile']!, key: values['coder.tlsKeyFile']!, ca: values['coder.tlsCaFile']! };

  const writer = forkJson(fixtures.writer, 'MTLS_WRITER', { dataDir: data, profile: 'acme', headers: HEADERS, mode: 'ipc', issuerFile });
  t.after(() => writer.kill('SIGKILL'));
  await new Promise<void>((res) => writer.once('message', () => res()));

  const renew = await runPhase(writer, clientCfg, 'renew', 100, 3000, 30);
  const seenAfterRenew = await server.seen();
  t.diagnostic(`renew x${renew.ops}: ${renew.requests} requests in ${renew.ms} ms, ${renew.failures} failed ${JSON.stringify(renew.kinds)}; ` +
    `${seenAfterRenew} distinct certificates presented; X-Client-Cert-Sha256 ({{cert.sha256}}) stale on ${renew.fpHeaderStale} requests (straddled a swap); the key pin header always matched`);
  assert.deepEqual(renew.opErrors, []);
  assert.equal(renew.ops, 100);
  assert.ok(renew.requests >= 3000, `only ${renew.requests} requests`);
  assert.equal(renew.failures, 0, `failed requests during renewals: ${JSON.stringify(renew.kinds)}`);
  assert.ok(seenAfterRenew >= 60, `requests did not interleave with the renewals: only ${seenAfterRenew} certificates seen`);

  const rotate = await runPhase(writer, clientCfg, 'rotate', 20, 600, 30);
  const seenAfterRotate = await server.seen();
  t.diagnostic(`rotate x${rotate.ops}: ${rotate.requests} requests in ${rotate.ms} ms, ${rotate.failures} failed ${JSON.stringify(rotate.kinds)}; ` +
    `${seenAfterRotate - seenAfterRenew} new certificates presented; X-Client-Cert-Sha256 stale on ${rotate.fpHeaderStale}`);
  assert.deepEqual(rotate.opErrors, []);
  assert.equal(rotate.ops, 20);
  assert.ok(rotate.requests >= 600);
  assert.ok(rotate.failures < rotate.requests / 10, `rotation broke more than the straddling requests: ${JSON.stringify(rotate.kinds)}`);
  const gens = await store.listGenerations('acme');
  assert.equal(gens[0]!.number, 121);
  assert.equal(gens[0]!.operation, 'rotate');
});
