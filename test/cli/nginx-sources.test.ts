/**
 * The credentials from every identity source pass through a real TLS terminator: Debian's
 * nginx with `ssl_verify_client on` in front of a Coder stand-in that requires our header.
 * Each is sent with `curl --cert --key --cacert` and with Node's https, exactly from the
 * paths the editor settings name. `mtls-tray doctor` then checks a whole setup end to end.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCoderStandIn, type CoderStandIn } from '../helpers/coder-stand-in';
import { makeServerIdentity, requestAsExtension } from '../helpers/mtls-server';
import { startNginxGateway, type Gateway } from '../helpers/nginx-gateway';
import { makeWorld, type World } from './cli-harness';

const run = promisify(execFile);
const server = makeServerIdentity();
const HEADER = ['--header', 'X-Gateway-Token=team-token'];
let standIn: CoderStandIn;
const gateways: Gateway[] = [];

before(async () => {
  standIn = await startCoderStandIn({ requiredHeader: { name: 'X-Gateway-Token', value: 'team-token' } });
});
after(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await standIn.stop();
});

async function gatewayTrusting(clientCaPem: string): Promise<Gateway> {
  const g = await startNginxGateway({ serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCaPem, upstreamPort: standIn.port });
  gateways.push(g);
  return g;
}

/** curl and Node https, both from the files the settings point at, both must reach Coder. */
async function passesThrough(w: World, g: Gateway, what: string): Promise<void> {
  const s = w.settings();
  const headers = execFileSync('/bin/sh', ['-c', String(s['coder.headerCommand'])], { env: { ...w.env, CODER_URL: g.urlFor('localhost') } }).toString().trim().split('\n');
  const caFile = join(w.root, 'server-ca.pem');
  writeFileSync(caFile, server.certPem);
  const url = `${g.urlFor('localhost')}/api/v2/buildinfo`;
  const curl = await run('curl', ['-sS', '--fail-with-body', '--cert', String(s['coder.tlsCertFile']), '--key', String(s['coder.tlsKeyFile']), '--cacert', caFile, ...headers.flatMap((h) => ['-H', h.replace('=', ': ')]), url]);
  assert.match(curl.stdout, /"version"/, `${what}: curl`);
  const node = await requestAsExtension(g.urlFor('localhost'), s, server.certPem);
  assert.equal(node.status, 200, `${what}: node https: ${node.body}`);
  // Without our certificate nginx answers its 400 page: the gateway really checks.
  const bare = await run('curl', ['-sS', '--cacert', caFile, url]).catch((e) => e);
  assert.match(String(bare.stdout), /No required SSL certificate was sent/);
}

function current(w: World, file: string): string {
  return readFileSync(join(w.dataDir, 'active', 'current', file), 'utf8');
}

test('self-signed: nginx trusting the certificate itself', async () => {
  const w = makeWorld('ngx-self');
  assert.equal(w.cli(['init', '--url', 'https://localhost', '--self-signed', '--san', 'email:dev@acme.test', ...HEADER]).code, 0);
  await passesThrough(w, await gatewayTrusting(current(w, 'client.crt')), 'self-signed');
});

test('local CA, and a CSR signed by a teammate\'s local CA', async () => {
  const owner = makeWorld('ngx-ca');
  assert.equal(owner.cli(['init', '--url', 'https://localhost', '--local-ca', '--san', 'email:owner@acme.test', ...HEADER]).code, 0);
  const g = await gatewayTrusting(owner.cli(['ca', 'cert']).stdout);
  await passesThrough(owner, g, 'local-ca');
  owner.json(['rotate']);
  await passesThrough(owner, g, 'local-ca after rotate');

  const w = makeWorld('ngx-csr');
  const csr = join(w.root, 'me.csr');
  assert.equal(w.cli(['init', '--url', 'https://localhost', '--csr', csr, '--san', 'email:me@acme.test', ...HEADER]).code, 0);
  assert.equal(owner.cli(['ca', 'sign', csr, '--out', join(w.root, 'me.crt'), '--allow-san', 'email:*@acme.test']).code, 0);
  assert.equal(w.cli(['csr', 'import-cert', join(w.root, 'me.crt')]).code, 0);
  await passesThrough(w, g, 'csr');
});

test('imported PEM and PKCS#12 from a company CA; doctor passes every check end to end', async () => {
  const w = makeWorld('ngx-import');
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: w.root, stdio: 'pipe' });
  o(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Company CA', '-days', '60', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  o(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'c.key', '-out', 'c.csr', '-subj', '/CN=dev']);
  writeFileSync(join(w.root, 'ext'), 'subjectAltName=email:dev@acme.test\nextendedKeyUsage=clientAuth\n');
  o(['x509', '-req', '-in', 'c.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'c.crt', '-days', '30', '-extfile', 'ext']);
  o(['pkcs12', '-export', '-legacy', '-in', 'c.crt', '-inkey', 'c.key', '-out', 'c.p12', '-passout', 'pass:s3cret-pass']);
  writeFileSync(join(w.root, 'pass'), 's3cret-pass\n');
  writeFileSync(join(w.root, 'server-ca.pem'), server.certPem);
  const g = await gatewayTrusting(readFileSync(join(w.root, 'ca.crt'), 'utf8'));
  const url = g.urlFor('localhost');

  assert.equal(w.cli(['init', '--url', url, '--name', 'pem', '--import-pem', 'c.crt', 'c.key', '--ca-bundle', 'server-ca.pem', '--proxy-support', ...HEADER], { cwd: w.root }).code, 0);
  await passesThrough(w, g, 'import-pem');
  const doctor = await w.cliAsync(['--json', 'doctor']);
  const report = JSON.parse(doctor.stdout);
  // ssl_verify_client on: the Coder CLI of `coder ssh` (no client certificate) is refused, a warning only.
  const ssh = report.checks.find((c: { id: string }) => c.id === 'ssh-cli');
  assert.deepEqual([ssh?.status, ssh?.code], ['warn', 'SSH_NEEDS_CERT']);
  const notPassing = report.checks.filter((c: { id: string; status: string }) => c.status !== 'pass' && c.status !== 'skip' && c.id !== 'ssh-cli');
  assert.deepEqual(notPassing, [], 'doctor: every other check passes');
  assert.equal(doctor.code, 0);
  assert.ok(report.checks.length >= 8);

  assert.equal(w.cli(['init', '--url', url, '--name', 'p12', '--import-p12', 'c.p12', '--passphrase-file', 'pass', ...HEADER], { cwd: w.root }).code, 0);
  await passesThrough(w, g, 'import-p12');

  // The same setup with the header missing: doctor names the problem and the fix, exit 1.
  assert.equal(w.cli(['init', '--url', url, '--name', 'noheader', '--import-pem', 'c.crt', 'c.key', '--ca-bundle', 'server-ca.pem'], { cwd: w.root }).code, 0);
  const bad = await w.cliAsync(['doctor']);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /FAIL/);
  assert.match(bad.stdout, /401|header/i);
});
