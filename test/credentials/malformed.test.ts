// Bad input never crashes and never leaks OpenSSL jargon or a stack: each case gives a
// UserError with a stable code and a message that names the problem. Every code the engine
// throws is produced here, or by the test named in TESTED_ELSEWHERE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { certificateReport, fingerprintSha256Hex, parseSan } from '../../main/credentials/reading';
import { importPemCredentials, importPkcs12, exportPkcs12, readCsr, generateKey, createSelfSignedClientCert } from '../../main/credentials/making';
import { MAX_INPUT_BYTES } from '../../main/credentials/pem';
import { UserError } from '../../main/base/errors';
import { opensslChain, opensslOk, tempDir, writeIn } from './helpers';

interface Case {
  name: string;
  run: () => unknown;
  code: string;
  message: RegExp;
}

test('malformed inputs each give a clear UserError; every code the engine throws is covered', async () => {
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
  const p12With = (name: string, extra: string[]) => {
    opensslOk(['pkcs12', '-export', '-in', join(dir, 'c.pem'), '-inkey', join(dir, 'k.pem'), '-passout', 'pass:right', '-out', join(dir, name), ...extra]);
    return readFileSync(join(dir, name));
  };
  const keyOnlyP12 = join(dir, 'key-only.p12');
  opensslOk(['pkcs12', '-export', '-nocerts', '-inkey', join(dir, 'k.pem'), '-passout', 'pass:right', '-out', keyOnlyP12]);
  // PBE-MD5-DES: openssl makes it with its legacy provider; Node's OpenSSL 3 has no such provider.
  const desKey = opensslOk(['pkcs8', '-topk8', '-v1', 'PBE-MD5-DES', '-in', join(dir, 'k.pem'), '-passout', 'pass:right', '-provider', 'legacy', '-provider', 'default']);
  const edKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
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
    { name: 'chain of another CA', run: imp(c.leaf + opensslChain(tempDir()).root, c.leafKey), code: 'CHAIN_UNRELATED', message: /does not belong to this certificate/ },
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
    { name: 'PKCS#12 without a certificate', run: () => importPkcs12(readFileSync(keyOnlyP12), 'right', 'key.p12'), code: 'P12_NO_CERT', message: /key\.p12 holds a key but no certificate/ },
    { name: 'PKCS#12 with an MD5 MAC', run: () => importPkcs12(p12With('md5.p12', ['-macalg', 'md5']), 'right', 'md5.p12'), code: 'P12_UNSUPPORTED', message: /md5\.p12 uses a MAC algorithm this program does not know/ },
    { name: 'PKCS#12 encrypted with Camellia', run: () => importPkcs12(p12With('cam.p12', ['-keypbe', 'camellia-256-cbc', '-certpbe', 'camellia-256-cbc']), 'right', 'cam.p12'), code: 'P12_UNSUPPORTED', message: /cam\.p12 is protected with an algorithm this program does not support/ },
    { name: 'key encrypted with single DES', run: imp(cert, desKey, { passphrase: 'right' }), code: 'KEY_ENCRYPTION_UNSUPPORTED', message: /client\.key is encrypted with an old cipher/ },
    { name: 'an Ed25519 key to sign with', run: () => createSelfSignedClientCert({ keyPem: edKey, sans: [], commonName: 'ed', days: 1 }), code: 'KEY_ALGORITHM_UNSUPPORTED', message: /Cannot sign with a Ed25519 key/ },
    { name: 'report of a truncated certificate', run: () => certificateReport(lines.slice(0, 4).join('\n')), code: 'PEM_TRUNCATED', message: /cut off/ },
    { name: 'fingerprint of a key', run: () => fingerprintSha256Hex(keyPem), code: 'NOT_A_CERTIFICATE', message: /holds: PRIVATE KEY/ },
    { name: 'export with no passphrase', run: () => exportPkcs12({ certPem: cert, keyPem, passphrase: '' }), code: 'PASSPHRASE_EMPTY', message: /needs a passphrase/ },
    { name: 'report with a garbage key', run: () => certificateReport(cert, { keyPem: 'not a key' }), code: 'KEY_UNREADABLE', message: /Could not read the private key/ },
    { name: 'junk SAN', run: () => parseSan('DNS:bad host'), code: 'SAN_INVALID', message: /"DNS:bad host" is not valid/ },
  ];
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

  // Every code the engine throws is produced above or by the test named for it.
  const produced = new Set([...cases.map((k) => k.code), 'INPUT_EMPTY', 'NOT_A_CSR', 'CSR_UNREADABLE', 'INPUT_TOO_LARGE']);
  const engine = join(__dirname, '..', '..', 'main', 'credentials');
  const thrown = new Set(readdirSync(engine).flatMap((f) => [...readFileSync(join(engine, f), 'utf8').matchAll(/new UserError\(\s*'([A-Z0-9_]+)'/g)].map((m) => m[1]!)));
  assert.ok(thrown.size > 30, 'the scan finds the codes');
  for (const code of thrown) {
    const elsewhere = TESTED_ELSEWHERE[code];
    if (elsewhere) assert.match(readFileSync(join(__dirname, elsewhere), 'utf8'), new RegExp(`'${code}'`), `${code} is tested in ${elsewhere}`);
    else assert.ok(produced.has(code), `${code} is thrown by main/credentials but no case here produces it`);
  }
});

/** Codes whose cause is not a malformed input (state, options, policy), and the test that produces each. */
const TESTED_ELSEWHERE: Record<string, string> = {
  CA_EXPIRED: 'csr-and-ca.test.ts',
  P12_TOO_COSTLY: '../hardening/p12-budget.test.ts',
  CA_KEY_MISMATCH: 'csr-and-ca.test.ts',
  CERT_KEY_MISMATCH: 'csr-and-ca.test.ts',
  CERT_EXPIRED: 'csr-and-ca.test.ts',
  CERT_NOT_YET_VALID: 'csr-and-ca.test.ts',
  CERT_NO_CLIENT_AUTH: 'csr-and-ca.test.ts',
  COMMON_NAME_INVALID: 'certificate.test.ts',
  CSR_BAD_SIGNATURE: 'csr-and-ca.test.ts',
  CSR_NO_ALLOWED_SAN: 'csr-and-ca.test.ts',
  DAYS_INVALID: 'certificate.test.ts',
  KEY_ALGORITHM_UNKNOWN: 'certificate.test.ts',
  NOT_A_CA: 'csr-and-ca.test.ts',
  SAN_PATTERN_INVALID: 'csr-and-ca.test.ts',
};

test('the size limit: an input of exactly MAX_INPUT_BYTES is read, one byte more is refused naming the file', async () => {
  const keyPem = await generateKey('ecdsa-p256');
  const cert = await createSelfSignedClientCert({ keyPem, sans: [parseSan('DNS:s.example')], commonName: 's', days: 1 });
  // Padding after the PEM block is ignored by the reader, so only the size decides.
  const padded = (bytes: number) => cert + ' '.repeat(bytes - Buffer.byteLength(cert));
  const atLimit = importPemCredentials({ cert: padded(MAX_INPUT_BYTES), key: keyPem, certFile: 'big.crt', keyFile: 'k.key' });
  assert.equal(atLimit.certPem, cert);
  assert.equal(certificateReport(padded(MAX_INPUT_BYTES)).subject, 'CN=s');
  const over = (run: () => unknown, file: RegExp) =>
    assert.throws(run, (e: unknown) => e instanceof UserError && e.code === 'INPUT_TOO_LARGE' && file.test(e.message) && /credential files are a few kilobytes/.test(e.message));
  over(() => importPemCredentials({ cert: padded(MAX_INPUT_BYTES + 1), key: keyPem, certFile: 'big.crt', keyFile: 'k.key' }), /^big\.crt is 2\.0 MB/);
  over(() => importPemCredentials({ cert, key: keyPem + '\n'.repeat(MAX_INPUT_BYTES + 1 - Buffer.byteLength(keyPem)), certFile: 'c.crt', keyFile: 'big.key' }), /^big\.key is/);
  // Counted in bytes, not characters: 2-byte characters reach the limit at half the length.
  over(() => importPemCredentials({ cert: cert + 'é'.repeat((MAX_INPUT_BYTES - Buffer.byteLength(cert)) / 2 + 1), key: keyPem, certFile: 'utf8.crt', keyFile: 'k.key' }), /^utf8\.crt is/);
  over(() => importPkcs12(Buffer.alloc(MAX_INPUT_BYTES + 1, 0x30), 'x', 'big.p12'), /^big\.p12 is/);
});
