/**
 * End to end, per identity source, through the built CLI on temp HOMEs: init -> status ->
 * renew -> rotate -> switch -> rollback -> export -> import elsewhere, checking files,
 * permissions, settings and the report at each step, and that the credentials work against a
 * local mTLS server (Node https, requestCert) the way the Coder extension uses them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeServerIdentity, requestAsExtension, spkiSha256, startMtlsServer, type MtlsServer } from '../helpers/mtls-server';
import { makeWorld, type World } from './cli-harness';

const serverId = makeServerIdentity();

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function assertPrivate(w: World): void {
  assert.equal(mode(w.dataDir), 0o700, 'data dir 0700');
  const s = w.settings();
  assert.equal(mode(String(s['coder.tlsKeyFile'])), 0o600, 'key 0600');
  const gen = readFileSync(join(w.dataDir, 'active', 'current', 'client.key'), 'utf8');
  assert.match(gen, /BEGIN PRIVATE KEY/);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the CLI, checked field by field below
async function assertWorks(w: World, srv: MtlsServer, what: string): Promise<any> {
  const res = await requestAsExtension(srv.url, w.settings(), serverId.certPem);
  assert.equal(res.status, 200, `${what}: ${res.body}`);
  const body = JSON.parse(res.body) as { fingerprint: string; headers: Record<string, string> };
  const status = w.json(['status']);
  // The header computed from the certificate matches the certificate presented.
  assert.equal(body.headers['x-client-cert-sha256'], status.report.fingerprintSha256.replace(/:/g, '').toLowerCase(), `${what}: fingerprint header`);
  assert.equal(body.headers['x-team'], 'platform');
  return status;
}

function initArgs(extra: string[]): string[] {
  return ['init', '--url', 'https://coder.acme.test', '--name', 'acme', '--san', 'email:dev@acme.test', '--san', 'dev.acme.test', '--header', 'X-Team=platform', '--header', 'X-Client-Cert-Sha256={{cert.sha256}}', '--proxy-support', ...extra];
}

function currentPem(w: World, file: string): string {
  return readFileSync(join(w.dataDir, 'active', 'current', file), 'utf8');
}

/** The common life of a renewable profile after init. */
async function renewableLife(w: World, srv: MtlsServer, trustKey: (w: World) => void): Promise<void> {
  const settingsBefore = readFileSync(w.codeSettings);
  const key1 = currentPem(w, 'client.key');
  const cert1 = currentPem(w, 'client.crt');

  const renewed = w.json(['renew']);
  assert.equal(renewed.generation, 2);
  assert.equal(currentPem(w, 'client.key'), key1, 'renew keeps the key');
  assert.notEqual(currentPem(w, 'client.crt'), cert1, 'renew makes a new certificate');
  await assertWorks(w, srv, 'after renew');

  const rotated = w.json(['rotate']);
  assert.equal(rotated.generation, 3);
  assert.notEqual(currentPem(w, 'client.key'), key1, 'rotate makes a new key');
  trustKey(w);
  await assertWorks(w, srv, 'after rotate');
  assertPrivate(w);

  // A second profile that differs in tlsAltHost: switching writes settings once; switching
  // back restores them byte for byte.
  const second = w.cli(['init', '--url', 'https://coder.acme.test', '--name', 'acme-staging', '--self-signed', '--alt-host', 'coder-internal.acme.test', '--no-settings']);
  assert.equal(second.code, 0, second.stderr);
  const back = w.json(['switch', 'acme']);
  assert.equal(back.profileId, 'acme');
  assert.deepEqual(readFileSync(w.codeSettings), settingsBefore, 'settings identical after renew, rotate and switching back');
  const sw = w.json(['switch', 'acme-staging']);
  assert.equal(sw.settings.filter((s: { wrote: boolean }) => s.wrote).length, 1, 'one write when tlsAltHost differs');
  assert.equal(w.settings()['coder.tlsAltHost'], 'coder-internal.acme.test');
  w.json(['switch', 'acme']);
  assert.deepEqual(readFileSync(w.codeSettings), settingsBefore);

  const rolled = w.json(['rollback']);
  assert.equal(rolled.generation, 2);
  assert.equal(currentPem(w, 'client.key'), key1, 'rollback brings back the previous generation');
  await assertWorks(w, srv, 'after rollback');
  assert.deepEqual(readFileSync(w.codeSettings), settingsBefore, 'settings identical after rollback');
}

/** Export, then import on a second HOME; returns the second world. */
function exportImport(w: World, extra: string[] = []): World {
  const file = join(w.root, 'acme.mtlsprofile');
  const exp = w.cli(['export', '--out', file, ...extra]);
  assert.equal(exp.code, 0, exp.stderr);
  const text = readFileSync(file, 'utf8');
  if (!extra.includes('--with-identity')) assert.doesNotMatch(text, /PRIVATE KEY|identityBundle/, 'no private key without --with-identity');
  const w2 = makeWorld('teammate');
  const imp = w2.cli(['import', file]);
  assert.equal(imp.code, 1, 'import without --yes and without a terminal asks, then refuses');
  assert.match(imp.stdout, /Deployment: +https:\/\/coder\.acme\.test/);
  const yes = w2.cli(['import', file, '--yes', ...(extra.includes('--with-identity') ? ['--passphrase-file', join(w.root, 'pass')] : [])]);
  assert.equal(yes.code, 0, yes.stderr);
  return w2;
}

test('self-signed: the whole life cycle, and a teammate import', async () => {
  const w = makeWorld('self');
  const init = w.cli(initArgs(['--self-signed', '--key', 'ecdsa-p256', '--days', '30']));
  assert.equal(init.code, 0, init.stderr);
  const s = w.settings();
  assert.equal(s['coder.tlsCertFile'], join(w.dataDir, 'active', 'current', 'client.crt'));
  assert.equal(s['coder.tlsCaFile'], undefined, 'no CA bundle, so no coder.tlsCaFile');
  assertPrivate(w);
  const srv = await startMtlsServer(serverId, { pins: [spkiSha256(currentPem(w, 'client.crt'))] });
  const status = await assertWorks(w, srv, 'after init');
  assert.deepEqual(status.report.sans.sort(), ['DNS:dev.acme.test', 'email:dev@acme.test']);
  assert.deepEqual(status.report.warnings, []);
  assert.equal(status.report.key.algorithm, 'EC');
  assert.ok(status.report.extKeyUsages.includes('clientAuth'));
  assert.equal(status.report.selfSigned, true);
  await renewableLife(w, srv, (x) => srv.pins.add(spkiSha256(currentPem(x, 'client.crt'))));

  const w2 = exportImport(w);
  srv.pins.add(spkiSha256(currentPem(w2, 'client.crt')));
  const st2 = await assertWorks(w2, srv, 'teammate after import');
  assert.equal(st2.profile.source, 'self-signed');
  assert.notEqual(currentPem(w2, 'client.key'), currentPem(w, 'client.key'), 'the teammate has a key of their own');
  await srv.close();
});

test('local CA: certificates from our CA work, and survive renew/rotate', async () => {
  const w = makeWorld('localca');
  const init = w.cli(initArgs(['--local-ca']));
  assert.equal(init.code, 0, init.stderr);
  const caPem = w.cli(['ca', 'cert']).stdout;
  assert.match(caPem, /BEGIN CERTIFICATE/);
  const keyFile = join(w.dataDir, 'profiles', 'acme', 'local-ca', 'ca.key');
  assert.equal(mode(keyFile), 0o400, 'CA key 0400');
  const srv = await startMtlsServer(serverId, { cas: [caPem] });
  const status = await assertWorks(w, srv, 'after init');
  assert.equal(status.report.selfSigned, false);
  assert.deepEqual(status.report.warnings, []);
  await renewableLife(w, srv, () => {});
  const w2 = exportImport(w);
  const st2 = w2.json(['status']);
  assert.equal(st2.profile.source, 'csr', "a teammate asks our CA with a CSR; the CA's key never travels");
  assert.equal(st2.profile.pending, true);
  await srv.close();
});

test("CSR: init --csr, a teammate's local CA signs it with ca sign, csr import-cert, then mTLS works", async () => {
  const owner = makeWorld('ca-owner');
  assert.equal(owner.cli(['init', '--url', 'https://coder.acme.test', '--name', 'ca', '--local-ca', '--no-settings']).code, 0);
  const caPem = owner.cli(['ca', 'cert']).stdout;

  const w = makeWorld('csr');
  const csrFile = join(w.root, 'me.csr');
  const init = w.cli(initArgs(['--csr', csrFile]));
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout, /csr import-cert/);
  execFileSync('openssl', ['req', '-in', csrFile, '-noout', '-verify'], { stdio: 'pipe' });
  const pending = w.json(['status']);
  assert.equal(pending.profile.pending, true);
  assert.equal(pending.report, null);

  const certFile = join(w.root, 'me.crt');
  // The CSR's names (dev@acme.test) are not its CN's (user@host): the owner allows them by name.
  const signed = owner.cli(['ca', 'sign', csrFile, '--out', certFile, '--days', '20', '--allow-san', 'email:*@acme.test', '--allow-san', 'DNS:*.acme.test']);
  assert.equal(signed.code, 0, signed.stderr);
  assert.match(signed.stdout, /email:dev@acme\.test/);

  // A certificate for another key is refused with a clear message, nothing changes.
  const other = join(w.root, 'other.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(w.root, 'other.key'), '-out', other, '-subj', '/CN=x', '-days', '1'], { stdio: 'ignore' });
  const wrong = w.cli(['csr', 'import-cert', other]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /key|match/i);
  assert.equal(w.json(['status']).profile.pending, true);

  const done = w.cli(['csr', 'import-cert', certFile]);
  assert.equal(done.code, 0, done.stderr);
  const srv = await startMtlsServer(serverId, { cas: [caPem] });
  const st = await assertWorks(w, srv, 'after csr import-cert');
  assert.equal(st.profile.pending, false);
  assert.ok(st.report.daysLeft <= 20);
  const renew = w.cli(['renew']);
  assert.equal(renew.code, 1, 'a CA-issued certificate cannot be renewed by us');
  assert.match(renew.stderr, /your CA/);
  const rotate = w.cli(['rotate']);
  assert.equal(rotate.code, 1);
  const rollback = w.cli(['rollback']);
  assert.equal(rollback.code, 1, 'one generation: nothing to roll back to');
  assert.match(rollback.stderr, /no earlier certificate/);
  // Switch away to another profile and back: the credentials still work.
  assert.equal(w.cli(['init', '--url', 'https://coder.acme.test', '--name', 'other', '--self-signed', '--no-settings']).code, 0);
  assert.equal(w.json(['switch', 'other']).profileId, 'other');
  assert.equal(w.json(['switch', 'acme']).profileId, 'acme');
  await assertWorks(w, srv, 'after switching back');
  // A teammate importing this profile gets a CSR of their own for the same CA.
  const w2 = exportImport(w);
  const st2 = w2.json(['status']);
  assert.equal(st2.profile.source, 'csr');
  assert.equal(st2.profile.pending, true);
  assert.match(w2.cli(['csr', 'show']).stdout, /BEGIN CERTIFICATE REQUEST/);
  await srv.close();
});

/** A CA of "the company" made with openssl, issuing a client certificate. */
function companyIdentity(dir: string): { ca: string; cert: string; key: string } {
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  o(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Company CA', '-days', '5', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  o(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=dev']);
  writeFileSync(join(dir, 'ext'), 'subjectAltName=email:dev@acme.test\nextendedKeyUsage=clientAuth\n');
  o(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '3', '-extfile', 'ext']);
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'client.crt'), key: join(dir, 'client.key') };
}

test('imported PEM and PKCS#12 (default and -legacy): work, cannot be renewed by us, export --with-identity carries them', async () => {
  const w = makeWorld('import');
  const id = companyIdentity(w.root);
  const srv = await startMtlsServer(serverId, { cas: [readFileSync(id.ca, 'utf8')] });

  const pem = w.cli(initArgs(['--import-pem', id.cert, id.key, '--ca-bundle', id.ca]).filter((a, i, all) => !(all[i - 1] === '--san' || a === '--san')));
  assert.equal(pem.code, 0, pem.stderr);
  assert.equal(w.settings()['coder.tlsCaFile'], join(w.dataDir, 'active', 'current', 'ca.crt'), 'a CA bundle sets coder.tlsCaFile');
  const st = w.json(['status']);
  assert.deepEqual(st.report.sans, ['email:dev@acme.test']);
  // The extension would verify the server with ca.crt (our company CA), so use the server cert only in the request.
  const res = await requestAsExtension(srv.url, { ...w.settings(), 'coder.tlsCaFile': undefined }, serverId.certPem);
  assert.equal(res.status, 200, res.body);
  assert.equal(w.cli(['rotate']).code, 1);

  writeFileSync(join(w.root, 'pass'), 'correct horse battery\n');
  for (const legacy of [false, true]) {
    const p12 = join(w.root, `id${legacy ? '-legacy' : ''}.p12`);
    execFileSync('openssl', ['pkcs12', '-export', ...(legacy ? ['-legacy'] : []), '-in', id.cert, '-inkey', id.key, '-certfile', id.ca, '-out', p12, '-passout', 'pass:correct horse battery'], { stdio: 'pipe' });
    const wrongPass = join(w.root, 'wrong');
    writeFileSync(wrongPass, 'nope\n');
    const bad = w.cli(['init', '--url', 'https://coder.acme.test', '--name', `p12 bad ${legacy}`, '--import-p12', p12, '--passphrase-file', wrongPass, '--no-settings']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /passphrase/i);
    assert.ok(!bad.stderr.includes('    at '), 'no stack trace');
    const good = w.cli(['init', '--url', 'https://coder.acme.test', '--name', `p12 ${legacy ? 'legacy' : 'default'}`, '--import-p12', p12, '--passphrase-file', join(w.root, 'pass')]);
    assert.equal(good.code, 0, good.stderr);
    const r = await requestAsExtension(srv.url, { ...w.settings(), 'coder.tlsCaFile': undefined }, serverId.certPem);
    assert.equal(r.status, 200, r.body);
  }

  // Switch between two imported identities, and back; both keep working.
  const list = w.json(['list']);
  assert.ok(list.length >= 3);
  assert.equal(w.json(['switch', 'acme']).profileId, 'acme');
  const back = await requestAsExtension(srv.url, { ...w.settings(), 'coder.tlsCaFile': undefined }, serverId.certPem);
  assert.equal(back.status, 200, back.body);
  assert.equal(w.cli(['rollback']).code, 1, 'an imported identity has no earlier generation');

  const w2 = exportImport(w, ['--with-identity', '--passphrase-file', join(w.root, 'pass')]);
  const st2 = w2.json(['status']);
  assert.equal(st2.profile.source, 'imported');
  assert.equal(st2.report.fingerprintSha256, w.json(['status']).report.fingerprintSha256, 'the same identity arrived');
  const r2 = await requestAsExtension(srv.url, { ...w2.settings(), 'coder.tlsCaFile': undefined }, serverId.certPem);
  assert.equal(r2.status, 200, r2.body);
  await srv.close();
});
