/**
 * The doctor where the deployment is not there or not TLS, with a Node TLS server that drops
 * refused clients without an alert, and its input validation. No nginx needed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isUserError } from '../../main/base/errors';
import { formatDoctorReport, runDoctor, type DoctorReport } from '../../main/doctor';
import { startCoderStandIn, type CoderStandIn } from '../helpers/coder-stand-in';
import { freePort } from '../helpers/nginx-gateway';
import { createTestCa, type Issued, type TestCa } from './openssl-pki';

let tmp: string;
let serverCa: TestCa;
let client: Issued;
let rogue: Issued;
let plain: CoderStandIn;
let dropping: Server;
let droppingPort: number;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'doctor-edge-'));
  let clientCa: TestCa;
  let rogueCa: TestCa;
  [serverCa, clientCa, rogueCa] = await Promise.all([createTestCa(tmp, 'server-ca'), createTestCa(tmp, 'client-ca'), createTestCa(tmp, 'rogue-ca')]);
  const [server, c, r, p] = await Promise.all([
    serverCa.issue({ cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'], usage: 'server' }),
    clientCa.issue({ cn: 'dev', usage: 'client' }),
    rogueCa.issue({ cn: 'dev', usage: 'client' }),
    startCoderStandIn(),
  ]);
  [client, rogue, plain] = [c, r, p];
  // Node's TLS server verifies client certificates after the handshake and just closes the socket.
  dropping = createServer({ cert: server.certPem, key: server.keyPem, ca: clientCa.certPem, requestCert: true, rejectUnauthorized: true }, (_, res) => {
    res.end(JSON.stringify({ version: 'v2.0.0-node' }));
  });
  await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
  droppingPort = (dropping.address() as AddressInfo).port;
});

after(async () => {
  dropping?.closeAllConnections();
  await new Promise((r) => dropping?.close(r));
  await plain?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const status = (r: DoctorReport, id: string) => r.checks.find((c) => c.id === id)?.status;
const find = (r: DoctorReport, id: string) => {
  const c = r.checks.find((x) => x.id === id);
  assert.ok(c, id);
  return c;
};

describe('doctor edge cases', () => {
  test('unresolvable host: DNS fails, network checks are skipped, the header command still runs', async () => {
    const report = await runDoctor({
      url: 'https://coder.nowhere.invalid',
      headerCommand: "printf 'A=1\\n'",
      lookup: async (host) => {
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      },
    });
    const dns = find(report, 'dns');
    assert.equal(dns.status, 'fail');
    assert.match(dns.detail, /coder\.nowhere\.invalid has no address/);
    assert.match(dns.fix ?? '', /VPN/);
    for (const id of ['tcp', 'server-names', 'server-trust', 'mtls-handshake', 'buildinfo']) assert.equal(status(report, id), 'skip', id);
    assert.equal(status(report, 'header-command'), 'pass');
    assert.equal(status(report, 'editors'), 'skip');
  });

  test('a lookup that never answers is cut off by the timeout', async () => {
    const report = await runDoctor({ url: 'https://slow.example', timeoutMs: 200, lookup: () => new Promise(() => {}) });
    assert.match(find(report, 'dns').detail, /timed out/);
  });

  test('nothing listening: TCP refused, named with host and port', async () => {
    const port = await freePort();
    const report = await runDoctor({ url: `https://127.0.0.1:${port}`, certPem: client.certPem, keyPem: client.keyPem });
    assert.equal(status(report, 'dns'), 'pass');
    const tcp = find(report, 'tcp');
    assert.equal(tcp.status, 'fail');
    assert.match(tcp.detail, new RegExp(`127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    assert.equal(status(report, 'mtls-handshake'), 'skip');
  });

  test('https:// at a plain HTTP port: "does not speak TLS"', async () => {
    const report = await runDoctor({ url: `https://127.0.0.1:${plain.port}`, certPem: client.certPem, keyPem: client.keyPem, timeoutMs: 3000 });
    const chain = find(report, 'server-chain');
    assert.equal(chain.status, 'fail');
    assert.equal(chain.code, 'NOT_TLS');
    assert.equal(find(report, 'mtls-handshake').code, 'NOT_TLS');
  });

  test('an http:// URL: no TLS, so no client certificate is ever sent', async () => {
    const report = await runDoctor({ url: plain.url, certPem: client.certPem, keyPem: client.keyPem });
    const url = find(report, 'url');
    assert.equal(url.status, 'fail');
    assert.equal(url.code, 'NOT_TLS');
    assert.equal(status(report, 'buildinfo'), 'skip');
  });

  test('a server that drops refused clients without an alert: CONNECTION_DROPPED, no refresh either', async () => {
    const base = { url: `https://localhost:${droppingPort}`, caBundlePem: serverCa.certPem, timeoutMs: 5000 };
    const good = await runDoctor({ ...base, certPem: client.certPem, keyPem: client.keyPem });
    assert.equal(good.ok, true, formatDoctorReport(good));
    const report = await runDoctor({ ...base, certPem: rogue.certPem, keyPem: rogue.keyPem });
    const mtls = find(report, 'mtls-handshake');
    assert.equal(mtls.status, 'fail');
    assert.equal(mtls.code, 'CONNECTION_DROPPED');
    assert.match(mtls.detail, /closed the connection right after the handshake without a TLS alert/);
    assert.match(mtls.detail, /issuer CN=rogue-ca/);
    assert.match(mtls.detail, /never triggered/);
  });

  test('bad input throws a UserError naming the value; half credentials are reported', async () => {
    for (const url of ['not a url', 'ftp://coder.example.com']) {
      await assert.rejects(runDoctor({ url }), (err: unknown) => {
        assert.ok(isUserError(err));
        assert.equal(err.code, 'DOCTOR_BAD_URL');
        assert.match(err.message, new RegExp(url.replace(/[.:/]/g, '\\$&')));
        return true;
      });
    }
    const half = await runDoctor({ url: 'https://x.invalid', certPem: client.certPem, lookup: async () => [] });
    assert.equal(find(half, 'own-certificate').code, 'INCOMPLETE_CREDENTIALS');
  });

  test('the human report: colour on request, warnings counted', () => {
    const report: DoctorReport = {
      url: 'https://c', checkedAt: '2030-01-01T00:00:00.000Z', ok: true,
      checks: [
        { id: 'a', title: 'A', status: 'warn', detail: 'meh', fix: 'do x' },
        { id: 'b', title: 'B', status: 'skip', detail: 'later', fix: 'never shown' },
      ],
    };
    const plainText = formatDoctorReport(report);
    assert.match(plainText, /\[WARN\] A: meh\n {9}fix: do x\n/);
    assert.doesNotMatch(plainText, /never shown/);
    assert.match(plainText, /1 warning: see the fixes above\.\n$/);
    assert.doesNotMatch(plainText, /\x1b\[/);
    assert.match(formatDoctorReport(report, { colour: true }), /\x1b\[33m\[WARN\]\x1b\[0m/);
  });
});
