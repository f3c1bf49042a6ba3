// tier: integration
/**
 * The doctor's "SSH through `coder ssh`" check against nginx in both configurations a
 * deployment meets: `ssl_verify_client on` (the Coder CLI, which sends no client certificate,
 * is refused: warn, naming what fails and what the admin can do) and `ssl_verify_client
 * optional` plus a check of the header the header command prints (the CLI is admitted: pass).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { formatDoctorReport, runDoctor, type DoctorInput } from '../../main/doctor';
import { startCoderStandIn, type CoderStandIn } from '../helpers/coder-stand-in';
import { startNginxGateway, type Gateway } from '../helpers/nginx-gateway';
import { createTestCa, type Issued, type TestCa } from './openssl-pki';

const TOKEN = { name: 'X-Gateway-Token', value: 's3cret-token-value' };
const HEADER_CMD = `printf '%s\\n' '${TOKEN.name}=${TOKEN.value}'`;

let tmp: string;
let serverCa: TestCa;
let client: Issued;
let standIn: CoderStandIn;
let strict: Gateway;
let admitsCli: Gateway;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'doctor-ssh-'));
  let clientCa: TestCa;
  [serverCa, clientCa] = await Promise.all([createTestCa(tmp, 'server-ca'), createTestCa(tmp, 'client-ca')]);
  const server = await serverCa.issue({ cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'], usage: 'server' });
  client = await clientCa.issue({ cn: 'dev@example.com', sans: ['email:dev@example.com'], usage: 'client' });
  standIn = await startCoderStandIn({});
  const tls = { serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCaPem: clientCa.certPem, upstreamPort: standIn.port };
  [strict, admitsCli] = await Promise.all([
    startNginxGateway({ ...tls, verifyClient: 'on' }),
    // What the doctor's fix tells the admin: optional client certificates, and without one the header.
    startNginxGateway({
      ...tls,
      verifyClient: 'optional',
      httpExtra: `map "$ssl_client_verify:$http_x_gateway_token" $mtls_deny { default 1; "~^SUCCESS:" 0; "NONE:${TOKEN.value}" 0; }`,
      locationExtra: 'if ($mtls_deny) { return 403; }',
    }),
  ]);
});

after(async () => {
  await Promise.all([strict?.stop(), admitsCli?.stop(), standIn?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
});

function input(gw: Gateway, over: Partial<DoctorInput> = {}): DoctorInput {
  return {
    url: gw.urlFor('localhost'),
    caBundlePem: serverCa.certPem,
    certPem: client.certPem,
    keyPem: client.keyPem,
    headerCommand: HEADER_CMD,
    env: { PATH: process.env['PATH'] },
    timeoutMs: 5000,
    ...over,
  };
}

test('ssl_verify_client on: the extension passes, `coder ssh` is refused: warn with what fails and the nginx fix', async () => {
  const report = await runDoctor(input(strict));
  const by = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  assert.equal(by['mtls-handshake']!.status, 'pass');
  assert.equal(by['buildinfo']!.status, 'pass');
  const ssh = by['ssh-cli']!;
  assert.equal(ssh.status, 'warn', ssh.detail);
  assert.equal(ssh.code, 'SSH_NEEDS_CERT');
  assert.match(ssh.detail, /No required SSL certificate was sent/);
  assert.match(ssh.detail, /opening a workspace .* fails, while the extension's own API calls, which carry the certificate, work/);
  assert.match(ssh.fix!, /admit the Coder CLI by a header that the header command prints \(the header command already prints X-Gateway-Token\)/);
  assert.match(ssh.fix!, /ssl_verify_client optional;/);
  assert.match(ssh.fix!, /\$http_x_gateway_token/);
  assert.equal(report.ok, true, 'a warning, not a failure: the extension itself works');
  console.log(`--- doctor, nginx ssl_verify_client on ---\n${formatDoctorReport(report)}`);
});

test('ssl_verify_client optional plus the header check: `coder ssh` is admitted (pass); without the header it is not', async () => {
  const report = await runDoctor(input(admitsCli));
  const ssh = report.checks.find((c) => c.id === 'ssh-cli')!;
  assert.equal(ssh.status, 'pass', ssh.detail);
  assert.match(ssh.detail, /admits a request without a client certificate with the header command's headers \(X-Gateway-Token\)/);
  assert.equal(report.checks.find((c) => c.id === 'buildinfo')!.status, 'pass');
  console.log(`--- doctor, nginx ssl_verify_client optional + header check ---\n${formatDoctorReport(report)}`);

  // A profile without headers: nothing admits the CLI, and the fix says how to add the header.
  const bare = await runDoctor(input(admitsCli, { headerCommand: undefined }));
  const none = bare.checks.find((c) => c.id === 'ssh-cli')!;
  assert.equal(none.status, 'warn');
  assert.match(none.detail, /HTTP 403/);
  assert.match(none.fix!, /mtls-tray init \.\.\. --header X-Coder-Gateway-Token=VALUE/);
});

test('CODER_HEADER_COMMAND in the environment: the doctor runs it when coder.headerCommand is unset, and says so', async () => {
  const report = await runDoctor(input(admitsCli, { headerCommand: undefined, env: { PATH: process.env['PATH'], CODER_HEADER_COMMAND: HEADER_CMD } }));
  const header = report.checks.find((c) => c.id === 'header-command')!;
  assert.equal(header.status, 'warn');
  assert.equal(header.code, 'ENV_HEADER_COMMAND');
  assert.match(header.detail, /coder.headerCommand is unset, so the extension runs CODER_HEADER_COMMAND from its environment/);
  assert.match(header.fix!, /unset CODER_HEADER_COMMAND/);
  assert.equal(report.checks.find((c) => c.id === 'ssh-cli')!.status, 'pass', 'its headers are what the CLI sends too');
  const both = await runDoctor(input(admitsCli, { env: { PATH: process.env['PATH'], CODER_HEADER_COMMAND: 'echo X=1' } }));
  assert.match(both.checks.find((c) => c.id === 'header-command')!.detail, /CODER_HEADER_COMMAND is set in the environment too, but coder.headerCommand takes precedence/);
});
