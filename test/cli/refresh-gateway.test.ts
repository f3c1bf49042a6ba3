// tier: integration
// The refresh hook against real gateways, driven the way the Coder extension drives it
// (DESIGN.md §1): a request with the files in place; on TLS alert 42/44/45/46 run
// coder.tlsCertRefreshCommand, and when it exits 0 re-read the files and retry once.
//  - openssl s_server -crl_check with a CRL revoking the current, seconds-old certificate:
//    one refresh renews (once for a whole burst of refreshes) and requests pass again;
//  - a gateway that trusts another CA and refuses ours: exit 1 after 2 fresh certificates,
//    with the doctor's one-line diagnosis, instead of claiming success.
import assert from 'node:assert/strict';
import { exec } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { createTestCa } from '../doctor/openssl-pki';
import { startAlertingGateway, type Gateway } from '../helpers/nginx-gateway';
import { makeWorld, type World } from './cli-harness';

const execP = promisify(exec);
const REFRESH_ALERT = /alert (bad certificate|certificate revoked|certificate expired|certificate unknown)/i;

interface Counts { requests: number; refreshes: number; refreshExits: number[]; outcome: string }

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** One request as the extension makes it, with its refresh-and-retry-once. */
async function extensionRequest(w: World, url: string, serverCa: string, counts: Counts): Promise<boolean> {
  const attempt = async (): Promise<{ ok: boolean; error?: string }> => {
    counts.requests++;
    const [cert, key] = await Promise.all([readFileSync(join(w.dataDir, 'active', 'current', 'client.crt')), readFileSync(join(w.dataDir, 'active', 'current', 'client.key'))]);
    return new Promise((resolve) => {
      const agent = new Agent({ cert, key, ca: serverCa, keepAlive: false });
      const req = request(`${url}/api/v2/buildinfo`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? { ok: true } : { ok: false, error: `HTTP ${res.statusCode}` }));
      });
      req.on('error', (e) => resolve({ ok: false, error: e.message }));
      req.end();
    });
  };
  const first = await attempt();
  if (first.ok) return (counts.outcome = 'ok'), true;
  if (!REFRESH_ALERT.test(first.error ?? '')) return (counts.outcome = `no refresh: ${first.error}`), false;
  counts.refreshes++;
  const code = await execP(sh(join(w.dataDir, 'bin', 'coder-cert-refresh')), { env: w.env }).then(() => 0, (e: { code?: number }) => e.code ?? -1);
  counts.refreshExits.push(code);
  if (code !== 0) return (counts.outcome = `refresh exit ${code}`), false;
  const second = await attempt();
  counts.outcome = second.ok ? 'ok after refresh' : `retry failed: ${second.error}`;
  return second.ok;
}

function newCounts(): Counts {
  return { requests: 0, refreshes: 0, refreshExits: [], outcome: '' };
}

function generations(w: World): number {
  const [id] = readdirSync(join(w.dataDir, 'profiles'));
  return readdirSync(join(w.dataDir, 'profiles', id!, 'generations')).length;
}

function localCa(w: World): { cert: string; key: string } {
  const [id] = readdirSync(join(w.dataDir, 'profiles'));
  const dir = join(w.dataDir, 'profiles', id!, 'local-ca');
  return { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
}

async function serialOfCurrent(w: World): Promise<string> {
  const { stdout } = await execP(`openssl x509 -in ${sh(join(w.dataDir, 'active', 'current', 'client.crt'))} -noout -serial`);
  return stdout.trim().split('=')[1]!;
}

const sleepUntilOlderThan = async (w: World, ms: number) => {
  const born = JSON.parse(readFileSync(join(w.dataDir, 'active', 'current', 'generation.json'), 'utf8')) as { createdAt?: string };
  const age = born.createdAt ? Date.now() - Date.parse(born.createdAt) : 0;
  if (age < ms) await new Promise((r) => setTimeout(r, ms - age));
};

/**
 * A local-CA profile whose current certificate, a couple of seconds old, is revoked by a CRL
 * (an openssl CA database signed by the profile's own CA), behind an `openssl s_server
 * -crl_check` gateway that answers it with alert 44.
 */
async function revokedBehindCrlGateway(name: string, t: { after(fn: () => unknown): void }): Promise<{ w: ReturnType<typeof makeWorld>; pki: Awaited<ReturnType<typeof createTestCa>>; gw: Gateway }> {
  const w = makeWorld(name);
  const pki = await createTestCa(w.root, 'server-ca');
  const server = await pki.issue({ cn: '127.0.0.1', sans: ['IP:127.0.0.1'], usage: 'server' });
  writeFileSync(join(w.root, 'server-ca.crt'), pki.certPem);
  const init = w.cli(['init', '--url', 'https://127.0.0.1:9', '--name', 'crl', '--local-ca', '--ca-bundle', join(w.root, 'server-ca.crt'), '--no-settings']);
  assert.equal(init.code, 0, init.stderr);
  const ca = localCa(w);
  const serial = await serialOfCurrent(w);
  const yymmdd = (d: Date) => `${d.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`;
  writeFileSync(join(w.root, 'index.txt'), `R\t${yymmdd(new Date(Date.now() + 86400e3 * 30))}\t${yymmdd(new Date())}\t${serial}\tunknown\t/CN=revoked\n`);
  writeFileSync(join(w.root, 'crl.cnf'), `[ca]\ndefault_ca = c\n[c]\ndatabase = ${join(w.root, 'index.txt')}\ndefault_md = sha256\ndefault_crl_days = 1\n`);
  await execP(`openssl ca -gencrl -config ${sh(join(w.root, 'crl.cnf'))} -cert ${sh(ca.cert)} -keyfile ${sh(ca.key)} -out ${sh(join(w.root, 'crl.pem'))}`);
  const gw = await startAlertingGateway({ serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCaPem: readFileSync(ca.cert, 'utf8'), extraArgs: ['-crl_check', '-CRL', join(w.root, 'crl.pem')] });
  t.after(() => gw.stop());
  await sleepUntilOlderThan(w, 2_000); // "revoked a few seconds after it was made"
  return { w, pki, gw };
}

test('a seconds-old certificate revoked by CRL (alert 44): one refresh renews once for a burst, and requests pass', { timeout: 120_000 }, async (t) => {
  const { w, pki, gw } = await revokedBehindCrlGateway('crl', t);

  // A burst: 4 requests failed with alert 44 at once, so the extension runs the hook 4 times.
  const before = generations(w);
  const burst = await Promise.all(Array.from({ length: 4 }, () => execP(sh(join(w.dataDir, 'bin', 'coder-cert-refresh')), { env: w.env }).then(() => 0, (e: { code?: number }) => e.code ?? -1)));
  assert.deepEqual(burst, [0, 0, 0, 0]);
  assert.equal(generations(w) - before, 1, 'one burst renews once');

  // Then as the extension: a second revocation of the new certificate would be a new story; this one passes.
  const c = newCounts();
  assert.equal(await extensionRequest(w, gw.url, pki.certPem, c), true, c.outcome);
  assert.deepEqual([c.requests, c.refreshes], [1, 0]);
  console.log(`CRL burst: 4 concurrent refreshes, exits ${burst.join('/')}, ${generations(w) - before} renewal; next request: ${c.requests} request, ${c.refreshes} refresh, ${c.outcome}`);
});

test('the extension path after a revocation: 1 failed request, 1 refresh, the retry passes', { timeout: 120_000 }, async (t) => {
  const { w, pki, gw } = await revokedBehindCrlGateway('crl1', t);
  const results: Counts[] = [];
  for (let i = 0; i < 5; i++) {
    const c = newCounts();
    await extensionRequest(w, gw.url, pki.certPem, c);
    results.push(c);
  }
  assert.equal(results[0]!.outcome, 'ok after refresh');
  assert.deepEqual([results[0]!.requests, results[0]!.refreshes, results[0]!.refreshExits], [2, 1, [0]]);
  for (const r of results.slice(1)) assert.deepEqual([r.outcome, r.requests, r.refreshes], ['ok', 1, 0]);
  console.log(`CRL, revoked ${2} s after it was made: ${results.map((r) => `${r.requests} req/${r.refreshes} refresh ${r.outcome}`).join('; ')}`);
});

test('a gateway that trusts another CA: 2 fresh certificates refused, then exit 1 with the doctor\'s diagnosis', { timeout: 120_000 }, async (t) => {
  const w = makeWorld('untrusting');
  const pki = await createTestCa(w.root, 'server-ca');
  const other = await createTestCa(w.root, 'other-ca');
  const server = await pki.issue({ cn: '127.0.0.1', sans: ['IP:127.0.0.1'], usage: 'server' });
  writeFileSync(join(w.root, 'server-ca.crt'), pki.certPem);
  // The gateway's trust: another CA, and ours marked "rejected for client auth". OpenSSL then
  // refuses with alert 42 bad certificate, as Go's TLS server does for any CA it does not
  // accept (a plain OpenSSL gateway would answer 48 unknown CA, which the extension does not
  // refresh on: the last step below shows it).
  const ours = localCaPathAfterInit(w, pki.certPem);
  const rejected = join(w.root, 'ours-rejected.pem');
  await execP(`openssl x509 -in ${sh(ours)} -addreject clientAuth -trustout -out ${sh(rejected)}`);
  const gw = await startAlertingGateway({ serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCaPem: other.certPem + readFileSync(rejected, 'utf8') });
  t.after(() => gw.stop());
  rewriteUrl(w, gw.url);
  await sleepUntilOlderThan(w, 2_000);

  const before = generations(w);
  const runs: Counts[] = [];
  for (let i = 0; i < 3; i++) {
    const c = newCounts();
    await extensionRequest(w, gw.url, pki.certPem, c);
    runs.push(c);
    await new Promise((r) => setTimeout(r, 1_200)); // the next request a moment later
  }
  assert.deepEqual(runs.map((r) => r.refreshExits), [[0], [1], [1]]);
  assert.equal(generations(w) - before, 1, 'one renewal, then no more');
  const direct = w.cli(['refresh']);
  assert.equal(direct.code, 1);
  const line = direct.stdout.trim() || direct.stderr.trim();
  assert.ok(!line.includes('\n'), line);
  assert.match(line, /^The gateway refused 2 fresh certificates of profile \S+ in a row \(the current one is \d+ s old\), so renewing again will not help: the server refused the handshake with TLS alert 42 bad_certificate/);
  console.log(`untrusting gateway: ${runs.map((r) => `${r.requests} req/${r.refreshes} refresh exit ${r.refreshExits.join(',')}: ${r.outcome}`).join('; ')}\n  refresh says: ${line}`);

  // A gateway that only knows another CA answers alert 48: the extension never runs the hook.
  const plain = await startAlertingGateway({ serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCaPem: other.certPem });
  t.after(() => plain.stop());
  const c = newCounts();
  assert.equal(await extensionRequest(w, plain.url, pki.certPem, c), false);
  assert.deepEqual([c.requests, c.refreshes], [1, 0]);
  assert.match(c.outcome, /unknown ca/);
});

/** Makes the local-CA profile (its URL is fixed up once the gateway has its port) and returns its CA file. */
function localCaPathAfterInit(w: World, serverCaPem: string): string {
  writeFileSync(join(w.root, 'server-ca.crt'), serverCaPem);
  const r = w.cli(['init', '--url', 'https://127.0.0.1:9', '--name', 'untrusted', '--local-ca', '--ca-bundle', join(w.root, 'server-ca.crt'), '--no-settings']);
  assert.equal(r.code, 0, r.stderr);
  return localCa(w).cert;
}

function rewriteUrl(w: World, url: string): void {
  const [id] = readdirSync(join(w.dataDir, 'profiles'));
  const file = join(w.dataDir, 'profiles', id!, 'profile.json');
  const p = JSON.parse(readFileSync(file, 'utf8')) as { url: string };
  p.url = url;
  writeFileSync(file, `${JSON.stringify(p, null, 2)}\n`);
}
