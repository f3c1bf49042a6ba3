import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { certificateReport, makeWarning, parseSan, WARNING_CODES, GO_LEGACY_CN_ERROR, type CertificateReport, type WarningCode } from '../../main/credentials/reading';
import { createLocalCa, createSelfSignedClientCert, generateKey, issueClientCert } from '../../main/credentials/making';
import { opensslOk, tempDir, writeIn } from './helpers';

const DAY = 86_400_000;
const NOW = new Date('2031-06-01T00:00:00Z');
const SANS = ['DNS:dev.example.com', 'email:dev@example.com'].map(parseSan);

const codes = (r: CertificateReport): WarningCode[] => r.warnings.map((w) => w.code).sort();

function warning(r: CertificateReport, code: WarningCode) {
  const w = r.warnings.find((x) => x.code === code);
  assert.ok(w, `expected ${code} in ${JSON.stringify(codes(r))}`);
  assert.ok(w.message.length > 20 && w.fix.length > 10, 'message and fix are sentences');
  return w;
}

/** openssl makes the certificates our engine refuses to make (SHA-1, RSA-1024, server-only EKU). */
function opensslCert(dir: string, name: string, args: string[]): { cert: string; key: string } {
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.crt`);
  opensslOk(['req', '-x509', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '30', ...args]);
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

test('a fresh self-signed certificate: all fields, no warnings', async () => {
  const keyPem = await generateKey('ecdsa-p256');
  const certPem = await createSelfSignedClientCert({ keyPem, sans: SANS, commonName: 'dev', days: 90, now: NOW });
  const r = certificateReport(certPem, { keyPem, now: new Date(NOW.getTime() + 9 * DAY) });
  assert.deepEqual(r.warnings, []);
  assert.equal(r.subject, 'CN=dev');
  assert.equal(r.issuer, 'CN=dev');
  assert.match(r.serial, /^[0-9a-f]{34}$/);
  assert.match(r.fingerprintSha256, /^[0-9a-f]{64}$/);
  assert.equal(r.notBefore, new Date(NOW.getTime() - 60_000).toISOString());
  assert.equal(r.notAfter, new Date(NOW.getTime() + 90 * DAY).toISOString());
  assert.equal(r.daysLeft, 81);
  assert.ok(Math.abs(r.lifetimeUsed - 9 / 90) < 0.001, String(r.lifetimeUsed));
  assert.deepEqual(r.key, { algorithm: 'EC', curve: 'P-256' });
  assert.equal(r.signatureAlgorithm, 'ecdsa-with-SHA256');
  assert.deepEqual(r.sans, SANS);
  assert.deepEqual(r.keyUsages, ['digitalSignature']);
  assert.deepEqual(r.extKeyUsages, ['clientAuth']);
  assert.equal(r.isCa, false);
  assert.equal(r.selfSigned, true);
  // The serial is the one openssl sees.
  const dir = tempDir();
  const serial = opensslOk(['x509', '-in', writeIn(dir, 'c.pem', certPem), '-noout', '-serial']).trim().split('=')[1]!;
  assert.equal(r.serial, serial.toLowerCase());
});

test('EXPIRED, NOT_YET_VALID and EXPIRING_SOON from real dates', async () => {
  const keyPem = await generateKey('ecdsa-p256');
  const certPem = await createSelfSignedClientCert({ keyPem, sans: SANS, commonName: 'dev', days: 30, now: NOW });
  const expired = certificateReport(certPem, { now: new Date(NOW.getTime() + 33 * DAY) });
  assert.deepEqual(codes(expired), ['EXPIRED']);
  assert.equal(warning(expired, 'EXPIRED').severity, 'error');
  assert.match(warning(expired, 'EXPIRED').message, /expired on 2031-07-01 00:00 UTC \(3 days ago\)/);
  assert.equal(expired.daysLeft, -3);
  assert.equal(expired.lifetimeUsed, 1);

  const early = certificateReport(certPem, { now: new Date(NOW.getTime() - 2 * DAY) });
  assert.deepEqual(codes(early), ['NOT_YET_VALID']);
  assert.match(warning(early, 'NOT_YET_VALID').message, /only becomes valid on 2031-05-31 23:59 UTC/);
  assert.match(warning(early, 'NOT_YET_VALID').fix, /clock/);
  assert.equal(early.lifetimeUsed, 0);

  // 30-day lifetime: default threshold is a third of it (10 days).
  assert.deepEqual(codes(certificateReport(certPem, { now: new Date(NOW.getTime() + 19 * DAY) })), []);
  const soon = certificateReport(certPem, { now: new Date(NOW.getTime() + 21 * DAY) });
  assert.deepEqual(codes(soon), ['EXPIRING_SOON']);
  assert.match(warning(soon, 'EXPIRING_SOON').message, /in 9 days/);
  assert.equal(warning(soon, 'EXPIRING_SOON').severity, 'warning');
  // An explicit threshold wins.
  assert.deepEqual(codes(certificateReport(certPem, { now: new Date(NOW.getTime() + 21 * DAY), expiringSoonDays: 5 })), []);
  assert.deepEqual(codes(certificateReport(certPem, { now: new Date(NOW.getTime() + 10 * DAY), expiringSoonDays: 25 })), ['EXPIRING_SOON']);
});

test('NO_SAN quotes Go, for our CN-only certificate and an openssl one', async () => {
  const keyPem = await generateKey('ecdsa-p256');
  const ours = certificateReport(await createSelfSignedClientCert({ keyPem, sans: [], commonName: 'legacy-host', days: 30 }));
  assert.deepEqual(codes(ours), ['NO_SAN']);
  const w = warning(ours, 'NO_SAN');
  assert.ok(w.message.includes(`"${GO_LEGACY_CN_ERROR}"`));
  assert.ok(w.message.includes('x509: certificate relies on legacy Common Name field, use SANs instead'));
  assert.match(w.message, /Common Name "legacy-host"/);
  const dir = tempDir();
  const o = opensslCert(dir, 'cn', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-subj', '/CN=only-cn']);
  assert.ok(codes(certificateReport(o.cert)).includes('NO_SAN'));
});

test('KEY_MISMATCH when the key belongs to another certificate', async () => {
  const [a, b] = await Promise.all([generateKey('ecdsa-p256'), generateKey('ecdsa-p256')]);
  const certPem = await createSelfSignedClientCert({ keyPem: a, sans: SANS, commonName: 'dev', days: 30 });
  const r = certificateReport(certPem, { keyPem: b, keyFile: '/home/me/client.key', certFile: '/home/me/client.crt' });
  assert.deepEqual(codes(r), ['KEY_MISMATCH']);
  assert.match(warning(r, 'KEY_MISMATCH').message, /in \/home\/me\/client\.key does not belong to the certificate in \/home\/me\/client\.crt/);
  assert.deepEqual(codes(certificateReport(certPem, { keyPem: a })), []);
});

test('NO_CLIENT_AUTH_EKU for a server-only certificate; none when EKU is absent', () => {
  const dir = tempDir();
  const server = opensslCert(dir, 'srv', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-subj', '/CN=srv', '-addext', 'subjectAltName=DNS:srv.example', '-addext', 'extendedKeyUsage=serverAuth']);
  const r = certificateReport(server.cert, { keyPem: server.key });
  assert.deepEqual(codes(r), ['NO_CLIENT_AUTH_EKU']);
  assert.deepEqual(r.extKeyUsages, ['serverAuth']);
  assert.match(warning(r, 'NO_CLIENT_AUTH_EKU').message, /lists only serverAuth, not clientAuth/);
  const any = opensslCert(dir, 'any', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-subj', '/CN=any', '-addext', 'subjectAltName=DNS:any.example']);
  assert.deepEqual(codes(certificateReport(any.cert)), []);
});

test('WEAK_KEY for RSA-1024 and WEAK_SIGNATURE for SHA-1, both made by openssl', () => {
  const dir = tempDir();
  const rsa1024 = opensslCert(dir, 'weak', ['-newkey', 'rsa:1024', '-subj', '/CN=weak', '-addext', 'subjectAltName=DNS:weak.example', '-addext', 'extendedKeyUsage=clientAuth']);
  const r = certificateReport(rsa1024.cert, { keyPem: rsa1024.key });
  assert.deepEqual(codes(r), ['WEAK_KEY']);
  assert.deepEqual(r.key, { algorithm: 'RSA', size: 1024 });
  assert.match(warning(r, 'WEAK_KEY').message, /RSA key is only 1024 bits/);

  const sha1 = opensslCert(dir, 'sha1', ['-newkey', 'rsa:2048', '-sha1', '-subj', '/CN=sha1', '-addext', 'subjectAltName=DNS:sha1.example', '-addext', 'extendedKeyUsage=clientAuth']);
  const s = certificateReport(sha1.cert, { keyPem: sha1.key });
  assert.deepEqual(codes(s), ['WEAK_SIGNATURE']);
  assert.equal(s.signatureAlgorithm, 'sha1WithRSAEncryption');
  assert.match(warning(s, 'WEAK_SIGNATURE').message, /signed with sha1WithRSAEncryption/);
  assert.equal(s.selfSigned, true, 'SHA-1 self-signature still checks as self-signed');
});

test('CHAIN_UNVERIFIED against another CA; verified against the right one; CA fields', async () => {
  const [caA, caB, leafKey] = await Promise.all([createLocalCa({ commonName: 'CA A' }), createLocalCa({ commonName: 'CA B' }), generateKey('ecdsa-p256')]);
  const leaf = await issueClientCert({ ca: caA, publicKeyPem: leafKey, sans: SANS, commonName: 'dev', days: 30 });
  const good = certificateReport(leaf, { keyPem: leafKey, trustedCaPem: caA.certPem });
  assert.deepEqual(codes(good), []);
  assert.equal(good.selfSigned, false);
  assert.equal(good.issuer, 'CN=CA A');
  const bad = certificateReport(leaf, { trustedCaPem: caB.certPem });
  assert.deepEqual(codes(bad), ['CHAIN_UNVERIFIED']);
  assert.match(warning(bad, 'CHAIN_UNVERIFIED').message, /no certificate that issued "CN=dev" is among the trusted CAs.*issuer: CN=CA A/);
  // A chain file whose last certificate did not sign the leaf.
  const broken = certificateReport(leaf, { chainPem: caB.certPem });
  assert.deepEqual(codes(broken), ['CHAIN_UNVERIFIED']);
  // A CA in a bundle with others still verifies.
  assert.deepEqual(codes(certificateReport(leaf, { trustedCaPem: caB.certPem + caA.certPem })), []);

  const ca = certificateReport(caA.certPem);
  assert.equal(ca.isCa, true);
  assert.equal(ca.selfSigned, true);
  assert.deepEqual(ca.keyUsages, ['keyCertSign', 'cRLSign']);
  assert.deepEqual(ca.extKeyUsages, []);
});

test('makeWarning covers every code, including the two computed elsewhere', () => {
  assert.deepEqual([...WARNING_CODES].sort(), [
    'CHAIN_UNVERIFIED', 'EXPIRED', 'EXPIRING_SOON', 'HOST_NOT_IN_SAN', 'KEY_MISMATCH', 'NOT_YET_VALID',
    'NO_CLIENT_AUTH_EKU', 'NO_SAN', 'PROXY_SUPPORT_OVERRIDE', 'UNSUPPORTED_KEY', 'WEAK_KEY', 'WEAK_SIGNATURE',
  ]);
  const host = makeWarning('HOST_NOT_IN_SAN', { host: 'coder.example.com', sans: ['DNS:other.example.com'] });
  assert.equal(host.code, 'HOST_NOT_IN_SAN');
  assert.equal(host.severity, 'error');
  assert.match(host.message, /does not name "coder\.example\.com" \(it names DNS:other\.example\.com\)/);
  assert.match(host.fix, /tlsAltHost/);
  const proxy = makeWarning('PROXY_SUPPORT_OVERRIDE', { editors: ['Code', 'Cursor'] });
  assert.match(proxy.message, /http\.proxySupport is "override" in Code, Cursor/);
  assert.match(proxy.fix, /"on"/);
  assert.match(makeWarning('PROXY_SUPPORT_OVERRIDE', { value: 'fallback', settingsFile: '/x/settings.json' }).message, /"fallback" \(\/x\/settings\.json\)/);
});
