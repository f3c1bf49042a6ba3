// Bad input never crashes and never leaks OpenSSL jargon or a stack: each case gives a
// UserError with a stable code and a message that names the problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { certificateReport, fingerprintSha256Hex, parseSan } from '../../main/credentials/reading';
import { importPemCredentials, importPkcs12, exportPkcs12, readCsr, generateKey, createSelfSignedClientCert } from '../../main/credentials/making';
import { MAX_INPUT_BYTES } from '../../main/credentials/pem';
import { UserError } from '../../main/errors';
import { opensslChain, opensslOk, tempDir, writeIn } from './helpers';

interface Case {
  name: string;
  run: () => unknown;
  code: string;
  message: RegExp;
}

test('at least 20 malformed inputs each give a clear UserError', async () => {
  const dir = tempDir();
  const c = opensslChain(dir);
  const keyPem = await generateKey('ecdsa-p256');
  const otherKey = await generateKey('ecdsa-p256');
  const cert = await createSelfSignedClientCert({ keyPem, sans: [parseSan('DNS:m.example')], commonName: 'm', days: 1 });
  const certDer = new X509Certificate(cert).raw;
  const keyDer = Buffer.from(keyPem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
  const encKey = opensslOk(['pkcs8', '-topk8', '-v2', 'aes256', '-in', writeIn(dir, 'k.pem', keyPem), '-passout', 'pass:right']);
  const p12Path = join(dir, 'id.p12');
  opensslOk(['pkcs12', '-export', '-in', writeIn(dir, 'c.pem', cert), '-inkey', join(dir, 'k.pem'), '-passout', 'pass:right', '-out', p12Path]);
  const p12 = readFileSync(p12Path);
  const certsOnlyP12 = join(dir, 'certs.p12');
  opensslOk(['pkcs12', '-export', '-nokeys', '-in', join(dir, 'c.pem'), '-passout', 'pass:right', '-out', certsOnlyP12]);
  const lines = cert.trim().split('\n');
  const body = lines.slice(1, -1).join('\n');
  const pem = (label: string, b64: string) => `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
  const imp = (certIn: string | Uint8Array, keyIn: string | Uint8Array = keyPem, extra: object = {}) => () =>
    importPemCredentials({ cert: certIn, key: keyIn, certFile: 'client.crt', keyFile: 'client.key', ...extra });

  const cases: Case[] = [
    { name: 'empty certificate file', run: imp(''), code: 'INPUT_EMPTY', message: /^client\.crt is empty\.$/ },
    { name: 'whitespace-only key file', run: imp(cert, ' \n\n '), code: 'INPUT_EMPTY', message: /client\.key is empty/ },
    { name: 'PEM cut off before END', run: imp(lines.slice(0, 5).join('\n')), code: 'PEM_TRUNCATED', message: /client\.crt is cut off: the "CERTIFICATE" block has no "-----END CERTIFICATE-----" line/ },
    { name: 'PEM missing its BEGIN line', run: imp(lines.slice(3).join('\n')), code: 'PEM_TRUNCATED', message: /END line but no BEGIN line/ },
    { name: 'base64 body cut short', run: imp(pem('CERTIFICATE', body.slice(0, body.length - 7))), code: 'PEM_BAD_BASE64', message: /block is cut short/ },
    { name: 'base64 body truncated on a 4-char boundary', run: imp(pem('CERTIFICATE', Buffer.from(certDer.subarray(0, 300)).toString('base64'))), code: 'CERT_UNREADABLE', message: /not a valid X\.509 certificate/ },
    { name: 'garbage in base64', run: imp(pem('CERTIFICATE', 'MIIB!!!!$$$$****')), code: 'PEM_BAD_BASE64', message: /contains characters that are not base64/ },
    { name: 'valid base64 of random bytes', run: imp(pem('CERTIFICATE', Buffer.alloc(96, 7).toString('base64'))), code: 'CERT_UNREADABLE', message: /client\.crt has a CERTIFICATE block that is not a valid X\.509 certificate/ },
    { name: 'DER certificate where PEM expected', run: imp(certDer), code: 'DER_NOT_PEM', message: /client\.crt is binary DER, but PEM text was expected/ },
    { name: 'DER key where PEM expected', run: imp(cert, keyDer), code: 'DER_NOT_PEM', message: /client\.key is binary DER/ },
    { name: '10 MB file', run: imp(cert + ' '.repeat(10 * 1024 * 1024)), code: 'INPUT_TOO_LARGE', message: /client\.crt is 10\.0 MB; credential files are a few kilobytes/ },
    { name: 'binary junk', run: imp(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70])), code: 'NOT_PEM', message: /client\.crt is not PEM: it has no "-----BEGIN/ },
    { name: 'plain text, no PEM', run: imp('hello, this is not a certificate\n'), code: 'NOT_PEM', message: /not PEM/ },
    { name: 'wrong passphrase', run: imp(cert, encKey, { passphrase: 'wrong' }), code: 'BAD_PASSPHRASE', message: /Could not decrypt client\.key: the passphrase is wrong/ },
    { name: 'missing passphrase', run: imp(cert, encKey), code: 'PASSPHRASE_REQUIRED', message: /client\.key is encrypted and needs its passphrase/ },
    { name: 'key for another certificate', run: imp(cert, otherKey), code: 'KEY_MISMATCH', message: /The private key in client\.key does not belong to the certificate in client\.crt \(CN=m\)/ },
    { name: 'chain in the wrong order', run: imp(c.leaf + c.root + c.inter, c.leafKey), code: 'CHAIN_ORDER', message: /wrong order/ },
    { name: 'key file passed as certificate', run: imp(keyPem, keyPem), code: 'NOT_A_CERTIFICATE', message: /client\.crt contains no certificate \(it holds: PRIVATE KEY\)/ },
    { name: 'certificate passed as key', run: imp(cert, cert), code: 'NOT_A_PRIVATE_KEY', message: /client\.key holds a certificate, not a private key/ },
    { name: 'public key passed as key', run: imp(cert, opensslOk(['pkey', '-in', join(dir, 'k.pem'), '-pubout'])), code: 'NOT_A_PRIVATE_KEY', message: /holds a public key; the private key is needed/ },
    { name: 'two keys in the key file', run: imp(cert, keyPem + otherKey), code: 'MULTIPLE_KEYS', message: /holds 2 private keys/ },
    { name: 'BEGIN and END labels differ', run: imp(`-----BEGIN CERTIFICATE-----\n${body}\n-----END PRIVATE KEY-----\n`), code: 'PEM_MALFORMED', message: /"BEGIN CERTIFICATE" block that ends with "END PRIVATE KEY"/ },
    { name: 'damaged key body', run: imp(cert, pem('PRIVATE KEY', Buffer.alloc(60, 1).toString('base64'))), code: 'KEY_UNREADABLE', message: /client\.key has a "PRIVATE KEY" block that is not a valid private key/ },
    { name: 'PKCS#12 with the wrong passphrase', run: () => importPkcs12(p12, 'wrong', 'id.p12'), code: 'BAD_PASSPHRASE', message: /The passphrase for id\.p12 is wrong/ },
    { name: 'PKCS#12 cut in half', run: () => importPkcs12(p12.subarray(0, p12.length >> 1), 'right', 'id.p12'), code: 'P12_UNREADABLE', message: /id\.p12 is not a readable PKCS#12/ },
    { name: 'PEM given as PKCS#12', run: () => importPkcs12(Buffer.from(cert), 'right', 'id.p12'), code: 'P12_IS_PEM', message: /id\.p12 is PEM text, not a PKCS#12 file/ },
    { name: 'random bytes as PKCS#12', run: () => importPkcs12(Buffer.alloc(200, 0x42), 'right', 'id.p12'), code: 'P12_UNREADABLE', message: /not a readable PKCS#12/ },
    { name: 'empty PKCS#12', run: () => importPkcs12(Buffer.alloc(0), 'right', 'id.p12'), code: 'INPUT_EMPTY', message: /id\.p12 is empty/ },
    { name: 'PKCS#12 without a key', run: () => importPkcs12(readFileSync(certsOnlyP12), 'right', 'certs.p12'), code: 'P12_NO_KEY', message: /certs\.p12 holds no private key/ },
    { name: 'report of a truncated certificate', run: () => certificateReport(lines.slice(0, 4).join('\n')), code: 'PEM_TRUNCATED', message: /cut off/ },
    { name: 'fingerprint of a key', run: () => fingerprintSha256Hex(keyPem), code: 'NOT_A_CERTIFICATE', message: /holds: PRIVATE KEY/ },
    { name: 'export with no passphrase', run: () => exportPkcs12({ certPem: cert, keyPem, passphrase: '' }), code: 'PASSPHRASE_EMPTY', message: /needs a passphrase/ },
    { name: 'report with a garbage key', run: () => certificateReport(cert, { keyPem: 'not a key' }), code: 'KEY_UNREADABLE', message: /Could not read the private key/ },
    { name: 'junk SAN', run: () => parseSan('DNS:bad host'), code: 'SAN_INVALID', message: /"DNS:bad host" is not valid/ },
  ];
  assert.ok(cases.length >= 20);
  for (const k of cases) {
    let thrown: unknown;
    try {
      await k.run();
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof UserError, `${k.name}: expected UserError, got ${thrown instanceof Error ? thrown.stack : String(thrown)}`);
    assert.equal(thrown.code, k.code, `${k.name}: ${thrown.message}`);
    assert.match(thrown.message, k.message, k.name);
    assert.ok(thrown.fix && thrown.fix.length > 10, `${k.name}: has a fix`);
    assert.doesNotMatch(thrown.message, /error:[0-9A-F]{8}|\n\s+at |undefined|\[object/, `${k.name}: no OpenSSL codes, stacks or placeholders`);
  }
  // The CSR reader too, async.
  for (const [input, code] of [['', 'INPUT_EMPTY'], [cert, 'NOT_A_CSR'], [pem('CERTIFICATE REQUEST', Buffer.alloc(64, 3).toString('base64')), 'CSR_UNREADABLE']] as const) {
    await assert.rejects(readCsr(input), (e: unknown) => e instanceof UserError && e.code === code);
  }
  assert.equal(MAX_INPUT_BYTES, 2 * 1024 * 1024);
});
