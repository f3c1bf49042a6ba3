/** Server-name coverage and our own certificate's local checks, on openssl-made certificates. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkOwnCertificate } from '../../main/doctor/checks/own-certificate';
import { altHostCandidates, readServerNames, sansCover } from '../../main/doctor/server-names';
import { createTestCa, type Issued, type TestCa } from './openssl-pki';

let tmp: string;
let ca: TestCa;
let cnOnly: Issued;
let mixed: Issued;
let client: Issued;
let other: Issued;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'doctor-certs-'));
  ca = await createTestCa(tmp, 'ca');
  cnOnly = await ca.issue({ cn: 'coder.example.com', usage: 'server' });
  mixed = await ca.issue({ cn: 'ignored.example', sans: ['DNS:coder.example.com', 'DNS:*.apps.example.com', 'IP:10.0.0.7', 'IP:::1'], usage: 'server' });
  client = await ca.issue({ cn: 'dev', usage: 'client', notBefore: new Date('2030-01-01T00:00:00Z'), notAfter: new Date('2030-03-01T00:00:00Z') });
  other = await ca.issue({ cn: 'dev', usage: 'client' });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('server names', () => {
  test('a CN-only certificate covers nothing, though its CN equals the host', () => {
    const cert = new X509Certificate(cnOnly.certPem);
    const names = readServerNames(cert);
    assert.equal(names.cnOnly, true);
    assert.equal(names.commonName, 'coder.example.com');
    assert.equal(sansCover(cert, 'coder.example.com'), false);
  });

  test('SANs decide: DNS, one-label wildcards, IPv4 and IPv6; the CN is ignored', () => {
    const cert = new X509Certificate(mixed.certPem);
    const names = readServerNames(cert);
    assert.deepEqual(names.dnsNames, ['coder.example.com', '*.apps.example.com']);
    assert.deepEqual(names.ipAddresses, ['10.0.0.7', '0:0:0:0:0:0:0:1']);
    assert.equal(names.cnOnly, false);
    assert.equal(sansCover(cert, 'coder.example.com'), true);
    assert.equal(sansCover(cert, 'CODER.example.com'), true);
    assert.equal(sansCover(cert, 'x.apps.example.com'), true);
    assert.equal(sansCover(cert, 'a.b.apps.example.com'), false);
    assert.equal(sansCover(cert, 'apps.example.com'), false);
    assert.equal(sansCover(cert, '10.0.0.7'), true);
    assert.equal(sansCover(cert, '[::1]'), true);
    assert.equal(sansCover(cert, '10.0.0.8'), false);
    assert.equal(sansCover(cert, 'ignored.example'), false);
    assert.deepEqual(altHostCandidates(names), ['coder.example.com']);
  });
});

describe('our own certificate', () => {
  const at = (iso: string) => new Date(iso);

  test('valid, matching key: pass with dates', () => {
    const r = checkOwnCertificate(client.certPem, client.keyPem, at('2030-01-15T00:00:00Z'));
    assert.equal(r.check.status, 'pass');
    assert.match(r.check.detail, /CN=dev, issued by CN=ca, valid until 2030-03-01T00:00:00\.000Z \(45 days left\); the key matches/);
  });

  test('expired, not yet valid, expiring soon', () => {
    const expired = checkOwnCertificate(client.certPem, client.keyPem, at('2030-03-04T00:00:00Z'));
    assert.equal(expired.check.code, 'EXPIRED');
    assert.match(expired.check.detail, /expired on 2030-03-01T00:00:00\.000Z \(3 days ago\)/);
    const early = checkOwnCertificate(client.certPem, client.keyPem, at('2029-12-31T00:00:00Z'));
    assert.equal(early.check.code, 'NOT_YET_VALID');
    assert.match(early.check.fix ?? '', /clock/);
    const soon = checkOwnCertificate(client.certPem, client.keyPem, at('2030-02-27T00:00:00Z'));
    assert.equal(soon.check.status, 'warn');
    assert.equal(soon.check.code, 'EXPIRING_SOON');
  });

  test('a key of another certificate: KEY_MISMATCH', () => {
    const r = checkOwnCertificate(client.certPem, other.keyPem, at('2030-01-15T00:00:00Z'));
    assert.equal(r.check.status, 'fail');
    assert.equal(r.check.code, 'KEY_MISMATCH');
  });

  test('an encrypted key, or no key at all, is named; so is a file without a certificate', () => {
    const encrypted = execFileSync('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', 'pass:pw', '-in', client.keyPath], { encoding: 'utf8' });
    assert.equal(checkOwnCertificate(client.certPem, encrypted, new Date()).check.code, 'KEY_ENCRYPTED');
    assert.equal(checkOwnCertificate(client.certPem, 'garbage', new Date()).check.code, 'KEY_UNREADABLE');
    const bad = checkOwnCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', client.keyPem, new Date());
    assert.equal(bad.check.code, 'CERT_UNREADABLE');
    assert.match(bad.check.detail, /coder\.tlsCertFile/);
  });

  test('a server-only certificate used as a client one: NO_CLIENT_AUTH_EKU warning', () => {
    const r = checkOwnCertificate(mixed.certPem, mixed.keyPem, new Date());
    assert.equal(r.check.status, 'warn');
    assert.equal(r.check.code, 'NO_CLIENT_AUTH_EKU');
    assert.match(r.check.fix ?? '', /alert 43/);
  });
});
