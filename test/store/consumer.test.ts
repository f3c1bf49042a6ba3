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
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { settingsValues } from '../../main/settings/settings-values';
import { forkJson, runPhase, startServer } from './consumer-harness';
import { HEADERS, awkwardDataDir, bundleFixtures, newStore, opensslCa, seedProfile, tempDir } from './helpers';

const bundleDir = tempDir('mtls-fixtures-');
let fixtures = { writer: '', server: '', client: '' };
before(async () => {
  fixtures = await bundleFixtures(bundleDir);
});

test('consumer like the Coder extension: 0 failures while another process renews 100 times; rotation failures measured', async (t) => {
  const root = tempDir();
  const data = awkwardDataDir();
  assert.match(data, / /);
  assert.match(data, /'/);
  const ca = opensslCa(root);
  const issuerFile = join(root, 'issuer.json');
  writeFileSync(issuerFile, JSON.stringify(ca));
  const server = await startServer(fixtures.server, ca.certPem, HEADERS.find((h) => h.name === 'X-Team')!.value);
  t.after(() => server.child.kill('SIGKILL'));

  const store = newStore(data);
  // The profile's CA bundle is the deployment's server certificate: it becomes ca.crt / coder.tlsCaFile.
  await seedProfile(store, 'acme', { issuer: ca, ca: server.serverCert, days: 7 });
  await store.installScripts();
  const { values } = settingsValues({ paths: store.paths, platform: 'linux', hasCa: true, hasHeaders: true });
  const clientCfg = { url: server.url, headerCommand: values['coder.headerCommand']!, cert: values['coder.tlsCertFile']!, key: values['coder.tlsKeyFile']!, ca: values['coder.tlsCaFile']! };

  const writer = forkJson(fixtures.writer, 'MTLS_WRITER', { dataDir: data, profile: 'acme', headers: HEADERS, mode: 'ipc', issuerFile });
  t.after(() => writer.kill('SIGKILL'));
  await new Promise<void>((res) => writer.once('message', () => res()));

  const renew = await runPhase(fixtures.client, writer, clientCfg, 'renew', 100, 3000, 30);
  const seenAfterRenew = await server.seen();
  t.diagnostic(`renew x${renew.ops}: ${renew.requests} requests in ${renew.ms} ms, ${renew.failures} failed ${JSON.stringify(renew.kinds)}; ` +
    `${seenAfterRenew} distinct certificates presented; X-Client-Cert-Sha256 ({{cert.sha256}}) stale on ${renew.fpHeaderStale} requests (straddled a swap); the key pin header always matched`);
  assert.deepEqual(renew.opErrors, []);
  assert.equal(renew.ops, 100);
  assert.ok(renew.requests >= 3000, `only ${renew.requests} requests`);
  assert.equal(renew.failures, 0, `failed requests during renewals: ${JSON.stringify(renew.kinds)}`);
  assert.ok(seenAfterRenew >= 60, `requests did not interleave with the renewals: only ${seenAfterRenew} certificates seen`);

  const rotate = await runPhase(fixtures.client, writer, clientCfg, 'rotate', 20, 600, 30);
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
