// tier: integration
/**
 * Issue 12, the consumer's view: clients that behave like the Coder extension
 * (test/store/fixtures/extension-client.ts: header command, three independent file reads, a
 * new agent per request) go through Debian's nginx with `ssl_verify_client on`, trusting only
 * the corporate CA (`openssl ca`), while the CLI re-enrols the profile 20 times by hand
 * (csr new → openssl ca → csr import-cert) and then renews it 20 times through its issuer
 * command (curl → openssl ca behind HTTP on 127.0.0.1). Same key throughout: 0 failures.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeServerIdentity } from '../helpers/mtls-server';
import { startNginxGateway, type Gateway } from '../helpers/nginx-gateway';
import { makeOpensslCa, startCaServer, type CaServer } from '../helpers/openssl-ca';
import { forkJson } from '../store/consumer-harness';
import type { Outcome } from '../store/fixtures/extension-client';
import { bundleFixtures, tempDir } from '../store/helpers';
import { makeWorld, type World } from './cli-harness';
import { keyFingerprint, sha } from './reenrol-helpers';

const bundleDir = tempDir('mtls-fixtures-');
let client = '';
const stops: Array<() => Promise<void>> = [];
before(async () => {
  client = (await bundleFixtures(bundleDir)).client;
});
after(async () => {
  await Promise.all(stops.map((s) => s()));
});

interface Load {
  requests: number;
  failures: number;
  kinds: Record<string, number>;
  stop(): Promise<void>;
}

/** Two extension-like processes with three workers each, counting every request. */
function startLoad(cfg: object): Load {
  const load: Load = { requests: 0, failures: 0, kinds: {}, stop: async () => undefined };
  const children = Array.from({ length: 2 }, () => forkJson(client, 'MTLS_CLIENT', { ...cfg, workers: 3 }));
  const stopped = children.map((c) => new Promise<void>((res) => {
    c.on('message', (m: Outcome | { stopped: true }) => {
      if ('stopped' in m) return res();
      load.requests++;
      if (!m.ok) {
        load.failures++;
        load.kinds[m.kind] = (load.kinds[m.kind] ?? 0) + 1;
      }
    });
    c.on('exit', () => res());
  }));
  load.stop = async () => {
    children.forEach((c) => c.connected && c.send({ stop: true }));
    await Promise.all(stopped);
  };
  return load;
}

async function okAsync(w: World, args: string[]) {
  const r = await w.cliAsync(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r;
}

async function until(cond: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the extension sees 0 failures through nginx during 20 re-enrolments by hand and 20 issuer renewals', async (t) => {
  const w = makeWorld('reenrol-consumer');
  const ca = makeOpensslCa('Corp Issuing CA', w.root);
  const server = makeServerIdentity();
  const gw: Gateway = await startNginxGateway({ serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCaPem: ca.certPem, maxLifetimeMs: 600_000 });
  stops.push(() => gw.stop());
  const caSrv: CaServer = await startCaServer(ca, { days: 7 });
  stops.push(() => caSrv.stop());
  writeFileSync(join(w.root, 'server-ca.pem'), server.certPem);
  await okAsync(w, ['init', '--url', gw.urlFor('localhost'), '--name', 'corp', '--csr', join(w.root, 'req.csr'), '--san', 'email:dev@corp.test', '--ca-bundle', join(w.root, 'server-ca.pem'), '--header', 'X-Team=blue']);
  writeFileSync(join(w.root, 'c0.crt'), await ca.sign(readFileSync(join(w.root, 'req.csr'), 'utf8'), { days: 7 }));
  await okAsync(w, ['csr', 'import-cert', join(w.root, 'c0.crt')]);
  const s = w.settings();
  const cfg = { url: `${gw.urlFor('localhost')}/`, headerCommand: String(s['coder.headerCommand']), cert: String(s['coder.tlsCertFile']), key: String(s['coder.tlsKeyFile']), ca: String(s['coder.tlsCaFile']) };
  const settings0 = { sha: sha(readFileSync(w.codeSettings)), ino: statSync(w.codeSettings).ino };
  const fp = keyFingerprint(w);

  // By hand: 20 × (csr new → openssl ca → csr import-cert), with the extension busy throughout.
  const byHand = startLoad(cfg);
  await until(() => byHand.requests >= 50);
  const started1 = Date.now();
  const reqBefore1 = byHand.requests;
  for (let i = 1; i <= 20; i++) {
    // Paced so that the requests fall during the re-enrolments: at least 50 per round.
    const round = byHand.requests;
    const csr = join(w.root, `r${i}.csr`);
    await okAsync(w, ['csr', 'new', '--out', csr]);
    writeFileSync(join(w.root, `c${i}.crt`), await ca.sign(readFileSync(csr, 'utf8'), { days: 7 }));
    await okAsync(w, ['csr', 'import-cert', join(w.root, `c${i}.crt`)]);
    await until(() => byHand.requests >= round + 50);
  }
  const during1 = byHand.requests - reqBefore1;
  await until(() => byHand.requests >= 1000);
  await byHand.stop();
  const gens1 = w.json(['status']).generations[0].number;
  t.diagnostic(`by hand: 20 re-enrolments in ${Date.now() - started1} ms, ${during1} requests while they ran, ${byHand.requests} in all through nginx, ${byHand.failures} failed ${JSON.stringify(byHand.kinds)}; now generation ${gens1}`);
  assert.equal(gens1, 21);
  assert.equal(byHand.failures, 0, JSON.stringify(byHand.kinds));
  assert.ok(during1 >= 1000, `${during1} requests during the re-enrolments`);

  // Automatic: 20 renewals through the issuer command.
  await okAsync(w, ['edit', '--issuer-command', caSrv.command]);
  const auto = startLoad(cfg);
  await until(() => auto.requests >= 50);
  const started2 = Date.now();
  const reqBefore2 = auto.requests;
  for (let i = 1; i <= 20; i++) {
    const round = auto.requests;
    await okAsync(w, ['renew']);
    await until(() => auto.requests >= round + 50);
  }
  const during2 = auto.requests - reqBefore2;
  await until(() => auto.requests >= 1000);
  await auto.stop();
  const gens2 = w.json(['status']).generations[0].number;
  t.diagnostic(`issuer command: 20 renewals in ${Date.now() - started2} ms (${caSrv.requests()} CA requests), ${during2} requests while they ran, ${auto.requests} in all through nginx, ${auto.failures} failed ${JSON.stringify(auto.kinds)}; now generation ${gens2}`);
  assert.equal(gens2, 41);
  assert.equal(auto.failures, 0, JSON.stringify(auto.kinds));
  assert.ok(during2 >= 1000, `${during2} requests during the issuer renewals`);

  assert.equal(keyFingerprint(w), fp);
  assert.deepEqual({ sha: sha(readFileSync(w.codeSettings)), ino: statSync(w.codeSettings).ino }, settings0);
  t.diagnostic(`key ${fp.slice(0, 16)} throughout; settings.json ${settings0.sha.slice(0, 16)} inode ${settings0.ino} unchanged`);
});
