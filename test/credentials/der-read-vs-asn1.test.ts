// der-read (the small reader on the fast `status`/`refresh` path) against @peculiar/asn1-schema
// with the asn1-x509 / asn1-pkcs8 schemas, on certificates, keys and CSRs that openssl makes:
// the same TLV tree (tags, offsets, lengths) as asn1js under asn1-schema, and the same
// certificate fields as the schema classes. Plus: a BER certificate (which Node accepts) is
// refused by der-read with a DerError, and by the report with a UserError, rather than read
// as something else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, ExtendedKeyUsage, KeyUsage, Name, SubjectAlternativeName, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { childrenOf, DerError, encodingOf, oidOf, readNode, type DerNode } from '../../main/credentials/der-read';
import { readCertificateFields, readName, type NameAttribute } from '../../main/credentials/x509-fields';
import { decodeExtKeyUsage, decodeKeyUsage, decodeSubjectAltNames } from '../../main/credentials/cert-extensions';
import { pemBlocks, toPem } from '../../main/credentials/pem';
import { certificateReport } from '../../main/credentials/reading';
import { toConstructedBer } from './der-build';
import { isUserErr, opensslChain, opensslOk, tempDir, writeIn } from './helpers';

interface Row {
  depth: number;
  tag: number;
  header: number;
  length: number;
}

/** Every TLV der-read finds, depth first; constructed ones are opened. */
function derReadTree(buf: Uint8Array): Row[] {
  const rows: Row[] = [];
  const walk = (node: DerNode, depth: number) => {
    rows.push({ depth, tag: node.tag, header: node.header, length: node.end - node.start });
    if (node.tag & 0x20) for (const c of childrenOf(buf, node)) walk(c, depth + 1);
  };
  walk(readNode(buf, 0), 0);
  return rows;
}

/** The same, from asn1js (the parser under asn1-schema). */
function asn1jsTree(buf: Uint8Array): Row[] {
  const parsed = asn1js.fromBER(buf);
  assert.equal(parsed.offset, buf.length, 'asn1js read all of it');
  const rows: Row[] = [];
  let at = 0;
  const walk = (b: asn1js.AsnType, depth: number) => {
    const block = b as asn1js.BaseBlock;
    const id = block.idBlock;
    const tag = ((id.tagClass - 1) << 6) | (id.isConstructed ? 0x20 : 0) | id.tagNumber;
    const header = at;
    const headerLength = block.idBlock.blockLength + block.lenBlock.blockLength;
    rows.push({ depth, tag, header, length: block.valueBlock.blockLength });
    at += headerLength;
    const inner = (block.valueBlock as { value?: unknown }).value;
    if (id.isConstructed && Array.isArray(inner)) for (const c of inner as asn1js.AsnType[]) walk(c, depth + 1);
    else at += block.valueBlock.blockLength;
  };
  walk(parsed.result, 0);
  return rows;
}

const nameOf = (attrs: NameAttribute[][]) => attrs.map((rdn) => rdn.map((a) => `${a.type}=${a.value.text ?? Buffer.from(a.value.der!).toString('hex')}`));

function samples(): { name: string; der: Buffer; kind: 'cert' | 'key' | 'spki' | 'csr' }[] {
  const dir = tempDir();
  const out: { name: string; der: Buffer; kind: 'cert' | 'key' | 'spki' | 'csr' }[] = [];
  const der = (pem: string) => pemBlocks(pem, 'sample')[0]!.der;
  const ext = ['-addext', 'subjectAltName=DNS:a.example,DNS:*.b.example,IP:192.0.2.7,IP:2001:db8::1,email:me@example.com,URI:https://u.example/x', '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment,keyAgreement', '-addext', 'extendedKeyUsage=clientAuth,serverAuth,1.3.6.1.4.1.311.20.2.2', '-addext', 'basicConstraints=critical,CA:FALSE'];
  const subj = '/C=DE/ST=Bayern/O=Ä Corp, Inc./OU=Team=1/CN=déjà vu/emailAddress=x@example.com';
  for (const [alg, newkey] of [['rsa', ['-newkey', 'rsa:2048']], ['p256', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']], ['p384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384']], ['ed25519', ['-newkey', 'ed25519']]] as const) {
    const keyPath = join(dir, `${alg}.key`);
    const cert = opensslOk(['req', '-x509', ...newkey, '-nodes', '-keyout', keyPath, '-subj', subj, '-utf8', '-days', '3', ...ext]);
    out.push({ name: `${alg} certificate`, der: der(cert), kind: 'cert' });
    out.push({ name: `${alg} PKCS#8 key`, der: der(opensslOk(['pkey', '-in', keyPath])), kind: 'key' });
    out.push({ name: `${alg} public key`, der: der(opensslOk(['pkey', '-in', keyPath, '-pubout'])), kind: 'spki' });
    out.push({ name: `${alg} CSR`, der: der(opensslOk(['req', '-new', '-key', keyPath, '-subj', '/CN=csr', ...ext])), kind: 'csr' });
  }
  // A v1 certificate (no extensions), signed by a chain's intermediate.
  const chain = opensslChain(dir);
  const csr = opensslOk(['req', '-new', '-key', chain.paths.leafKey, '-subj', '/CN=v1']);
  const v1 = opensslOk(['x509', '-req', '-CA', chain.paths.inter, '-CAkey', join(dir, 'inter.key'), '-days', '1', '-set_serial', '7', '-in', writeIn(dir, 'v1.csr', csr)]);
  out.push({ name: 'v1 certificate', der: der(v1), kind: 'cert' });
  for (const [n, pem] of [['chain leaf', chain.leaf], ['chain intermediate', chain.inter], ['chain root', chain.root]] as const) out.push({ name: n, der: der(pem), kind: 'cert' });
  return out;
}

test('der-read reads the same TLV tree as asn1js, and the same fields as the asn1-x509/asn1-pkcs8 schemas', () => {
  const all = samples();
  assert.ok(all.length >= 20);
  for (const s of all) {
    assert.deepEqual(derReadTree(s.der), asn1jsTree(s.der), `${s.name}: TLV tree`);
    const top = childrenOf(s.der, readNode(s.der, 0));
    if (s.kind === 'key') {
      const info = AsnConvert.parse(s.der, PrivateKeyInfo);
      assert.equal(oidOf(s.der, childrenOf(s.der, top[1]!)[0], 'alg'), info.privateKeyAlgorithm.algorithm, s.name);
    } else if (s.kind === 'spki') {
      const info = AsnConvert.parse(s.der, SubjectPublicKeyInfo);
      assert.equal(oidOf(s.der, childrenOf(s.der, top[0]!)[0], 'alg'), info.algorithm.algorithm, s.name);
    } else if (s.kind === 'csr') {
      // CertificationRequestInfo ::= SEQUENCE { version, subject Name, ... }
      const subject = childrenOf(s.der, top[0]!)[1]!;
      const expected = [...AsnConvert.parse(encodingOf(s.der, subject), Name)].map((rdn) => [...rdn].map((atv) => `${atv.type}=${atv.value.toString()}`));
      assert.deepEqual(nameOf(readName(s.der, subject, 'subject')), expected, `${s.name}: subject`);
    } else {
      const ours = readCertificateFields(s.der);
      const theirs = AsnConvert.parse(s.der, Certificate);
      const tbs = theirs.tbsCertificate;
      assert.equal(ours.signatureAlgorithm, theirs.signatureAlgorithm.algorithm, `${s.name}: signature algorithm`);
      for (const [which, name] of [['issuer', tbs.issuer], ['subject', tbs.subject]] as const) {
        const expected = [...name].map((rdn) => [...rdn].map((atv) => `${atv.type}=${atv.value.anyValue ? Buffer.from(atv.value.anyValue).toString('hex') : atv.value.toString()}`));
        assert.deepEqual(nameOf(ours[which]), expected, `${s.name}: ${which}`);
      }
      const exts = tbs.extensions ?? [];
      assert.deepEqual(
        ours.extensions.map((e) => [e.oid, e.critical, Buffer.from(e.value).toString('hex')]),
        [...exts].map((e) => [e.extnID, e.critical, Buffer.from(e.extnValue.buffer).toString('hex')]),
        `${s.name}: extensions`,
      );
      for (const e of ours.extensions) {
        if (e.oid === '2.5.29.37') assert.deepEqual(decodeExtKeyUsage(e.value), [...AsnConvert.parse(e.value, ExtendedKeyUsage)], `${s.name}: EKU`);
        // asn1-x509 spells cRLSign "crlSign".
        if (e.oid === '2.5.29.15') assert.deepEqual(decodeKeyUsage(e.value).map((k) => k.replace('cRLSign', 'crlSign')).sort(), AsnConvert.parse(e.value, KeyUsage).toJSON().sort(), `${s.name}: KU`);
        if (e.oid === '2.5.29.17') {
          const names = AsnConvert.parse(e.value, SubjectAlternativeName);
          const expected = [...names].map((g) => g.dNSName ?? g.rfc822Name ?? g.uniformResourceIdentifier ?? g.iPAddress);
          const ourValues = decodeSubjectAltNames(e.value).map((n) => n.value);
          assert.equal(ourValues.length, expected.length, `${s.name}: SAN count`);
          for (const [i, v] of ourValues.entries()) assert.equal(v.toLowerCase(), String(expected[i]).toLowerCase().replace(/^(2001:db8):0:0:0:0:0:1$/, '$1::1'), `${s.name}: SAN ${i}`);
        }
      }
    }
  }
});

test('BER is refused by der-read (DerError), not read as something else', () => {
  const cert = samples().find((s) => s.name === 'p256 certificate')!.der;
  const ber = toConstructedBer(cert, 8);
  assert.throws(() => derReadTree(ber), (e: unknown) => e instanceof DerError && /indefinite length/.test(e.message));
  // Node's X509Certificate (OpenSSL's BER-tolerant decoder) accepts it, so the report gets
  // that far; what it then says is a clear UserError, not fields read wrongly.
  assert.doesNotThrow(() => new X509Certificate(ber));
  assert.throws(() => certificateReport(toPem('CERTIFICATE', ber), {}), isUserErr('CERT_UNREADABLE', /^The certificate is damaged: indefinite length\.$/));
});
