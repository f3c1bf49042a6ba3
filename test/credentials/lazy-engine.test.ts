// Reading credentials must not load the certificate-making libraries: a CLI `status` pays
// for every module it initialises, and @peculiar/x509 (with reflect-metadata, tsyringe and
// its ASN.1 schemas) and node-forge were the largest part of its start. Node's test runner
// gives each test file its own process, so this one starts with nothing loaded.
// This checks the modules one by one under tsx (each library loads on first use, not when
// the module that uses it is imported); test/cli/lazy-bundle.test.ts checks the built CLI,
// where what matters is also which modules the bundle initialises at start-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as creds from '../../main/credentials/reading';
import { x509Loaded } from '../../main/credentials/x509-lib';
import { opensslChain, opensslOk, tempDir } from './helpers';

const HEAVY = ['/node_modules/@peculiar/', '/node_modules/reflect-metadata/', '/node_modules/node-forge/', '/node_modules/tsyringe/', '/node_modules/asn1js/'];
const heavyLoaded = (): string[] => Object.keys(require.cache).filter((p) => HEAVY.some((h) => p.replace(/\\/g, '/').includes(h)));

test('importing the engine and reading certificates loads neither @peculiar/x509 nor node-forge; making one does', async () => {
  assert.deepEqual(heavyLoaded(), [], 'nothing heavy at import');
  const dir = tempDir();
  const chain = opensslChain(dir);
  const keyPath = join(dir, 'self.key');
  const self = opensslOk(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-subj', '/CN=self/O=Example', '-days', '30', '-addext', 'subjectAltName=DNS:self.example,IP:::1', '-addext', 'keyUsage=critical,digitalSignature', '-addext', 'extendedKeyUsage=clientAuth']);

  // Everything `status`, `list` and `refresh` do with credentials.
  const r = creds.certificateReport(self, { keyPem: readFileSync(keyPath, 'utf8'), now: new Date() });
  assert.equal(r.subject, 'CN=self, O=Example');
  assert.deepEqual(r.sans.map(creds.formatSan), ['DNS:self.example', 'IP:::1']);
  assert.deepEqual([r.keyUsages, r.extKeyUsages, r.warnings], [['digitalSignature'], ['clientAuth'], []]);
  const leaf = creds.certificateReport(chain.leaf, { keyPem: chain.leafKey, chainPem: chain.inter, trustedCaPem: chain.root });
  assert.equal(leaf.issuer, 'CN=Chain Intermediate');
  assert.deepEqual(leaf.warnings, []);
  assert.equal(creds.keyAlgorithmOf(chain.leafKey), 'ecdsa-p256');
  assert.equal(creds.fingerprintSha256Hex(self), r.fingerprintSha256);
  assert.equal(creds.formatSan(creds.parseSan('email:me@example.com')), 'email:me@example.com');
  assert.equal(creds.makeWarning('EXPIRED', { notAfter: new Date(0), now: new Date() }).severity, 'error');
  // Loading the making half loads no library yet, and importing PEM credentials needs none.
  const making = await import('../../main/credentials/making');
  assert.deepEqual(heavyLoaded(), [], 'nothing heavy when the making half is loaded');
  const imported = making.importPemCredentials({ cert: chain.leaf + chain.inter, key: chain.leafKey });
  assert.equal(imported.chainPem.includes('BEGIN CERTIFICATE'), true);

  assert.equal(x509Loaded(), false);
  assert.deepEqual(heavyLoaded(), [], 'nothing heavy after reading');

  // The check can see a load: making a certificate initialises the library.
  const keyPem = await making.generateKey('ecdsa-p256');
  await making.createSelfSignedClientCert({ keyPem, sans: [creds.parseSan('DNS:made.example')], commonName: 'made', days: 1 });
  assert.equal(x509Loaded(), true);
  assert.ok(heavyLoaded().some((p) => p.includes('@peculiar/x509')), 'making loads @peculiar/x509');
  assert.ok(heavyLoaded().some((p) => p.includes('@peculiar/asn1-x509')), 'and the ASN.1 schemas (the subject name, the key id)');
});
