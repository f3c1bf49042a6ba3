/**
 * The doctor against a real nginx gateway (ssl_verify_client on) proxying to a Coder
 * stand-in that wants a header. One nginx per server certificate under test, started once
 * for the file; each scenario varies only what the doctor is given.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatDoctorReport, runDoctor, type DoctorCheck, type DoctorInput, type DoctorReport } from '../../main/doctor';
import { startCoderStandIn, type CoderStandIn } from '../helpers/coder-stand-in';
import { startNginxGateway, type Gateway } from '../helpers/nginx-gateway';
import { createTestCa, type Issued, type TestCa } from './openssl-pki';

const TOKEN = { name: 'X-Gateway-Token', value: 's3cret-token-value' };
const HEADER_CMD = `printf '%s\\n' '${TOKEN.name}=${TOKEN.value}'`;
const HOME = '/home/dev';
const DATA = `${HOME}/.local/share/mtls-tray`;
const EXPECTED = {
  'coder.tlsCertFile': `${DATA}/active/current/client.crt`,
  'coder.tlsKeyFile': `${DATA}/active/current/client.key`,
  'coder.tlsCaFile': `${DATA}/active/current/ca.crt`,
  'coder.tlsAltHost': undefined,
  'coder.headerCommand': `${DATA}/bin/coder-header-command`,
  'coder.tlsCertRefreshCommand': `${DATA}/bin/coder-cert-refresh`,
};
/** What a correctly configured editor holds: `~` forms are what users often have. */
const EDITOR_VALUES = {
  'coder.tlsCertFile': '~/.local/share/mtls-tray/active/current/client.crt',
  'coder.tlsKeyFile': '${userHome}/.local/share/mtls-tray/active/current/client.key',
  'coder.tlsCaFile': `${DATA}/active/current/ca.crt`,
  'coder.headerCommand': `${DATA}/bin/coder-header-command`,
  'coder.tlsCertRefreshCommand': `${DATA}/bin/coder-cert-refresh`,
  'http.proxySupport': 'on',
};

let tmp: string;
let serverCa: TestCa;
let rogueCa: TestCa;
let client: Issued;
let expiredClient: Issued;
let rogueClient: Issued;
let standIn: CoderStandIn;
let good: Gateway;
let cnOnly: Gateway;
let otherHost: Gateway;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'doctor-nginx-'));
  let clientCa: TestCa;
  [serverCa, clientCa, rogueCa] = await Promise.all([
    createTestCa(tmp, 'server-ca'),
    createTestCa(tmp, 'client-ca'),
    createTestCa(tmp, 'rogue-ca'),
  ]);
  // Issuance per CA is sequential (openssl ca keeps a serial file); the CAs run in parallel.
  const serverCerts = (async () => [
    await serverCa.issue({ cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'], usage: 'server' }),
    await serverCa.issue({ cn: 'localhost', usage: 'server' }),
    await serverCa.issue({ cn: 'coder.internal.example', sans: ['DNS:coder.internal.example'], usage: 'server' }),
  ])();
  const clientCerts = (async () => [
    await clientCa.issue({ cn: 'dev@example.com', usage: 'client' }),
    await clientCa.issue({ cn: 'dev@example.com', usage: 'client', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2020-02-01T00:00:00Z') }),
  ])();
  const [[goodCert, cnOnlyCert, otherCert], [c, e], r, s] = await Promise.all([
    serverCerts,
    clientCerts,
    rogueCa.issue({ cn: 'dev@example.com', usage: 'client' }),
    startCoderStandIn({ requiredHeader: TOKEN }),
  ]);
  [client, expiredClient, rogueClient, standIn] = [c!, e!, r, s];
  const gw = (cert: Issued) =>
    startNginxGateway({ serverCertPem: cert.certPem, serverKeyPem: cert.keyPem, clientCaPem: clientCa.certPem, upstreamPort: standIn.port });
  [good, cnOnly, otherHost] = await Promise.all([gw(goodCert!), gw(cnOnlyCert!), gw(otherCert!)]);
});

after(async () => {
  await Promise.all([good?.stop(), cnOnly?.stop(), otherHost?.stop(), standIn?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
});

function input(over: Partial<DoctorInput> = {}): DoctorInput {
  return {
    url: good.urlFor('localhost'),
    caBundlePem: serverCa.certPem,
    certPem: client.certPem,
    keyPem: client.keyPem,
    headerCommand: HEADER_CMD,
    editors: [{ id: 'code', settingsPath: `${HOME}/.config/Code/User/settings.json`, values: { ...EDITOR_VALUES } }],
    expected: EXPECTED,
    homeDir: HOME,
    env: { PATH: process.env['PATH'] },
    timeoutMs: 5000,
    ...over,
  };
}

function check(report: DoctorReport, id: string): DoctorCheck {
  const c = report.checks.find((x) => x.id === id);
  assert.ok(c, `no check ${id} in ${report.checks.map((x) => x.id).join(', ')}`);
  return c;
}

function statuses(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

describe('doctor against nginx', () => {
  test('all good: every check passes and the request reaches Coder with the header and a verified cert', async () => {
    const before = standIn.requests.length;
    const report = await runDoctor(input());
    assert.deepEqual(statuses(report), {
      'own-certificate': 'pass',
      dns: 'pass',
      tcp: 'pass',
      'server-names': 'pass',
      'server-trust': 'pass',
      'mtls-handshake': 'pass',
      'header-command': 'pass',
      buildinfo: 'pass',
      // ssl_verify_client on: the Coder CLI (no client certificate) is refused; see doctor-ssh.test.ts.
      'ssh-cli': 'warn',
      'editor-settings:code': 'pass',
      'proxy-support:code': 'pass',
    });
    assert.equal(report.ok, true);
    assert.match(check(report, 'buildinfo').detail, /Coder v2\.99\.0-standin/);
    assert.match(check(report, 'header-command').detail, /X-Gateway-Token/);
    // The token's value is a secret: it never appears in the report.
    assert.doesNotMatch(JSON.stringify(report), new RegExp(TOKEN.value));
    const seen = standIn.requests.slice(before);
    const authed = seen.filter((r) => r.status === 200);
    assert.equal(authed.length, 1);
    assert.equal(authed[0]?.headers['x-ssl-client-verify'], 'SUCCESS');
    assert.match(String(authed[0]?.headers['x-ssl-client-subject']), /CN=dev@example\.com/);
    assert.match(formatDoctorReport(report), /1 warning: see the fixes above\./);
  });

  test('server certificate without SAN (CN only): NO_SAN with Go\'s error, fix is a reissue', async () => {
    const report = await runDoctor(input({ url: cnOnly.urlFor('localhost') }));
    const names = check(report, 'server-names');
    assert.equal(names.status, 'fail');
    assert.equal(names.code, 'NO_SAN');
    assert.match(names.detail, /x509: certificate relies on legacy Common Name field, use SANs instead/);
    assert.match(names.fix ?? '', /reissued with subjectAltName=DNS:localhost/);
    // Node (the extension) still accepts it through the CN fallback; the doctor says so rather than hiding it.
    assert.equal(check(report, 'buildinfo').status, 'pass');
    assert.equal(report.ok, false);
  });

  test('server certificate for another host: tlsAltHost suggested and verified, and it then works', async () => {
    const report = await runDoctor(input({ url: otherHost.urlFor('localhost') }));
    const names = check(report, 'server-names');
    assert.equal(names.status, 'fail');
    assert.equal(names.code, 'HOST_NOT_IN_SAN');
    assert.match(names.detail, /for DNS:coder\.internal\.example, not localhost/);
    assert.equal(names.data?.['suggestedAltHost'], 'coder.internal.example');
    assert.equal(names.data?.['suggestionVerified'], true);
    assert.match(names.fix ?? '', /set coder\.tlsAltHost to "coder\.internal\.example"/);
    // Without the setting, the extension's own request fails on the name.
    assert.equal(check(report, 'buildinfo').status, 'fail');
    assert.match(check(report, 'buildinfo').detail, /does not name the host/);

    // Apply the suggestion: the same deployment now passes end to end.
    const expected = { ...EXPECTED, 'coder.tlsAltHost': 'coder.internal.example' };
    const editors = [{ id: 'code', settingsPath: '/s.json', values: { ...EDITOR_VALUES, 'coder.tlsAltHost': 'coder.internal.example' } }];
    const fixed = await runDoctor(input({ url: otherHost.urlFor('localhost'), altHost: 'coder.internal.example', expected, editors }));
    assert.equal(check(fixed, 'server-names').status, 'pass');
    assert.match(check(fixed, 'server-names').detail, /names coder\.internal\.example \(coder\.tlsAltHost/);
    assert.equal(check(fixed, 'buildinfo').status, 'pass');
    assert.equal(fixed.ok, true, formatDoctorReport(fixed));
  });

  test('a wrong tlsAltHost is named, with the right one suggested', async () => {
    const report = await runDoctor(input({ url: otherHost.urlFor('localhost'), altHost: 'coder.wrong.example' }));
    const names = check(report, 'server-names');
    assert.equal(names.status, 'fail');
    assert.match(names.detail, /coder\.tlsAltHost is coder\.wrong\.example/);
    assert.equal(names.data?.['suggestedAltHost'], 'coder.internal.example');
  });

  test('our certificate expired: named locally, and the gateway\'s 400 page explained (no refresh on pages)', async () => {
    const report = await runDoctor(input({ certPem: expiredClient.certPem, keyPem: expiredClient.keyPem }));
    const own = check(report, 'own-certificate');
    assert.equal(own.status, 'fail');
    assert.equal(own.code, 'EXPIRED');
    assert.match(own.detail, /expired on 2020-02-01/);
    assert.match(own.fix ?? '', /mtls-tray renew/);
    const mtls = check(report, 'mtls-handshake');
    assert.equal(mtls.status, 'fail');
    assert.equal(mtls.code, 'GATEWAY_REJECTED_CERT');
    assert.match(mtls.detail, /HTTP 400 "The SSL certificate error" instead of a TLS alert/);
    assert.match(mtls.detail, /our certificate expired on 2020-02-01/);
    assert.match(mtls.detail, /tlsCertRefreshCommand is never triggered/);
    assert.match(mtls.fix ?? '', /mtls-tray renew/);
    assert.equal(check(report, 'buildinfo').status, 'fail');
    assert.equal(report.ok, false);
  });

  test('our certificate from an unknown CA: the gateway\'s rejection points at the issuer', async () => {
    const report = await runDoctor(input({ certPem: rogueClient.certPem, keyPem: rogueClient.keyPem }));
    assert.equal(check(report, 'own-certificate').status, 'pass');
    const mtls = check(report, 'mtls-handshake');
    assert.equal(mtls.status, 'fail');
    assert.equal(mtls.code, 'GATEWAY_REJECTED_CERT');
    assert.match(mtls.detail, /does not trust its issuer CN=rogue-ca/);
    assert.match(mtls.fix ?? '', /trust our certificate's issuer \(CN=rogue-ca\)/);
    assert.equal(report.ok, false);
  });

  test('missing header: no header command gives 401 from Coder with the fix to add it', async () => {
    const report = await runDoctor(input({ headerCommand: undefined }));
    assert.equal(check(report, 'header-command').status, 'skip');
    const info = check(report, 'buildinfo');
    assert.equal(info.status, 'fail');
    assert.equal(info.code, 'UNAUTHORIZED');
    assert.match(info.detail, /HTTP 401: Missing required header X-Gateway-Token\. \(no headers sent\)/);
    assert.match(info.fix ?? '', /--header NAME=VALUE/);
    assert.equal(check(report, 'mtls-handshake').status, 'pass');
  });

  test('a header command printing other headers: 401, the sent names listed', async () => {
    const report = await runDoctor(input({ headerCommand: `printf 'X-Other=1\\n'` }));
    const info = check(report, 'buildinfo');
    assert.equal(info.status, 'fail');
    assert.match(info.detail, /headers sent: X-Other/);
    assert.match(info.fix ?? '', /headers were refused/);
  });

  test('header command printing a malformed line: named with its line, and no request is made', async () => {
    const before = standIn.requests.length;
    const report = await runDoctor(input({ headerCommand: `printf '${TOKEN.name}=${TOKEN.value}\\nAuthorization: Bearer abc\\n'` }));
    const hc = check(report, 'header-command');
    assert.equal(hc.status, 'fail');
    assert.equal(hc.code, 'HEADER_OUTPUT_MALFORMED');
    assert.match(hc.detail, /line 2 of its output is malformed \(no "=" in the line\): "Authorization:…"/);
    assert.doesNotMatch(hc.detail, /Bearer/);
    assert.match(hc.fix ?? '', /name=value lines/);
    assert.equal(check(report, 'buildinfo').status, 'skip');
    // Only the handshake probe (no headers) reached Coder; the extension would send nothing more.
    assert.equal(standIn.requests.slice(before).filter((r) => r.headers[TOKEN.name.toLowerCase()]).length, 0);
  });

  test('http.proxySupport left at override (or unset) fails with PROXY_SUPPORT_OVERRIDE; on/off pass', async () => {
    const editors = [
      { id: 'code', settingsPath: '/c.json', values: { ...EDITOR_VALUES, 'http.proxySupport': 'override' } },
      { id: 'cursor', settingsPath: '/cu.json', values: { ...EDITOR_VALUES, 'http.proxySupport': undefined } },
      { id: 'vscodium', settingsPath: '/v.json', values: { ...EDITOR_VALUES, 'http.proxySupport': 'off' } },
    ];
    const report = await runDoctor(input({ editors }));
    const code = check(report, 'proxy-support:code');
    assert.equal(code.status, 'fail');
    assert.equal(code.code, 'PROXY_SUPPORT_OVERRIDE');
    assert.match(code.detail, /client certificate is not sent/);
    assert.match(code.fix ?? '', /"http\.proxySupport": "on" in \/c\.json/);
    assert.equal(check(report, 'proxy-support:cursor').status, 'fail');
    assert.match(check(report, 'proxy-support:cursor').detail, /not set, so VS Code's default "override" applies/);
    assert.equal(check(report, 'proxy-support:vscodium').status, 'pass');
    // The connection itself is fine: only the editors are at fault.
    assert.equal(check(report, 'buildinfo').status, 'pass');
    assert.equal(report.ok, false);
  });

  test('editor settings pointing elsewhere are listed key by key', async () => {
    const values = { ...EDITOR_VALUES, 'coder.tlsCertFile': '/old/client.crt', 'coder.tlsAltHost': 'x.example' };
    delete (values as Record<string, unknown>)['coder.headerCommand'];
    const report = await runDoctor(input({ editors: [{ id: 'code', settingsPath: '/c.json', values }] }));
    const ed = check(report, 'editor-settings:code');
    assert.equal(ed.status, 'fail');
    assert.equal(ed.code, 'SETTINGS_MISMATCH');
    // Worded by the settings layer's drift module (issue 17), as status and the drift watch say it.
    assert.match(ed.detail, /coder\.tlsCertFile in code points at \/old\/client\.crt, not at mtls-tray's file \(\/home\/dev\/\.local/);
    assert.match(ed.detail, /coder\.headerCommand in code is not set; it should name mtls-tray's header script/);
    assert.match(ed.detail, /coder\.tlsAltHost in code is "x\.example"; mtls-tray leaves it unset \(the profile has no alt host\)/);
    assert.match(ed.fix ?? '', /settings apply --editor code/);
  });

  test('server chain not verified by the given CA bundle, or by default trust', async () => {
    const wrong = await runDoctor(input({ caBundlePem: rogueCa.certPem }));
    const trust = check(wrong, 'server-trust');
    assert.equal(trust.status, 'fail');
    assert.equal(trust.code, 'CHAIN_UNVERIFIED');
    assert.match(trust.detail, /our CA bundle \(coder\.tlsCaFile\) does not verify/);
    assert.match(trust.fix ?? '', /add the CA that issued the server certificate \(CN=server-ca\)/);
    // The gateway still accepts our certificate: the two sides are judged apart.
    assert.equal(check(wrong, 'mtls-handshake').status, 'pass');

    const system = await runDoctor(input({ caBundlePem: undefined }));
    assert.equal(check(system, 'server-trust').status, 'fail');
    assert.match(check(system, 'server-trust').fix ?? '', /--ca-bundle FILE/);
    assert.equal(check(system, 'buildinfo').status, 'fail');
  });

  test('deployment-only check (no credentials yet): says that the gateway requires a client certificate', async () => {
    const report = await runDoctor(input({ certPem: undefined, keyPem: undefined, editors: [] }));
    const mtls = check(report, 'mtls-handshake');
    assert.equal(mtls.status, 'pass');
    assert.match(mtls.detail, /requires a client certificate .*No required SSL certificate was sent/);
    assert.equal(check(report, 'buildinfo').status, 'skip');
    assert.equal(report.checks.some((c) => c.id === 'own-certificate'), false);
  });

  test('the human report shows each failure with its fix', async () => {
    const report = await runDoctor(input({ certPem: expiredClient.certPem, keyPem: expiredClient.keyPem }));
    const text = formatDoctorReport(report);
    assert.match(text, /\[FAIL\] Our client certificate: our certificate \(CN=dev@example\.com\) expired/);
    assert.match(text, /\n {9}fix: renew it: mtls-tray renew\n/);
    assert.match(text, /\d+ failed(, \d+ warnings?)?: see the fixes above\.\n$/);
  });
});
