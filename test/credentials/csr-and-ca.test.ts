import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { parseSan, certificateReport } from '../../main/credentials/reading';
import { acceptIssuedCertificate, createCsr, createLocalCa, generateKey, issueClientCert, readCsr, signCsr, renewCertificate } from '../../main/credentials/making';
import { CA_KEY_FILE_MODE, LOCAL_CA_DAYS } from '../../main/credentials/local-ca';
import { sanAllowList, filterSans } from '../../main/credentials/san-policy';
import { openssl, opensslOk, rejectsUser, tempDir, writeIn, isUserErr } from './helpers';

const SANS = ['DNS:dev.example.com', 'IP:10.0.0.7', 'email:dev@example.com', 'URI:spiffe://corp/dev'].map(parseSan);
const NOW = new Date('2030-03-01T00:00:00Z');
const at = (d: Date) => String(Math.floor(d.getTime() / 1000));

test('createCsr: openssl req -verify accepts it and shows SANs and EKU; readCsr reads it back', async () => {
  const dir = tempDir();
  for (const alg of ['ecdsa-p256', 'rsa-2048'] as const) {
    const keyPem = await generateKey(alg);
    const csr = await createCsr({ keyPem, sans: SANS, commonName: 'dev' });
    assert.match(csr, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const path = writeIn(dir, `${alg}.csr`, csr);
    const r = openssl(['req', '-in', path, '-verify', '-noout', '-text']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /verify OK/i);
    assert.match(r.stdout, /Subject: CN ?= ?dev/);
    assert.match(r.stdout, /DNS:dev\.example\.com, IP Address:10\.0\.0\.7, email:dev@example\.com, URI:spiffe:\/\/corp\/dev/);
    assert.match(r.stdout, /TLS Web Client Authentication/);
    // The CSR carries our public key, and never the private one.
    assert.doesNotMatch(csr, /PRIVATE/);
    const info = await readCsr(csr);
    assert.equal(info.commonName, 'dev');
    assert.deepEqual(info.sans, SANS);
    assert.equal(info.publicKeyPem, createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }));
  }
});

test('readCsr reads an openssl CSR and refuses a tampered one', async () => {
  const dir = tempDir();
  const keyPath = writeIn(dir, 'k.pem', await generateKey('ecdsa-p256'));
  const csr = opensslOk(['req', '-new', '-key', keyPath, '-subj', '/CN=mate/O=Team', '-addext', 'subjectAltName=DNS:mate.example.com,email:mate@example.com']);
  const info = await readCsr(csr);
  assert.equal(info.subject, 'CN=mate, O=Team');
  assert.deepEqual(info.sans, [parseSan('DNS:mate.example.com'), parseSan('email:mate@example.com')]);
  // Flip one byte inside the signed part (the CN): the signature no longer verifies.
  const der = Buffer.from(csr.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
  const at = der.indexOf(Buffer.from('mate'));
  der[at] = 'n'.charCodeAt(0);
  const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  await rejectsUser(readCsr(tampered), 'CSR_BAD_SIGNATURE', /invalid signature/);
  await rejectsUser(readCsr(readFileSync(keyPath, 'utf8')), 'NOT_A_CSR');
});

test('createLocalCa: CA:TRUE pathlen 0, keyCertSign+cRLSign, 10 years; key mode constant', async () => {
  const ca = await createLocalCa({ commonName: 'Team CA', now: NOW });
  assert.equal(CA_KEY_FILE_MODE, 0o400);
  assert.equal(LOCAL_CA_DAYS, 3650);
  const c = new X509Certificate(ca.certPem);
  assert.equal(c.ca, true);
  assert.equal(c.subject, 'CN=Team CA');
  assert.equal(new Date(c.validTo).getTime() - NOW.getTime(), 3650 * 86_400_000);
  assert.ok(c.checkPrivateKey(createPrivateKey(ca.keyPem)));
  const dir = tempDir();
  const text = opensslOk(['x509', '-in', writeIn(dir, 'ca.pem', ca.certPem), '-noout', '-text']);
  assert.match(text, /X509v3 Basic Constraints: critical\s*\n\s*CA:TRUE, pathlen:0/);
  assert.match(text, /X509v3 Key Usage: critical\s*\n\s*Certificate Sign, CRL Sign/);
  // Default names differ, so two teams' CAs never share a subject.
  const [a, b] = await Promise.all([createLocalCa(), createLocalCa()]);
  assert.notEqual(new X509Certificate(a.certPem).subject, new X509Certificate(b.certPem).subject);
});

test('issueClientCert: openssl verify accepts the chain for client use; path length 0 is enforced', async () => {
  const dir = tempDir();
  const ca = await createLocalCa({ commonName: 'Team CA', now: NOW });
  const leafKey = await generateKey('ecdsa-p256');
  // A public key is enough: the private key never has to reach the CA.
  const leaf = await issueClientCert({ ca, publicKeyPem: createPublicKey(leafKey).export({ type: 'spki', format: 'pem' }) as string, sans: SANS, commonName: 'dev', days: 30, now: NOW });
  const caPath = writeIn(dir, 'ca.pem', ca.certPem);
  const leafPath = writeIn(dir, 'leaf.pem', leaf);
  const ok = opensslOk(['verify', '-attime', at(NOW), '-CAfile', caPath, '-purpose', 'sslclient', leafPath]);
  assert.match(ok, /leaf\.pem: OK/);
  const text = opensslOk(['x509', '-in', leafPath, '-noout', '-text']);
  assert.match(text, /Issuer: CN ?= ?Team CA/);
  assert.match(text, /X509v3 Authority Key Identifier/);
  assert.ok(new X509Certificate(leaf).checkPrivateKey(createPrivateKey(leafKey)));

  // An intermediate signed by our CA (with openssl) must not be accepted as an issuer.
  const subKey = writeIn(dir, 'sub.key', await generateKey('ecdsa-p256'));
  const subCsr = writeIn(dir, 'sub.csr', opensslOk(['req', '-new', '-key', subKey, '-subj', '/CN=Sub CA']));
  const ext = writeIn(dir, 'ext.cnf', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n');
  const caKey = writeIn(dir, 'ca.key', ca.keyPem);
  const subPath = join(dir, 'sub.pem');
  opensslOk(['x509', '-req', '-in', subCsr, '-CA', caPath, '-CAkey', caKey, '-CAcreateserial', '-days', '30', '-extfile', ext, '-out', subPath]);
  const under = writeIn(dir, 'under.pem', await issueClientCert({ ca: { certPem: readFileSync(subPath, 'utf8'), keyPem: readFileSync(subKey, 'utf8') }, publicKeyPem: leafKey, sans: SANS, commonName: 'x', days: 10 }));
  const r = openssl(['verify', '-CAfile', caPath, '-untrusted', subPath, under]);
  assert.notEqual(r.status, 0);
  assert.match(r.stdout + r.stderr, /path length constraint exceeded/);
});

test('issueClientCert caps notAfter at the CA\'s, and refuses expired or non-CA issuers', async () => {
  const ca = await createLocalCa({ commonName: 'Short CA', days: 10, now: NOW });
  const key = await generateKey('ecdsa-p256');
  const leaf = new X509Certificate(await issueClientCert({ ca, publicKeyPem: key, sans: SANS, commonName: 'dev', days: 365, now: NOW }));
  assert.equal(leaf.validTo, new X509Certificate(ca.certPem).validTo);
  const later = new Date(NOW.getTime() + 11 * 86_400_000);
  await rejectsUser(issueClientCert({ ca, publicKeyPem: key, sans: SANS, commonName: 'dev', days: 1, now: later }), 'CA_EXPIRED', /expired on/);
  const notCa = { certPem: leaf.toString(), keyPem: key };
  await rejectsUser(issueClientCert({ ca: notCa, publicKeyPem: key, sans: SANS, commonName: 'dev', days: 1, now: NOW }), 'NOT_A_CA');
  const other = await createLocalCa();
  await rejectsUser(issueClientCert({ ca: { certPem: ca.certPem, keyPem: other.keyPem }, publicKeyPem: key, sans: SANS, commonName: 'dev', days: 1, now: NOW }), 'CA_KEY_MISMATCH');
  // Renewing a CA-issued certificate keeps it under the CA.
  const renewed = await renewCertificate({ certPem: leaf.toString(), keyPem: key, days: 5, issuer: ca, now: NOW });
  assert.ok(new X509Certificate(renewed).checkIssued(new X509Certificate(ca.certPem)));
});

test('sanAllowList: globs, CIDR ranges, exact names; filterSans splits', () => {
  const allow = sanAllowList(['DNS:*.dev.example.com', 'email:*@example.com', 'IP:10.0.0.0/8', 'IP:fd00::/8', 'URI:spiffe://corp/*', 'DNS:exact.example.org']);
  const yes = ['DNS:a.dev.example.com', 'DNS:A.B.DEV.EXAMPLE.COM', 'email:x@example.com', 'IP:10.255.0.1', 'IP:fd12::1', 'URI:spiffe://corp/me', 'DNS:exact.example.org'];
  const no = ['DNS:dev.example.com', 'DNS:evil.com', 'DNS:a.dev.example.com.evil.com', 'email:x@evil.com', 'IP:11.0.0.1', 'IP:fe80::1', 'URI:spiffe://other/me', 'DNS:sub.exact.example.org'];
  for (const s of yes) assert.ok(allow(parseSan(s)), `should allow ${s}`);
  for (const s of no) assert.ok(!allow(parseSan(s)), `should refuse ${s}`);
  const split = filterSans(['DNS:a.dev.example.com', 'DNS:evil.com'].map(parseSan), ['DNS:*.dev.example.com']);
  assert.deepEqual(split, { copied: [parseSan('DNS:a.dev.example.com')], refused: [parseSan('DNS:evil.com')] });
  assert.throws(() => sanAllowList(['IP:10.0.0.0/33']), isUserErr('SAN_PATTERN_INVALID'));
  assert.throws(() => sanAllowList(['junk value']), isUserErr('SAN_INVALID'));
});

test('signCsr copies only allowed SANs, keeps only the CN, and openssl verifies the result', async () => {
  const dir = tempDir();
  const ca = await createLocalCa({ commonName: 'Team CA' });
  const mateKey = writeIn(dir, 'mate.key', await generateKey('ecdsa-p256'));
  const csrPem = opensslOk(['req', '-new', '-key', mateKey, '-subj', '/CN=mate/O=Evil Corp', '-addext', 'subjectAltName=DNS:mate.dev.example.com,DNS:coder.example.com,email:mate@example.com', '-addext', 'extendedKeyUsage=serverAuth,codeSigning']);
  const res = await signCsr({ csrPem, ca, days: 30, allow: ['DNS:*.dev.example.com', 'email:*@example.com'] });
  assert.deepEqual(res.copied, [parseSan('DNS:mate.dev.example.com'), parseSan('email:mate@example.com')]);
  assert.deepEqual(res.refused, [parseSan('DNS:coder.example.com')]);
  const cert = new X509Certificate(res.certPem);
  assert.equal(cert.subject, 'CN=mate');
  assert.equal(cert.subjectAltName, 'DNS:mate.dev.example.com, email:mate@example.com');
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'EKU is the CA\'s choice, not the request\'s');
  assert.ok(cert.checkPrivateKey(createPrivateKey(readFileSync(mateKey))));
  opensslOk(['verify', '-CAfile', writeIn(dir, 'ca.pem', ca.certPem), '-purpose', 'sslclient', writeIn(dir, 'mate.pem', res.certPem)]);
  // Predicates work as well as patterns; nothing allowed is refused outright.
  await rejectsUser(signCsr({ csrPem, ca, days: 30, allow: () => false }), 'CSR_NO_ALLOWED_SAN', /asked: DNS:mate\.dev\.example\.com, DNS:coder\.example\.com, EMAIL:mate@example\.com/);
});

test('acceptIssuedCertificate: takes the CA\'s cert (+chain) for the pending key, refuses another key\'s', async () => {
  const dir = tempDir();
  const pendingKey = await generateKey('ecdsa-p256');
  const csr = await createCsr({ keyPem: pendingKey, sans: SANS, commonName: 'dev' });
  // The "corporate CA" is openssl, signing our CSR with its own tooling.
  const caKey = writeIn(dir, 'ca.key', await generateKey('rsa-2048'));
  const caPath = join(dir, 'ca.pem');
  opensslOk(['req', '-x509', '-key', caKey, '-subj', '/CN=Corp CA', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign', '-out', caPath]);
  const issuedPath = join(dir, 'issued.pem');
  opensslOk(['x509', '-req', '-in', writeIn(dir, 'dev.csr', csr), '-CA', caPath, '-CAkey', caKey, '-CAcreateserial', '-days', '30', '-copy_extensions', 'copy', '-out', issuedPath]);
  const issued = readFileSync(issuedPath, 'utf8');
  const caPem = readFileSync(caPath, 'utf8');
  const got = acceptIssuedCertificate(issued + caPem, pendingKey);
  assert.equal(new X509Certificate(got.certPem).subjectAltName, 'DNS:dev.example.com, IP Address:10.0.0.7, email:dev@example.com, URI:spiffe://corp/dev');
  assert.equal(new X509Certificate(got.chainPem).subject, 'CN=Corp CA');
  assert.equal(got.keyPem, pendingKey);
  assert.deepEqual(certificateReport(got.certPem, { keyPem: got.keyPem, trustedCaPem: caPem }).warnings, []);

  const otherKey = await generateKey('ecdsa-p256');
  assert.throws(() => acceptIssuedCertificate(issued, otherKey, { certFile: 'issued.pem' }), isUserErr('CERT_KEY_MISMATCH', /issued\.pem \(CN=dev\) is for a different key than the one this profile's request was made with/));
});

test('acceptIssuedCertificate: refuses what cannot work (expired, not yet valid, no clientAuth); the clock is the caller\'s', async () => {
  const dir = tempDir();
  const key = await generateKey('ecdsa-p256');
  const csr = writeIn(dir, 'dev.csr', await createCsr({ keyPem: key, sans: SANS, commonName: 'dev' }));
  const caKey = writeIn(dir, 'ca.key', await generateKey('ecdsa-p256'));
  const caPath = join(dir, 'ca.pem');
  opensslOk(['req', '-x509', '-key', caKey, '-subj', '/CN=Corp CA', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign', '-out', caPath]);
  const sign = (name: string, ext: string) => {
    const out = join(dir, `${name}.pem`);
    opensslOk(['x509', '-req', '-in', csr, '-CA', caPath, '-CAkey', caKey, '-CAcreateserial', '-days', '10', '-extfile', writeIn(dir, `${name}.ext`, ext), '-out', out]);
    return readFileSync(out, 'utf8');
  };
  const client = sign('client', 'extendedKeyUsage=clientAuth\n');
  const DAY = 86_400_000;
  assert.throws(() => acceptIssuedCertificate(client, key, { now: new Date(Date.now() + 11 * DAY) }), isUserErr('CERT_EXPIRED', /expired on/));
  assert.throws(() => acceptIssuedCertificate(client, key, { now: new Date(Date.now() - DAY) }), isUserErr('CERT_NOT_YET_VALID', /is not valid until/));
  assert.throws(() => acceptIssuedCertificate(sign('server', 'extendedKeyUsage=serverAuth\n'), key), isUserErr('CERT_NO_CLIENT_AUTH', /does not allow client authentication/));
  // No EKU at all means any purpose; clientAuth among others is fine.
  acceptIssuedCertificate(sign('none', 'basicConstraints=CA:FALSE\n'), key);
  acceptIssuedCertificate(sign('both', 'extendedKeyUsage=serverAuth,clientAuth\n'), key);
});
