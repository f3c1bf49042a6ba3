// The consumer test (issue 3, "What it must show"): a client that behaves like the Coder
// extension (DESIGN.md §1) hammers a local mutual-TLS server while ANOTHER PROCESS renews
// the certificate 100 times, then rotates it 20 times.
//
// Per request, like vscode-coder: run coder.headerCommand with child_process.exec (sh -c)
// and CODER_URL, parse the output strictly; read cert, key and CA with three independent
// readFile calls; make the HTTPS request with a new agent holding them.
// The server (node https on 127.0.0.1, fixtures/mtls-server.ts) requires a client certificate issued by the local CA
// AND the header X-Client-Key-Pin = SHA-256 of the presented certificate's public key
// ({{cert.spki.sha256}}). It also reports whether X-Client-Cert-Sha256 ({{cert.sha256}})
// matched the presented certificate: that header changes at every renewal, so a request
// whose header command and file reads straddle a swap can send the previous value; that
// count is printed, not asserted.
import assert from 'node:assert/strict';
import { exec, fork, type ChildProcess } from 'node:child_process';
import { promises as fsp, writeFileSync } from 'node:fs';
import { request, Agent } from 'node:https';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { createSelfSignedClientCert, generateKey } from '../../main/credentials';
import { settingsValues } from '../../main/store';
import { HEADERS, awkwardDataDir, bundleFixtures, newStore, opensslCa, parseLikeExtension, seedProfile, tempDir } from './helpers';

const execP = promisify(exec);
const bundleDir = tempDir('mtls-writer-');
let fixtures = { writer: '', server: '' };
before(async () => {
  fixtures = await bundleFixtures(bundleDir);
});

interface Outcome { ok: boolean; kind: string; fpHeaderMatched?: boolean }

/** The mTLS server (fixtures/mtls-server.ts) in its own process. */
async function startServer(caPem: string, team: string): Promise<{ child: ChildProcess; url: string; serverCert: string; seen: () => Promise<number> }> {
  const key = await generateKey('ecdsa-p256');
  const cert = await createSelfSignedClientCert({ keyPem: key, sans: [{ type: 'ip', value: '127.0.0.1' }], commonName: '127.0.0.1', days: 2, serverAuth: true });
  const child = fork(fixtures.server, [], { env: { ...process.env, MTLS_SERVER: JSON.stringify({ key, cert, ca: caPem, team }) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise<{ port: number }>((res) => child.once('message', res as never));
  const seen = () => new Promise<number>((res) => {
    child.once('message', (m: { seen: number }) => res(m.seen));
    child.send({ stats: true });
  });
  return { child, url: `https://127.0.0.1:${port}/api/v2/users/me`, serverCert: cert, seen };
}

/** One request the way the Coder extension makes it. */
async function extensionRequest(url: string, s: { headerCommand: string; cert: string; key: string; ca: string }): Promise<Outcome> {
  let headers: Record<string, string>;
  try {
    const { stdout } = await execP(s.headerCommand, { env: { ...process.env, CODER_URL: url } });
    headers = parseLikeExtension(stdout);
  } catch (err) {
    return { ok: false, kind: `header command: ${(err as Error).message.split('\n')[0]}` };
  }
  let cert: Buffer, key: Buffer, ca: Buffer;
  try {
    [cert, key, ca] = await Promise.all([fsp.readFile(s.cert), fsp.readFile(s.key), fsp.readFile(s.ca)]);
  } catch (err) {
    return { ok: false, kind: `read files: ${(err as NodeJS.ErrnoException).code}` };
  }
  return new Promise<Outcome>((resolve) => {
    let agent: Agent;
    try {
      agent = new Agent({ cert, key, ca, keepAlive: false });
    } catch (err) {
      return resolve({ ok: false, kind: `agent: ${(err as Error).message}` });
    }
    const req = request(url, { agent, headers, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => {
        agent.destroy();
        if (res.statusCode === 200) resolve({ ok: true, kind: 'ok', fpHeaderMatched: res.headers['x-fp-match'] === '1' });
        else resolve({ ok: false, kind: `HTTP ${res.statusCode}` });
      });
    });
    req.on('error', (err) => {
      agent.destroy();
      resolve({ ok: false, kind: `tls: ${err.message.replace(/^error:[0-9A-F]+:/, '')}` });
    });
    req.end();
  });
}

interface PhaseResult { requests: number; failures: number; kinds: Record<string, number>; fpHeaderMismatches: number; ops: number; opErrors: string[]; ms: number }

/**
 * Runs `workers` extension-like clients until the writer process has done `ops` operations
 * of `op` (one requested every `every` completed requests) and at least `minRequests` ran.
 */
async function runPhase(child: ChildProcess, url: string, s: Parameters<typeof extensionRequest>[1], op: 'renew' | 'rotate', ops: number, minRequests: number, every: number, workers = 4): Promise<PhaseResult> {
  const r: PhaseResult = { requests: 0, failures: 0, kinds: {}, fpHeaderMismatches: 0, ops: 0, opErrors: [], ms: 0 };
  let sent = 0;
  let nextId = 1;
  const pending = new Map<number, () => void>();
  const onMessage = (m: { id?: number; error?: string }) => {
    if (m.id === undefined) return;
    r.ops++;
    if (m.error) r.opErrors.push(m.error);
    pending.get(m.id)?.();
    pending.delete(m.id);
  };
  child.on('message', onMessage);
  const acks: Promise<void>[] = [];
  const started = performance.now();
  const done = () => sent >= ops && r.ops >= ops && r.requests >= minRequests;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (!done()) {
      const o = await extensionRequest(url, s);
      r.requests++;
      if (!o.ok) {
        r.failures++;
        r.kinds[o.kind] = (r.kinds[o.kind] ?? 0) + 1;
      } else if (!o.fpHeaderMatched) r.fpHeaderMismatches++;
      if (r.requests % every === 0 && sent < ops) {
        const id = nextId++;
        sent++;
        acks.push(new Promise<void>((res) => pending.set(id, res)));
        child.send({ op, id });
      }
    }
  }));
  await Promise.all(acks);
  child.off('message', onMessage);
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
  const { child: serverChild, url, serverCert, seen } = await startServer(ca.certPem, HEADERS.find((h) => h.name === 'X-Team')!.value);
  t.after(() => serverChild.kill('SIGKILL'));

  const store = newStore(data);
  // The profile's CA bundle is the deployment's server certificate: it becomes ca.crt / coder.tlsCaFile.
  await seedProfile(store, 'acme', { issuer: ca, ca: serverCert, days: 7 });
  await store.installScripts();
  const { values } = settingsValues({ paths: store.paths, platform: 'linux', hasCa: true });
  const s = { headerCommand: values['coder.headerCommand']!, cert: values['coder.tlsCertFile']!, key: values['coder.tlsKeyFile']!, ca: values['coder.tlsCaFile']! };

  // Sanity: one request works before any writer runs.
  assert.deepEqual((await extensionRequest(url, s)).kind, 'ok');

  const child = fork(fixtures.writer, [], { env: { ...process.env, MTLS_WRITER: JSON.stringify({ dataDir: data, profile: 'acme', headers: HEADERS, mode: 'ipc', issuerFile }) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  t.after(() => child.kill('SIGKILL'));
  await new Promise<void>((res) => child.once('message', () => res()));

  const renew = await runPhase(child, url, s, 'renew', 100, 3000, 30);
  const seenAfterRenew = await seen();
  t.diagnostic(`renew x${renew.ops}: ${renew.requests} requests in ${renew.ms} ms, ${renew.failures} failed ${JSON.stringify(renew.kinds)}; ` +
    `${seenAfterRenew} distinct certificates presented; X-Client-Cert-Sha256 ({{cert.sha256}}) stale on ${renew.fpHeaderMismatches} requests (straddled a swap), key pin header always matched`);
  assert.deepEqual(renew.opErrors, []);
  assert.equal(renew.ops, 100);
  assert.ok(renew.requests >= 3000, `only ${renew.requests} requests`);
  assert.equal(renew.failures, 0, `failed requests during renewals: ${JSON.stringify(renew.kinds)}`);
  assert.ok(seenAfterRenew >= 60, `requests did not interleave with the renewals: only ${seenAfterRenew} certificates seen`);

  const rotate = await runPhase(child, url, s, 'rotate', 20, 600, 30);
  const seenAfterRotate = await seen();
  t.diagnostic(`rotate x${rotate.ops}: ${rotate.requests} requests in ${rotate.ms} ms, ${rotate.failures} failed ${JSON.stringify(rotate.kinds)}; ` +
    `${seenAfterRotate - seenAfterRenew} new certificates presented; X-Client-Cert-Sha256 stale on ${rotate.fpHeaderMismatches}`);
  console.log(`consumer: renew x100 -> ${renew.failures}/${renew.requests} failed; rotate x20 -> ${rotate.failures}/${rotate.requests} failed ${JSON.stringify(rotate.kinds)}`);
  assert.deepEqual(rotate.opErrors, []);
  assert.equal(rotate.ops, 20);
  // After the dust settles every request works again.
  assert.equal((await extensionRequest(url, s)).kind, 'ok');
  const gens = await store.listGenerations('acme');
  assert.equal(gens[0]!.number, 121);
  assert.equal(gens[0]!.operation, 'rotate');
});
