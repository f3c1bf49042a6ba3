import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { parseSan } from '../../main/credentials/reading';
import { exportPkcs12, importPkcs12, generateKey, createLocalCa, issueClientCert } from '../../main/credentials/making';
import { certificatesFromPem } from '../../main/credentials/pem';
import { pkcs12Kdf } from '../../main/credentials/pkcs12-kdf';
import { childrenOf, readNode, type DerNode } from '../../main/credentials/der-read';
import { toConstructedBer } from './der-build';
import { isUserErr, openssl, opensslChain, opensslOk, tempDir, writeIn } from './helpers';

const pkcs8Of = (pem: string) => createPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' }) as string;
const certOnly = (pem: string) => new X509Certificate(pem).toString();
// Low work factors keep the tests quick; the defaults are checked once below.
const FAST = { iterations: 2048, macIterations: 2048 };

test('pkcs12Kdf matches the RFC 7292 construction as OpenSSL computes it', () => {
  // Vector from OpenSSL's test suite (test/pkcs12_format_test / PKCS12_key_gen_uni): "smeg", SHA-1.
  const salt = Buffer.from('0a58cf64530d823f', 'hex');
  assert.equal(pkcs12Kdf('smeg', salt, 1, 1, 24, 'sha1').toString('hex'), '8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3');
  assert.equal(pkcs12Kdf('smeg', salt, 2, 1, 8, 'sha1').toString('hex'), '79993dfe048d3b76');
});

test('we read what openssl pkcs12 writes: default (AES/PBKDF2) and -legacy (RC2/3DES), RSA and EC, with chain', () => {
  const dir = tempDir();
  const chain = opensslChain(dir); // EC leaf with intermediate and root
  const rsaKey = join(dir, 'rsa.key');
  const rsaCert = join(dir, 'rsa.pem');
  opensslOk(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', rsaKey, '-out', rsaCert, '-subj', '/CN=rsa-p12', '-days', '2', '-addext', 'subjectAltName=DNS:rsa.example']);
  const identities = [
    { name: 'ec', cert: chain.paths.leaf, key: chain.paths.leafKey, extra: ['-certfile', writeIn(dir, 'cas.pem', chain.inter + chain.root)], chainLen: 2 },
    { name: 'rsa', cert: rsaCert, key: rsaKey, extra: [], chainLen: 0 },
  ];
  for (const id of identities) {
    for (const mode of [[], ['-legacy']]) {
      const out = join(dir, `${id.name}${mode.join('')}.p12`);
      opensslOk(['pkcs12', '-export', ...mode, '-in', id.cert, '-inkey', id.key, ...id.extra, '-passout', 'pass:p12 pass', '-out', out]);
      const info = openssl(['pkcs12', '-in', out, '-passin', 'pass:p12 pass', '-info', '-noout', ...(mode.length ? ['-legacy'] : [])]);
      assert.match(info.stderr + info.stdout, mode.length ? /pbeWithSHA1And40BitRC2-CBC|RC2/ : /AES-256-CBC/, 'the file uses the cipher we claim to read');
      const r = importPkcs12(readFileSync(out), 'p12 pass', `${id.name}${mode.join('')}.p12`);
      assert.equal(r.certPem, certOnly(readFileSync(id.cert, 'utf8')), `${id.name} ${mode} cert`);
      assert.equal(r.keyPem, pkcs8Of(readFileSync(id.key, 'utf8')), `${id.name} ${mode} key`);
      assert.equal(r.chainPem ? certificatesFromPem(r.chainPem).length : 0, id.chainLen);
      if (id.chainLen) assert.deepEqual(certificatesFromPem(r.chainPem).map((c) => c.subject), ['CN=Chain Intermediate', 'CN=Chain Root']);
      assert.throws(() => importPkcs12(readFileSync(out), 'wrong'), isUserErr('BAD_PASSPHRASE', /passphrase .* is wrong/));
    }
  }
});

test('openssl pkcs12 reads what we export without -legacy (RSA and EC, with chain), and so do we', async () => {
  const dir = tempDir();
  const ca = await createLocalCa({ commonName: 'P12 CA' });
  for (const alg of ['ecdsa-p256', 'rsa-2048'] as const) {
    const keyPem = await generateKey(alg);
    const certPem = await issueClientCert({ ca, publicKeyPem: keyPem, sans: [parseSan('DNS:p12.example')], commonName: `p12-${alg}`, days: 5 });
    const p12 = exportPkcs12({ certPem, keyPem, chainPem: ca.certPem, passphrase: 'export pass', friendlyName: 'my identity', ...FAST });
    const path = writeIn(dir, `${alg}.p12`, p12);
    const info = openssl(['pkcs12', '-in', path, '-passin', 'pass:export pass', '-info', '-noout']);
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stderr, /MAC: sha256, Iteration 2048/);
    assert.match(info.stderr, /PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
    assert.match(info.stderr, /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
    const keyOut = opensslOk(['pkcs12', '-in', path, '-passin', 'pass:export pass', '-nocerts', '-nodes']);
    assert.equal(pkcs8Of(keyOut), keyPem);
    const clientOut = opensslOk(['pkcs12', '-in', path, '-passin', 'pass:export pass', '-nokeys', '-clcerts']);
    assert.equal(certOnly(clientOut), certPem);
    assert.match(clientOut, /friendlyName: my identity/);
    const caOut = opensslOk(['pkcs12', '-in', path, '-passin', 'pass:export pass', '-nokeys', '-cacerts']);
    assert.equal(certOnly(caOut), certOnly(ca.certPem));
    // Wrong passphrase: openssl refuses too.
    assert.notEqual(openssl(['pkcs12', '-in', path, '-passin', 'pass:nope', '-noout']).status, 0);
    const back = importPkcs12(p12, 'export pass');
    assert.deepEqual(back, { certPem, keyPem, chainPem: certOnly(ca.certPem) });
  }
});

test('non-ASCII passphrases work both ways (UTF-8 for PBKDF2, UTF-16 for the MAC, as OpenSSL does)', async () => {
  const dir = tempDir();
  const keyPem = await generateKey('ecdsa-p256');
  const ca = await createLocalCa();
  const certPem = await issueClientCert({ ca, publicKeyPem: keyPem, sans: [parseSan('DNS:u.example')], commonName: 'u', days: 1 });
  const pass = 'pässwörd-日本';
  const path = writeIn(dir, 'ours.p12', exportPkcs12({ certPem, keyPem, passphrase: pass, ...FAST }));
  assert.equal(pkcs8Of(opensslOk(['pkcs12', '-in', path, '-passin', `pass:${pass}`, '-nocerts', '-nodes'])), keyPem);
  const theirs = join(dir, 'theirs.p12');
  const keyPath = writeIn(dir, 'k.pem', keyPem);
  const certPath = writeIn(dir, 'c.pem', certPem);
  for (const mode of [[], ['-legacy']]) {
    opensslOk(['pkcs12', '-export', ...mode, '-in', certPath, '-inkey', keyPath, '-passout', `pass:${pass}`, '-out', theirs]);
    assert.equal(importPkcs12(readFileSync(theirs), pass).keyPem, keyPem);
  }
});

test('default work factors: 100k PBKDF2 and MAC iterations, still read back by openssl', async () => {
  const dir = tempDir();
  const keyPem = await generateKey('ecdsa-p256');
  const ca = await createLocalCa();
  const certPem = await issueClientCert({ ca, publicKeyPem: keyPem, sans: [parseSan('DNS:d.example')], commonName: 'd', days: 1 });
  const path = writeIn(dir, 'd.p12', exportPkcs12({ certPem, keyPem, passphrase: 'x' }));
  const info = openssl(['pkcs12', '-in', path, '-passin', 'pass:x', '-info', '-noout']);
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stderr, /MAC: sha256, Iteration 100000/);
  assert.equal(info.stderr.match(/PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256/g)?.length, 2, 'both the certificates and the key');
  const all = opensslOk(['pkcs12', '-in', path, '-passin', 'pass:x', '-nodes']);
  assert.equal(pkcs8Of(all), keyPem);
  assert.equal(certOnly(all), certPem);
  assert.deepEqual(importPkcs12(readFileSync(path), 'x'), { certPem, keyPem, chainPem: '' });
});

test('what we export is DER: definite lengths throughout, bag attributes in DER SET order', async () => {
  const keyPem = await generateKey('ecdsa-p256');
  const ca = await createLocalCa();
  const certPem = await issueClientCert({ ca, publicKeyPem: keyPem, sans: [parseSan('DNS:der.example')], commonName: 'der', days: 1 });
  // A long friendly name sorts the friendlyName attribute after localKeyId; a short one before.
  for (const friendlyName of ['a', 'a much longer friendly name than the key id']) {
    const p12 = exportPkcs12({ certPem, keyPem, chainPem: ca.certPem, passphrase: 'x', friendlyName, ...FAST });
    const authSafe = walkDer(p12).octets[0]!; // der-read throws on an indefinite length
    const keyContents = walkDer(authSafe).octets.at(-1)!; // the key's SafeContents (its bag is what is encrypted)
    const { sets } = walkDer(keyContents);
    const attrs = sets.find((set) => set.length === 2);
    assert.ok(attrs, 'localKeyId and friendlyName');
    for (const set of sets) assert.deepEqual(set, [...set].sort(Buffer.compare), `SET OF sorted (${friendlyName})`);
  }
});

/** Reads every TLV with der-read (which refuses BER); returns OCTET STRING contents and SET elements. */
function walkDer(buf: Uint8Array): { octets: Buffer[]; sets: Buffer[][] } {
  const out = { octets: [] as Buffer[], sets: [] as Buffer[][] };
  const walk = (node: DerNode) => {
    if (node.tag === 0x04) out.octets.push(Buffer.from(buf.subarray(node.start, node.end)));
    if (!(node.tag & 0x20)) return;
    const children = childrenOf(buf, node);
    if (node.tag === 0x31) out.sets.push(children.map((c) => Buffer.from(buf.subarray(c.header, c.end))));
    children.forEach(walk);
  };
  const top = readNode(buf, 0);
  assert.equal(top.end, buf.length, 'nothing after the outer element');
  walk(top);
  return out;
}

test('a BER PKCS#12 (indefinite lengths, OCTET STRINGs split into constructed chunks) imports like its DER original', () => {
  const dir = tempDir();
  const chain = opensslChain(dir);
  const path = join(dir, 'der.p12');
  opensslOk(['pkcs12', '-export', '-in', chain.paths.leaf, '-inkey', chain.paths.leafKey, '-certfile', writeIn(dir, 'cas.pem', chain.inter + chain.root), '-passout', 'pass:ber pass', '-out', path]);
  const der = readFileSync(path);
  const ber = toConstructedBer(der, 100);
  assert.equal(ber[1], 0x80, 'the outer SEQUENCE has an indefinite length');
  assert.ok(ber.includes(Buffer.from([0x24, 0x80, 0x04, 0x64])), 'the authSafe OCTET STRING is constructed, in 100-byte chunks');
  const expected = importPkcs12(der, 'ber pass');
  assert.equal(certificatesFromPem(expected.chainPem).length, 2);
  assert.deepEqual(importPkcs12(ber, 'ber pass', 'ber.p12'), expected);
  assert.throws(() => importPkcs12(ber, 'wrong'), isUserErr('BAD_PASSPHRASE'));
  // openssl reads our BER rendering too, so it is a fair stand-in for files from other tools.
  assert.equal(pkcs8Of(opensslOk(['pkcs12', '-in', writeIn(dir, 'ber.p12', ber), '-passin', 'pass:ber pass', '-nodes', '-nocerts'])), expected.keyPem);
});

test('a PKCS#12 written by Java keytool imports (skipped where there is no keytool)', (t) => {
  if (spawnSync('keytool', ['-help']).error) return t.skip('keytool not installed');
  const dir = tempDir();
  const chain = opensslChain(dir);
  const src = join(dir, 'openssl.p12');
  const dst = join(dir, 'java.p12');
  opensslOk(['pkcs12', '-export', '-in', chain.paths.leaf, '-inkey', chain.paths.leafKey, '-passout', 'pass:java pass', '-out', src]);
  const r = spawnSync('keytool', ['-importkeystore', '-noprompt', '-srckeystore', src, '-srcstoretype', 'PKCS12', '-srcstorepass', 'java pass', '-destkeystore', dst, '-deststoretype', 'PKCS12', '-deststorepass', 'java pass'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const got = importPkcs12(readFileSync(dst), 'java pass', 'java.p12');
  assert.equal(got.certPem, certOnly(chain.leaf));
  assert.equal(got.keyPem, pkcs8Of(chain.leafKey));
});

test('exportPkcs12 refuses an empty passphrase and a key that is not the certificate\'s', async () => {
  const [a, b] = await Promise.all([generateKey('ecdsa-p256'), generateKey('ecdsa-p256')]);
  const ca = await createLocalCa();
  const certPem = await issueClientCert({ ca, publicKeyPem: a, sans: [parseSan('DNS:e.example')], commonName: 'e', days: 1 });
  assert.throws(() => exportPkcs12({ certPem, keyPem: a, passphrase: '' }), isUserErr('PASSPHRASE_EMPTY'));
  assert.throws(() => exportPkcs12({ certPem, keyPem: b, passphrase: 'x', ...FAST }), isUserErr('KEY_MISMATCH', /does not belong to the certificate \(CN=e\)/));
});
