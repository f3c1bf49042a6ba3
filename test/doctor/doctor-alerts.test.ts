/**
 * The doctor against a gateway that refuses client certificates with TLS alerts
 * (`openssl s_server -verify_return_error`), in TLS 1.3 (alert after the handshake) and
 * TLS 1.2 (alert inside it). Each alert is named with its cause, and the report says
 * whether the extension's refresh command would run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runDoctor, type DoctorCheck, type DoctorInput, type DoctorReport } from '../../main/doctor';
import { startAlertingGateway, type Gateway } from '../helpers/nginx-gateway';
import { createTestCa, type Issued, type TestCa } from './openssl-pki';

let tmp: string;
let serverCa: TestCa;
let client: Issued;
let expired: Issued;
let rogue: Issued;
let tls13: Gateway;
let tls12: Gateway;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'doctor-alerts-'));
  let clientCa: TestCa;
  let rogueCa: TestCa;
  [serverCa, clientCa, rogueCa] = await Promise.all([
    createTestCa(tmp, 'server-ca'),
    createTestCa(tmp, 'client-ca'),
    createTestCa(tmp, 'rogue-ca'),
  ]);
  const [server, clients, r] = await Promise.all([
    serverCa.issue({ cn: 'localhost', sans: ['DNS:localhost'], usage: 'server' }),
    (async () => [
      await clientCa.issue({ cn: 'dev', usage: 'client' }),
      await clientCa.issue({ cn: 'dev', usage: 'client', notBefore: new Date('2021-01-01T00:00:00Z'), notAfter: new Date('2021-06-01T00:00:00Z') }),
    ])(),
    rogueCa.issue({ cn: 'dev', usage: 'client' }),
  ]);
  [client, expired, rogue] = [clients[0]!, clients[1]!, r];
  const opts = { serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCaPem: clientCa.certPem };
  [tls13, tls12] = await Promise.all([
    startAlertingGateway(opts),
    startAlertingGateway({ ...opts, protocols: ['TLSv1.2'] }),
  ]);
});

after(async () => {
  await Promise.all([tls13?.stop(), tls12?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
});

function input(gw: Gateway, creds: Issued | undefined): DoctorInput {
  return {
    url: gw.urlFor('localhost'),
    caBundlePem: serverCa.certPem,
    certPem: creds?.certPem,
    keyPem: creds?.keyPem,
    timeoutMs: 5000,
  };
}

function check(report: DoctorReport, id: string): DoctorCheck {
  const c = report.checks.find((x) => x.id === id);
  assert.ok(c, `no check ${id}`);
  return c;
}

describe('doctor against a gateway that sends TLS alerts', () => {
  test('a good certificate passes and build info is read', async () => {
    const report = await runDoctor(input(tls13, client));
    assert.equal(check(report, 'mtls-handshake').status, 'pass');
    assert.match(check(report, 'mtls-handshake').detail, /TLSv1\.3/);
    assert.equal(check(report, 'buildinfo').status, 'pass');
    assert.match(check(report, 'buildinfo').detail, /v2\.99\.0-alerting/);
  });

  test('expired certificate: alert 45 named, and the refresh command would run', async () => {
    const report = await runDoctor(input(tls13, expired));
    const mtls = check(report, 'mtls-handshake');
    assert.equal(mtls.status, 'fail');
    assert.equal(mtls.code, 'TLS_ALERT');
    assert.equal(mtls.data?.['alert'], 45);
    assert.equal(mtls.data?.['triggersRefresh'], true);
    assert.match(mtls.detail, /TLS alert 45 certificate_expired: our certificate expired on 2021-06-01/);
    assert.match(mtls.detail, /runs coder\.tlsCertRefreshCommand on this alert/);
    assert.match(mtls.fix ?? '', /mtls-tray renew/);
    assert.equal(check(report, 'buildinfo').status, 'fail');
    assert.match(check(report, 'buildinfo').detail, /TLS alert 45/);
  });

  test('certificate from an unknown CA: alert 48 named, and refreshing would not help', async () => {
    const report = await runDoctor(input(tls13, rogue));
    const mtls = check(report, 'mtls-handshake');
    assert.equal(mtls.status, 'fail');
    assert.equal(mtls.data?.['alert'], 48);
    assert.equal(mtls.data?.['triggersRefresh'], false);
    assert.match(mtls.detail, /TLS alert 48 unknown_ca: the server does not trust the CA that issued our certificate/);
    assert.match(mtls.detail, /does not run coder\.tlsCertRefreshCommand for this alert \(only 42\/44\/45\/46\)/);
    assert.match(mtls.fix ?? '', /client CA list/);
  });

  test('no certificate yet (wizard): alert 116 read as "the deployment requires a client certificate"', async () => {
    const report = await runDoctor(input(tls13, undefined));
    const mtls = check(report, 'mtls-handshake');
    assert.equal(mtls.status, 'pass');
    assert.match(mtls.detail, /requires a client certificate \(TLS alert 116 certificate_required/);
    assert.equal(check(report, 'server-names').status, 'pass');
    assert.equal(check(report, 'server-trust').status, 'pass');
  });

  test('TLS 1.2: the alert comes inside the handshake; the server chain cannot be read and is not blamed', async () => {
    const report = await runDoctor(input(tls12, expired));
    const mtls = check(report, 'mtls-handshake');
    assert.equal(mtls.status, 'fail');
    assert.equal(mtls.data?.['alert'], 45);
    const chain = check(report, 'server-chain');
    assert.equal(chain.status, 'skip');
    assert.match(chain.detail, /ends the handshake over our client certificate \(TLS alert 45/);

    const none = await runDoctor(input(tls12, undefined));
    assert.match(check(none, 'mtls-handshake').detail, /requires a client certificate \(TLS alert 40 handshake_failure/);

    const ok = await runDoctor(input(tls12, client));
    assert.equal(ok.ok, true, JSON.stringify(ok.checks.filter((c) => c.status === 'fail')));
    assert.match(check(ok, 'mtls-handshake').detail, /TLSv1\.2/);
  });
});
