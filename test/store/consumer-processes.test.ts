// tier: integration
// Process starts per request, counted by the extension-like client (fixtures/extension-client.ts):
// the Coder extension runs coder.headerCommand before every request when the setting is set,
// and starts nothing when it is empty (DESIGN §1, §3). With our settings: 0 for a profile
// without headers, 1 for a profile with headers. (The cost of that 1 against `sh -c 'cat file'`
// is bench/header-command.ts.)
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { before, test } from 'node:test';
import { settingsValues } from '../../main/settings/settings-values';
import { forkJson, startServer } from './consumer-harness';
import type { Outcome } from './fixtures/extension-client';
import { HEADERS, awkwardDataDir, bundleFixtures, newStore, opensslCa, seedProfile, tempDir } from './helpers';

const REQUESTS = 60;
const bundleDir = tempDir('mtls-fixtures-');
let fixtures = { writer: '', server: '', client: '' };
before(async () => {
  fixtures = await bundleFixtures(bundleDir);
});

function collect(child: ChildProcess, n: number): Promise<Outcome[]> {
  const out: Outcome[] = [];
  return new Promise((resolve) => {
    child.on('message', (m: Outcome | { stopped: true }) => {
      if ('stopped' in m) return resolve(out);
      out.push(m);
      if (out.length === n) child.send({ stop: true });
    });
    child.on('exit', () => resolve(out));
  });
}

for (const withHeaders of [false, true]) {
  test(`process starts per request with a profile ${withHeaders ? 'with' : 'without'} headers: ${withHeaders ? 1 : 0}`, async (t) => {
    const root = tempDir();
    const ca = opensslCa(root);
    const server = await startServer(fixtures.server, ca.certPem, '');
    t.after(() => server.child.kill('SIGKILL'));
    const store = newStore(awkwardDataDir());
    await seedProfile(store, 'acme', { issuer: ca, ca: server.serverCert, headers: withHeaders ? HEADERS : [] });
    await store.installScripts();
    const { values } = settingsValues({ paths: store.paths, platform: 'linux', hasCa: true, hasHeaders: withHeaders });
    assert.equal(values['coder.headerCommand'] === undefined, !withHeaders);
    const client = forkJson(fixtures.client, 'MTLS_CLIENT', {
      url: server.url, headerCommand: values['coder.headerCommand'] ?? '', cert: values['coder.tlsCertFile'], key: values['coder.tlsKeyFile'], ca: values['coder.tlsCaFile'], workers: 1,
    });
    t.after(() => client.kill('SIGKILL'));
    const started = performance.now();
    const outcomes = (await collect(client, REQUESTS)).slice(0, REQUESTS);
    const ms = performance.now() - started;
    assert.equal(outcomes.length, REQUESTS);
    assert.deepEqual(outcomes.filter((o) => !o.ok).map((o) => o.kind), []);
    const procs = outcomes.reduce((n, o) => n + (o.procs ?? 0), 0);
    assert.equal(procs / REQUESTS, withHeaders ? 1 : 0);
    t.diagnostic(`${withHeaders ? 'with' : 'without'} headers: ${REQUESTS} requests, ${procs} process starts (${procs / REQUESTS} per request), ${(ms / REQUESTS).toFixed(2)} ms per request`);
  });
}
