// The consumer test's machinery, shared by the links-layout run (consumer.test.ts) and the
// fixed-layout run (fixed-layout.test.ts): a local mutual-TLS server process, clients that
// behave like the Coder extension (fixtures/extension-client.ts), and a writer process
// (fixtures/store-writer.ts) asked for one renew/rotate every so many requests.
import { fork, type ChildProcess } from 'node:child_process';
import { createSelfSignedClientCert, generateKey } from '../../main/credentials/making';
import type { Outcome } from './fixtures/extension-client';

export function forkJson(path: string, envName: string, cfg: object): ChildProcess {
  return fork(path, [], { env: { ...process.env, [envName]: JSON.stringify(cfg) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The deployment: requires a client certificate from `caPem` and the key pin header (fixtures/mtls-server.ts). */
export async function startServer(serverScript: string, caPem: string, team: string) {
  const key = await generateKey('ecdsa-p256');
  const cert = await createSelfSignedClientCert({ keyPem: key, sans: [{ type: 'ip', value: '127.0.0.1' }], commonName: '127.0.0.1', days: 2, serverAuth: true });
  const child = forkJson(serverScript, 'MTLS_SERVER', { key, cert, ca: caPem, team });
  const { port } = await new Promise<{ port: number }>((res) => child.once('message', res as never));
  const seen = () => new Promise<number>((res) => {
    child.once('message', (m: { seen: number }) => res(m.seen));
    child.send({ stats: true });
  });
  return { child, url: `https://127.0.0.1:${port}/api/v2/users/me`, serverCert: cert, seen };
}

export interface PhaseResult { requests: number; failures: number; kinds: Record<string, number>; fpHeaderStale: number; ops: number; opErrors: string[]; ms: number }

/**
 * Starts `clients` extension-like processes and asks the writer for one `op` every `every`
 * completed requests, until it has done `ops` of them and at least `minRequests` ran.
 */
export async function runPhase(clientScript: string, writer: ChildProcess, clientCfg: object, op: 'renew' | 'rotate', ops: number, minRequests: number, every: number, clients = 2): Promise<PhaseResult> {
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
  const children = Array.from({ length: clients }, () => forkJson(clientScript, 'MTLS_CLIENT', { ...clientCfg, workers: 3 }));
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
