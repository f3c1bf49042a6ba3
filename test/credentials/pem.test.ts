import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { pemBlocks, toPem, certificatesFromPem } from '../../main/credentials/pem';
import { keyIdentifierHex, spkiDer, privateKeyFromPem } from '../../main/credentials/keys';
import { parseSan, keyAlgorithmOf } from '../../main/credentials/reading';
import { generateKey, createSelfSignedClientCert, createLocalCa } from '../../main/credentials/making';
import { publicKeyFromPem } from '../../main/credentials/local-ca';
import { isUserErr, opensslOk, tempDir, writeIn } from './helpers';

test('pemBlocks: labels, RFC 1421 headers, text between blocks, CRLF, UTF-16 with BOM', async () => {
  const keyPem = await generateKey('ecdsa-p256');
  const cert = await createSelfSignedClientCert({ keyPem, sans: [parseSan('DNS:p.example')], commonName: 'p', days: 1 });
  const mixed = `subject=CN = p\r\n${cert.replace(/\n/g, '\r\n')}junk between\n${keyPem}`;
  const blocks = pemBlocks(mixed, 'the bundle');
  assert.deepEqual(blocks.map((b) => b.label), ['CERTIFICATE', 'PRIVATE KEY']);
  assert.equal(blocks[0]!.pem, cert, 're-emitted canonically');
  assert.ok(blocks[0]!.der.equals(new X509Certificate(cert).raw));
  const legacy = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n';
  assert.deepEqual(pemBlocks(legacy, 'k')[0]!.headers, { 'Proc-Type': '4,ENCRYPTED', 'DEK-Info': 'AES-256-CBC,00112233445566778899AABBCCDDEEFF' });
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cert, 'utf16le')]);
  assert.equal(certificatesFromPem(utf16)[0]!.fingerprint256, new X509Certificate(cert).fingerprint256);
  const utf16be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(cert, 'utf16le').swap16()]);
  assert.equal(certificatesFromPem(utf16be).length, 1);
  // 64-column lines and a trailing newline, like openssl.
  const p = toPem('TEST', Buffer.alloc(60, 1));
  assert.match(p, /^-----BEGIN TEST-----\n[A-Za-z0-9+/]{64}\n[A-Za-z0-9+/=]{1,64}\n-----END TEST-----\n$/);
  assert.throws(() => pemBlocks('-----BEGIN X-----\n\n-----END X-----\n', 'the file'), isUserErr('PEM_BAD_BASE64', /body of its "X" block is empty/));
});

test('keyIdentifierHex equals the SKI openssl computes (subjectKeyIdentifier=hash)', async () => {
  const dir = tempDir();
  for (const alg of ['ecdsa-p256', 'rsa-2048'] as const) {
    const keyPem = await generateKey(alg);
    const path = writeIn(dir, `${alg}.key`, keyPem);
    const cert = opensslOk(['req', '-x509', '-key', path, '-subj', '/CN=ski', '-days', '1', '-addext', 'subjectKeyIdentifier=hash']);
    const text = opensslOk(['x509', '-noout', '-ext', 'subjectKeyIdentifier'], cert);
    const ski = /\n\s*([0-9A-F:]+)\s*$/.exec(text)![1]!.replace(/:/g, '').toLowerCase();
    assert.equal(keyIdentifierHex(spkiDer(privateKeyFromPem(keyPem))), ski, alg);
  }
});

test('keyAlgorithmOf and publicKeyFromPem accept PEM of private keys, public keys and certificates', async () => {
  const keyPem = await generateKey('ecdsa-p384');
  const pub = createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }) as string;
  assert.equal(keyAlgorithmOf(keyPem), 'ecdsa-p384');
  assert.equal(keyAlgorithmOf(pub), 'ecdsa-p384');
  const ca = await createLocalCa({ keyAlgorithm: 'rsa-2048' });
  assert.equal(keyAlgorithmOf(ca.keyPem), 'rsa-2048');
  for (const input of [keyPem, pub]) assert.equal(publicKeyFromPem(input).export({ type: 'spki', format: 'pem' }), pub);
  assert.equal(publicKeyFromPem(ca.certPem).export({ type: 'spki', format: 'pem' }), createPublicKey(ca.keyPem).export({ type: 'spki', format: 'pem' }));
  assert.throws(() => publicKeyFromPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'), isUserErr('KEY_UNREADABLE'));
});
