import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { parseSan, certificateReport } from '../../main/credentials/reading';
import { importPemCredentials, generateKey, createSelfSignedClientCert } from '../../main/credentials/making';
import { certificatesFromPem } from '../../main/credentials/pem';
import { normalisePrivateKey } from '../../main/credentials/key-import';
import { isUserErr, opensslChain, opensslOk, tempDir, writeIn } from './helpers';

const pkcs8Of = (pem: string) => createPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' }) as string;

test('normalisePrivateKey reads PKCS#8, PKCS#1, SEC1 (with EC PARAMETERS), encrypted PKCS#8 and legacy encrypted PEM', () => {
  const dir = tempDir();
  const rsa8 = writeIn(dir, 'rsa8.pem', opensslOk(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']));
  const ec8 = writeIn(dir, 'ec8.pem', opensslOk(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']));
  // `ecparam -genkey` writes an EC PARAMETERS block before the SEC1 key.
  const ecp = writeIn(dir, 'ecp.pem', opensslOk(['ecparam', '-name', 'prime256v1', '-genkey']));
  assert.match(readFileSync(ecp, 'utf8'), /EC PARAMETERS[\s\S]*EC PRIVATE KEY/);
  const cases: Array<{ name: string; pem: string; format: string; passphrase?: string; base: string }> = [
    { name: 'pkcs8 rsa', pem: readFileSync(rsa8, 'utf8'), format: 'pkcs8', base: rsa8 },
    { name: 'pkcs1', pem: opensslOk(['rsa', '-in', rsa8, '-traditional']), format: 'pkcs1', base: rsa8 },
    { name: 'sec1', pem: opensslOk(['ec', '-in', ec8]), format: 'sec1', base: ec8 },
    { name: 'sec1+params', pem: readFileSync(ecp, 'utf8'), format: 'sec1', base: ecp },
    { name: 'enc pkcs8', pem: opensslOk(['pkcs8', '-topk8', '-v2', 'aes256', '-in', ec8, '-passout', 'pass:s3cret']), format: 'encrypted-pkcs8', passphrase: 's3cret', base: ec8 },
    { name: 'enc pkcs8 3des', pem: opensslOk(['pkcs8', '-topk8', '-v2', 'des3', '-in', rsa8, '-passout', 'pass:s3cret']), format: 'encrypted-pkcs8', passphrase: 's3cret', base: rsa8 },
    { name: 'legacy enc rsa', pem: opensslOk(['rsa', '-in', rsa8, '-traditional', '-aes256', '-passout', 'pass:s3cret']), format: 'legacy-encrypted-pem', passphrase: 's3cret', base: rsa8 },
    { name: 'legacy enc ec', pem: opensslOk(['ec', '-in', ec8, '-aes128', '-passout', 'pass:s3cret']), format: 'legacy-encrypted-pem', passphrase: 's3cret', base: ec8 },
  ];
  for (const c of cases) {
    const n = normalisePrivateKey(c.pem, { passphrase: c.passphrase, what: c.name });
    assert.equal(n.format, c.format, c.name);
    assert.match(n.keyPem, /^-----BEGIN PRIVATE KEY-----\n/, c.name);
    assert.equal(n.keyPem, pkcs8Of(readFileSync(c.base, 'utf8')), `${c.name} is the same key`);
  }
  // CRLF line ends and text around the block (as some tools write) are fine.
  const crlf = readFileSync(ec8, 'utf8').replace(/\n/g, '\r\n');
  assert.equal(normalisePrivateKey(`Bag Attributes\r\n${crlf}`).keyPem, pkcs8Of(readFileSync(ec8, 'utf8')));
});

test('importPemCredentials: leaf + chain in one file, or a separate chain file; chain leaf->root; openssl verifies it', async () => {
  const dir = tempDir();
  const c = opensslChain(dir);
  const one = importPemCredentials({ cert: c.leaf + c.inter + c.root, key: c.leafKey });
  const two = importPemCredentials({ cert: c.leaf, key: c.leafKey, chain: c.inter + c.root });
  const dup = importPemCredentials({ cert: c.leaf + c.inter, key: c.leafKey, chain: c.inter + c.root });
  for (const r of [one, two, dup]) {
    assert.equal(new X509Certificate(r.certPem).subject, 'CN=Chain Leaf');
    assert.deepEqual(certificatesFromPem(r.chainPem).map((x) => x.subject), ['CN=Chain Intermediate', 'CN=Chain Root']);
    assert.equal(r.keyPem, pkcs8Of(c.leafKey));
    assert.equal(r.keyFormat, 'pkcs8');
  }
  assert.equal(certificatesFromPem(one.certPem).length, 1, 'cert holds the leaf only');
  const chainPath = writeIn(dir, 'chain.pem', one.chainPem);
  const leafPath = writeIn(dir, 'imported.pem', one.certPem);
  assert.match(opensslOk(['verify', '-CAfile', c.paths.root, '-untrusted', chainPath, '-purpose', 'sslclient', leafPath]), /OK/);
  assert.deepEqual(certificateReport(one.certPem, { keyPem: one.keyPem, chainPem: one.chainPem, trustedCaPem: c.root }).warnings, []);
  // Leaf with intermediates only (root left to the server) is the common case.
  assert.equal(certificatesFromPem(importPemCredentials({ cert: c.leaf + c.inter, key: c.leafKey }).chainPem).length, 1);
});

test('importPemCredentials refuses chains in the wrong order, naming the misplaced certificate', () => {
  const dir = tempDir();
  const c = opensslChain(dir);
  assert.throws(
    () => importPemCredentials({ cert: c.leaf + c.root + c.inter, key: c.leafKey }),
    isUserErr('CHAIN_ORDER', /#2 \(CN=Chain Root\) did not issue certificate #1 \(CN=Chain Leaf\); its issuer is certificate #3/),
  );
  assert.throws(
    () => importPemCredentials({ cert: c.inter + c.leaf, key: c.leafKey }),
    isUserErr('CHAIN_ORDER', /the one for this key, #2 \(CN=Chain Leaf\), must come first/),
  );
  assert.throws(
    () => importPemCredentials({ cert: c.leaf, key: c.leafKey, chain: c.root + c.inter }),
    isUserErr('CHAIN_ORDER', /wrong order/),
  );
});

test('importPemCredentials refuses an unrelated certificate in the chain and a key for another certificate', async () => {
  const dir = tempDir();
  const c = opensslChain(dir);
  const otherKey = await generateKey('ecdsa-p256');
  const other = await createSelfSignedClientCert({ keyPem: otherKey, sans: [parseSan('DNS:x.example')], commonName: 'Stranger', days: 1 });
  assert.throws(() => importPemCredentials({ cert: c.leaf + c.inter + other, key: c.leafKey }), isUserErr('CHAIN_UNRELATED', /does not belong to this certificate: certificate #3 \(CN=Stranger\) did not issue certificate #2 .* is not part of its chain/));
  assert.throws(
    () => importPemCredentials({ cert: c.leaf, key: otherKey, certFile: 'client.crt', keyFile: 'client.key' }),
    isUserErr('KEY_MISMATCH', /The private key in client\.key does not belong to the certificate in client\.crt \(CN=Chain Leaf\)/),
  );
});
