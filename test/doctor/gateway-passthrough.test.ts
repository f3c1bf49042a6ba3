/**
 * Client credentials pass through the nginx gateway with independent clients: curl
 * (`--cert --key --cacert`) and Node's `https`. The lead extends this to every identity
 * source; here the credentials come from openssl. Also pins the gateway behaviours the
 * doctor relies on: nginx's 400 pages, the optional mode, and s_server's alerts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startCoderStandIn, STAND_IN_VERSION, type CoderStandIn } from '../helpers/coder-stand-in';
import { startAlertingGateway, startNginxGateway, type Gateway } from '../helpers/nginx-gateway';
import { createTestCa, type Issued, type TestCa } from './openssl-pki';

const run = promisify(execFile);
const TOKEN = { name: 'X-Gateway-Token', value: 'pass-through-token' };

let tmp: string;
let serverCa: TestCa;
let client: Issued;
let expired: Issued;
let standIn: CoderStandIn;
let optionalStandIn: CoderStandIn;
let nginx: Gateway;
let optional: Gateway;
let alerting: Gateway;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gw-pass-'));
  let clientCa: TestCa;
  [serverCa, clientCa] = await Promise.all([createTestCa(tmp, 'server-ca'), createTestCa(tmp, 'client-ca')]);
  const [server, clients, s, so] = await Promise.all([
    serverCa.issue({ cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'], usage: 'server' }),
    // One CA issues one certificate at a time (openssl ca keeps a serial file).
    (async () => [
      await clientCa.issue({ cn: 'pass@example.com', usage: 'client' }),
      await clientCa.issue({ cn: 'old@example.com', usage: 'client', notBefore: new Date('2022-01-01T00:00:00Z'), notAfter: new Date('2022-03-01T00:00:00Z') }),
    ])(),
    startCoderStandIn({ requiredHeader: TOKEN }),
    startCoderStandIn({ requireVerifiedClient: true }),
  ]);
  [client, expired, standIn, optionalStandIn] = [clients[0]!, clients[1]!, s, so];
  const tls = { serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCaPem: clientCa.certPem };
  [nginx, optional, alerting] = await Promise.all([
    startNginxGateway({ ...tls, upstreamPort: standIn.port }),
    startNginxGateway({ ...tls, verifyClient: 'optional', upstreamPort: optionalStandIn.port }),
    startAlertingGateway(tls),
  ]);
});

after(async () => {
  await Promise.all([nginx?.stop(), optional?.stop(), alerting?.stop(), standIn?.stop(), optionalStandIn?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
});

async function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('curl', ['-sS', '--max-time', '10', ...args]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function nodeGet(url: string, opts: { cert?: string; key?: string; ca: string; headers?: Record<string, string> }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...opts, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('credentials through nginx', () => {
  test('curl --cert --key --cacert reaches Coder with a verified certificate and the header', async () => {
    const before = standIn.requests.length;
    const r = await curl([
      '--cert', client.certPath, '--key', client.keyPath, '--cacert', serverCa.certPath,
      '-H', `${TOKEN.name}: ${TOKEN.value}`, `${nginx.urlFor('localhost')}/api/v2/buildinfo`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).version, STAND_IN_VERSION);
    const seen = standIn.requests.slice(before);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.headers['x-ssl-client-verify'], 'SUCCESS');
    assert.match(String(seen[0]?.headers['x-ssl-client-subject']), /CN=pass@example\.com/);
  });

  test('Node https with cert, key and ca reaches Coder the same way', async () => {
    const r = await nodeGet(`${nginx.url}/api/v2/buildinfo`, {
      cert: client.certPem, key: client.keyPem, ca: serverCa.certPem, headers: { [TOKEN.name]: TOKEN.value },
    });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).version, STAND_IN_VERSION);
  });

  test('without the header Coder answers 401; without a cert nginx answers its 400 page and Coder sees nothing', async () => {
    const noHeader = await nodeGet(`${nginx.url}/api/v2/buildinfo`, { cert: client.certPem, key: client.keyPem, ca: serverCa.certPem });
    assert.equal(noHeader.status, 401);
    const before = standIn.requests.length;
    const noCert = await curl(['--cacert', serverCa.certPath, '-H', `${TOKEN.name}: ${TOKEN.value}`, `${nginx.urlFor('localhost')}/api/v2/buildinfo`]);
    assert.equal(noCert.code, 0);
    assert.match(noCert.stdout, /400 No required SSL certificate was sent/);
    const old = await curl(['--cert', expired.certPath, '--key', expired.keyPath, '--cacert', serverCa.certPath, `${nginx.urlFor('localhost')}/api/v2/buildinfo`]);
    assert.match(old.stdout, /400 The SSL certificate error/);
    assert.equal(standIn.requests.length, before);
    assert.match(nginx.log(), /client SSL certificate verify error: \(10:certificate has expired\)/);
  });

  test('optional mode lets the request through and forwards the verification result', async () => {
    const none = await nodeGet(`${optional.url}/api/v2/buildinfo`, { ca: serverCa.certPem });
    assert.equal(none.status, 403);
    assert.equal(optionalStandIn.requests.at(-1)?.headers['x-ssl-client-verify'], 'NONE');
    const ok = await nodeGet(`${optional.url}/api/v2/buildinfo`, { cert: client.certPem, key: client.keyPem, ca: serverCa.certPem });
    assert.equal(ok.status, 200);
  });

  test('the alerting gateway refuses an expired certificate with alert 45, seen by curl too', async () => {
    const good = await curl(['--cert', client.certPath, '--key', client.keyPath, '--cacert', serverCa.certPath, `${alerting.urlFor('localhost')}/api/v2/buildinfo`]);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /"version"/);
    const bad = await curl(['--cert', expired.certPath, '--key', expired.keyPath, '--cacert', serverCa.certPath, `${alerting.urlFor('localhost')}/api/v2/buildinfo`]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /alert certificate expired|alert number 45/i);
  });
});
