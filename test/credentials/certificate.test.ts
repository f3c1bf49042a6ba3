import { test } from 'node:test';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createHash, createPublicKey } from 'node:crypto';
import { KEY_ALGORITHMS, fingerprintSha256Hex, parseSan, describeKey, keyAlgorithmOf } from '../../main/credentials/reading';
import { generateKey, createSelfSignedClientCert, renewCertificate } from '../../main/credentials/making';
import { randomSerialHex } from '../../main/credentials/serial';
import { opensslOk, tempDir, writeIn, rejectsUser } from './helpers';

const NOW = new Date('2030-01-15T12:00:00Z');
const SANS = ['DNS:dev.example.com', 'IP:10.0.0.7', 'email:dev@example.com', 'URI:spiffe://corp/dev'].map(parseSan);

test('generateKey makes unencrypted PKCS#8 keys of every algorithm', async () => {
  const expected = {
    'ecdsa-p256': { algorithm: 'EC', curve: 'P-256' },
    'ecdsa-p384': { algorithm: 'EC', curve: 'P-384' },
    'rsa-2048': { algorithm: 'RSA', size: 2048 },
    'rsa-3072': { algorithm: 'RSA', size: 3072 },
    'rsa-4096': { algorithm: 'RSA', size: 4096 },
  } as const;
  const keys = await Promise.all(KEY_ALGORITHMS.map((a) => generateKey(a)));
  KEY_ALGORITHMS.forEach((alg, i) => {
    const pem = keys[i]!;
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(pem);
    assert.deepEqual(describeKey(key), expected[alg]);
    assert.equal(keyAlgorithmOf(key), alg);
  });
  // Two calls give two different keys.
  assert.notEqual(await generateKey('ecdsa-p256'), await generateKey('ecdsa-p256'));
  await rejectsUser(() => generateKey('dsa-1024' as never), 'KEY_ALGORITHM_UNKNOWN');
});

test('randomSerialHex is 17 bytes, positive, minimally encoded and random', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const s = randomSerialHex();
    assert.equal(s.length, 34);
    const first = parseInt(s.slice(0, 2), 16);
    assert.ok(first >= 1 && first <= 0x7f, s);
    seen.add(s);
  }
  assert.equal(seen.size, 200);
  // Edge bytes 0x00 and 0xff still give a valid first byte.
  assert.equal(randomSerialHex((n) => Buffer.alloc(n, 0)).slice(0, 2), '01');
  assert.equal(randomSerialHex((n) => Buffer.alloc(n, 0xff)).slice(0, 2), '02');
});

test('createSelfSignedClientCert: SANs, clientAuth EKU, CN, backdated notBefore, days, serial', async () => {
  const keyPem = await generateKey('ecdsa-p256');
  const pem = await createSelfSignedClientCert({ keyPem, sans: SANS, commonName: 'dev', days: 30, now: NOW });
  const c = new X509Certificate(pem);
  assert.equal(c.subject, 'CN=dev');
  assert.equal(c.issuer, 'CN=dev');
  assert.equal(new Date(c.validFrom).toISOString(), '2030-01-15T11:59:00.000Z');
  assert.equal(new Date(c.validTo).toISOString(), '2030-02-14T12:00:00.000Z');
  assert.ok(c.checkPrivateKey(createPrivateKey(keyPem)));
  assert.ok(c.verify(c.publicKey), 'self-signature verifies');
  assert.ok(BigInt('0x' + c.serialNumber) >= 1n << 128n, 'serial has at least 128 bits');
  assert.deepEqual(c.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.equal(c.ca, false);
  assert.equal(c.subjectAltName, 'DNS:dev.example.com, IP Address:10.0.0.7, email:dev@example.com, URI:spiffe://corp/dev');

  // openssl reads the same thing.
  const dir = tempDir();
  const text = opensslOk(['x509', '-in', writeIn(dir, 'c.pem', pem), '-noout', '-text']);
  assert.match(text, /X509v3 Subject Alternative Name:\s*\n\s*DNS:dev\.example\.com, IP Address:10\.0\.0\.7, email:dev@example\.com, URI:spiffe:\/\/corp\/dev/);
  assert.match(text, /X509v3 Extended Key Usage:\s*\n\s*TLS Web Client Authentication\n/);
  assert.match(text, /X509v3 Key Usage: critical\s*\n\s*Digital Signature\n/);
  assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
  // Trusted as itself, it verifies for client use.
  const at = String(NOW.getTime() / 1000);
  opensslOk(['verify', '-attime', at, '-CAfile', join(dir, 'c.pem'), '-purpose', 'sslclient', join(dir, 'c.pem')]);
});

test('createSelfSignedClientCert: serverAuth, RSA key usage, P-384 uses SHA-384, no SANs allowed', async () => {
  const [rsa, p384] = await Promise.all([generateKey('rsa-2048'), generateKey('ecdsa-p384')]);
  const r = new X509Certificate(await createSelfSignedClientCert({ keyPem: rsa, sans: SANS.slice(0, 1), commonName: 'r', days: 1, serverAuth: true, now: NOW }));
  assert.deepEqual(r.keyUsage, ['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1']);
  const dir = tempDir();
  const rt = opensslOk(['x509', '-in', writeIn(dir, 'r.pem', r.toString()), '-noout', '-text']);
  assert.match(rt, /Digital Signature, Key Encipherment/);
  assert.match(rt, /sha256WithRSAEncryption/);
  const p = await createSelfSignedClientCert({ keyPem: p384, sans: [], commonName: 'p', days: 1, now: NOW });
  const pt = opensslOk(['x509', '-in', writeIn(dir, 'p.pem', p), '-noout', '-text']);
  assert.match(pt, /ecdsa-with-SHA384/);
  assert.doesNotMatch(pt, /Subject Alternative Name/);
});

test('a common name with commas, quotes, = and non-ASCII is carried literally', async () => {
  const keyPem = await generateKey('ecdsa-p256');
  const cn = 'Jürgen, "dev" b=c';
  const pem = await createSelfSignedClientCert({ keyPem, sans: SANS, commonName: cn, days: 1 });
  const dir = tempDir();
  const out = opensslOk(['x509', '-in', writeIn(dir, 'cn.pem', pem), '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus,-esc_msb']);
  assert.equal(out.trim(), `subject=CN=${cn}`);
  assert.equal(new X509Certificate(pem).subject, 'CN=Jürgen\\, \\"dev\\" b=c');
  // Renewal copies the exact name.
  const renewed = await renewCertificate({ certPem: pem, keyPem, days: 1 });
  assert.ok(new X509Certificate(renewed).subject === new X509Certificate(pem).subject);
});

test('createSelfSignedClientCert refuses bad days, bad CN and a key that is not a key', async () => {
  const keyPem = await generateKey('ecdsa-p256');
  for (const days of [0, -1, 1.5, 99999, NaN]) {
    await rejectsUser(createSelfSignedClientCert({ keyPem, sans: SANS, commonName: 'x', days }), 'DAYS_INVALID', /days/);
  }
  await rejectsUser(createSelfSignedClientCert({ keyPem, sans: SANS, commonName: '  ', days: 1 }), 'COMMON_NAME_INVALID');
  await rejectsUser(createSelfSignedClientCert({ keyPem, sans: SANS, commonName: 'x'.repeat(65), days: 1 }), 'COMMON_NAME_INVALID');
  await rejectsUser(createSelfSignedClientCert({ keyPem: 'nope', sans: SANS, commonName: 'x', days: 1 }), 'KEY_UNREADABLE', /private key/);
});

test('renewCertificate keeps key, subject, SANs and EKU; new serial and dates', async () => {
  const keyPem = await generateKey('ecdsa-p256');
  const oldPem = await createSelfSignedClientCert({ keyPem, sans: SANS, commonName: 'dev', days: 30, serverAuth: true, now: NOW });
  const later = new Date(NOW.getTime() + 20 * 86_400_000);
  const newPem = await renewCertificate({ certPem: oldPem, keyPem, days: 60, now: later });
  const o = new X509Certificate(oldPem);
  const n = new X509Certificate(newPem);
  assert.equal(n.subject, o.subject);
  assert.equal(n.subjectAltName, o.subjectAltName);
  assert.deepEqual(n.keyUsage, o.keyUsage);
  assert.notEqual(n.serialNumber, o.serialNumber);
  assert.equal(new Date(n.validFrom).toISOString(), new Date(later.getTime() - 60_000).toISOString());
  assert.equal(new Date(n.validTo).toISOString(), new Date(later.getTime() + 60 * 86_400_000).toISOString());
  assert.ok(n.publicKey.equals(o.publicKey), 'renew keeps the key');
  assert.ok(n.verify(n.publicKey), 'still self-signed');
});

test('renewCertificate with a fresh key (rotate) certifies the new key, even of another type', async () => {
  const [oldKey, newKey] = await Promise.all([generateKey('ecdsa-p256'), generateKey('rsa-2048')]);
  const oldPem = await createSelfSignedClientCert({ keyPem: oldKey, sans: SANS, commonName: 'dev', days: 30, now: NOW });
  const n = new X509Certificate(await renewCertificate({ certPem: oldPem, keyPem: newKey, days: 30, now: NOW }));
  assert.ok(n.checkPrivateKey(createPrivateKey(newKey)));
  assert.equal(n.subjectAltName, new X509Certificate(oldPem).subjectAltName);
  assert.ok(n.verify(createPublicKey(newKey)));
});

test('renewCertificate with an issuer is signed by it and refuses a CA key that is not the CA cert\'s', async () => {
  const [caKey, otherKey, leafKey] = await Promise.all([generateKey('ecdsa-p256'), generateKey('ecdsa-p256'), generateKey('ecdsa-p256')]);
  // A CA made by openssl, so this does not depend on our own CA code.
  const dir = tempDir();
  const caKeyPath = writeIn(dir, 'ca.key', caKey);
  const caPem = opensslOk(['req', '-x509', '-key', caKeyPath, '-subj', '/CN=Test CA', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const leaf = await createSelfSignedClientCert({ keyPem: leafKey, sans: SANS, commonName: 'dev', days: 30 });
  const issued = await renewCertificate({ certPem: leaf, keyPem: leafKey, days: 10, issuer: { certPem: caPem, keyPem: caKey } });
  const n = new X509Certificate(issued);
  assert.equal(n.issuer, 'CN=Test CA');
  assert.ok(n.checkIssued(new X509Certificate(caPem)));
  opensslOk(['verify', '-CAfile', writeIn(dir, 'ca.pem', caPem), '-purpose', 'sslclient', writeIn(dir, 'n.pem', issued)]);
  await rejectsUser(renewCertificate({ certPem: leaf, keyPem: leafKey, days: 10, issuer: { certPem: caPem, keyPem: otherKey } }), 'CA_KEY_MISMATCH');
});

test('fingerprintSha256Hex is the lowercase SHA-256 of the DER, like openssl', async () => {
  const keyPem = await generateKey('ecdsa-p256');
  const pem = await createSelfSignedClientCert({ keyPem, sans: SANS, commonName: 'dev', days: 1 });
  const fp = fingerprintSha256Hex(pem);
  assert.match(fp, /^[0-9a-f]{64}$/);
  assert.equal(fp, createHash('sha256').update(new X509Certificate(pem).raw).digest('hex'));
  const dir = tempDir();
  const out = opensslOk(['x509', '-in', writeIn(dir, 'c.pem', pem), '-noout', '-fingerprint', '-sha256']);
  assert.equal(out.trim().split('=')[1]!.replace(/:/g, '').toLowerCase(), fp);
  await rejectsUser(() => fingerprintSha256Hex(keyPem), 'NOT_A_CERTIFICATE');
});
