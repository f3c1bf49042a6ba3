// Our DER reader (cert-info on der-read) against @peculiar/x509, which the report used before:
// on certificates made by openssl and on hand-built ones with the corner cases openssl will
// not make (odd string types, control characters, odd IP lengths, v1, unique IDs), every
// field the report shows must come out the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { certificateFields, certificateSans, commonNameOf, extKeyUsages, keyUsages, nameText, sansOf, signatureAlgorithm } from '../../main/credentials/cert-info';
import { certificateReport } from '../../main/credentials/report';
import { bmpString, explicit, int, octets, oid, seq, set, tlv, utf8String } from './der-build';
import { toPem } from '../../main/credentials/pem';
import type { San } from '../../main/credentials/san';
import { x509 } from '../../main/credentials/x509-lib';
import { isUserErr, opensslChain, opensslOk, tempDir, writeIn } from './helpers';

// ---------------------------------------------------------------- the reference: @peculiar/x509

const PECULIAR_SAN_TYPES: Record<string, San['type']> = { dns: 'dns', ip: 'ip', email: 'email', url: 'uri' };
const KU_FLAGS: Array<[number, string]> = [
  [1, 'digitalSignature'],
  [2, 'nonRepudiation'],
  [4, 'keyEncipherment'],
  [8, 'dataEncipherment'],
  [16, 'keyAgreement'],
  [32, 'keyCertSign'],
  [64, 'cRLSign'],
  [128, 'encipherOnly'],
  [256, 'decipherOnly'],
];

interface Facts {
  subject: string;
  issuer: string;
  commonName: string | undefined;
  sans: San[];
  keyUsages: string[];
  extKeyUsages: string[] | undefined;
  signatureOid: string;
}

function peculiarFacts(pem: string): Facts {
  const c = new x509.X509Certificate(pem);
  const san = c.getExtension(x509.SubjectAlternativeNameExtension);
  const ku = c.getExtension(x509.KeyUsagesExtension);
  const eku = c.getExtension(x509.ExtendedKeyUsageExtension);
  return {
    subject: c.subjectName.toString(),
    issuer: c.issuerName.toString(),
    commonName: c.subjectName.getField('CN')[0],
    sans: san ? san.names.items.filter((n) => PECULIAR_SAN_TYPES[n.type]).map((n) => ({ type: PECULIAR_SAN_TYPES[n.type]!, value: n.value })) : [],
    keyUsages: ku ? KU_FLAGS.filter(([f]) => (ku.usages & f) !== 0).map(([, n]) => n) : [],
    extKeyUsages: eku ? Array.from(eku.usages, String) : undefined,
    signatureOid: (c as unknown as { asn: { signatureAlgorithm: { algorithm: string } } }).asn.signatureAlgorithm.algorithm,
  };
}

// EKU names as cert-info maps them, undone, so both sides compare as OIDs.
const EKU_OIDS: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
};

function ourFacts(pem: string): Facts {
  const c = new X509Certificate(pem);
  return {
    subject: nameText(c, 'subject'),
    issuer: nameText(c, 'issuer'),
    commonName: commonNameOf(c),
    sans: certificateSans(c),
    keyUsages: keyUsages(c),
    extKeyUsages: extKeyUsages(c)?.map((u) => EKU_OIDS[u] ?? u),
    signatureOid: certificateFields(c).signatureAlgorithm,
  };
}

function assertSame(pem: string, label: string): Facts {
  const ours = ourFacts(pem);
  assert.deepEqual(ours, peculiarFacts(pem), label);
  // The report shows the same words.
  const r = certificateReport(pem);
  assert.equal(r.subject, ours.subject, label);
  assert.equal(r.issuer, ours.issuer, label);
  assert.deepEqual(r.sans, ours.sans, label);
  assert.deepEqual(r.keyUsages, ours.keyUsages, label);
  return ours;
}

// ---------------------------------------------------------------- openssl-made certificates

function keyFiles(dir: string): Record<'ec' | 'rsa1024' | 'ed25519', string> {
  const out = {} as Record<'ec' | 'rsa1024' | 'ed25519', string>;
  const pairs: Array<[keyof typeof out, KeyObject]> = [
    ['ec', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey],
    ['rsa1024', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey],
    ['ed25519', generateKeyPairSync('ed25519').privateKey],
  ];
  for (const [n, k] of pairs) out[n] = writeIn(dir, `${n}.key`, k.export({ type: 'pkcs8', format: 'pem' }) as string);
  return out;
}

function opensslCert(key: string, args: string[]): string {
  return opensslOk(['req', '-x509', '-key', key, '-days', '30', ...args]);
}

test('openssl certificates: SAN types incl. IPv6, all key usages, EKUs, names, algorithms read the same as @peculiar', () => {
  const dir = tempDir();
  const k = keyFiles(dir);
  const defaultMask = join(dir, 'default-mask.cnf');
  // string_mask=default: T61String for Latin-1 text, BMPString beyond it (no UTF8String).
  writeFileSync(defaultMask, '[req]\ndistinguished_name = dn\nstring_mask = default\n[dn]\n');
  const allSans = [
    'DNS:dev.example.com',
    'DNS:*.wild.example.com',
    'IP:10.0.0.7',
    'IP:::1',
    'IP:::',
    'IP:2001:db8::1',
    'IP:2001:db8:0:0:1:0:0:1',
    'IP:1:0:2:0:3:0:4:0',
    'IP:fe80::',
    'IP:::ffff:192.0.2.1',
    'email:dev@example.com',
    'URI:spiffe://corp/dev',
    'RID:1.2.3.4',
    'otherName:1.3.6.1.4.1.311.20.2.3;UTF8:upn@corp.example',
  ].join(',');
  const cases: Array<[string, string]> = [
    [
      'every SAN type, key usage and EKU',
      opensslCert(k.ec, [
        '-subj', '/CN=dev/O=Example',
        '-addext', `subjectAltName=${allSans}`,
        '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment,keyAgreement,keyCertSign,cRLSign,encipherOnly,decipherOnly',
        '-addext', 'extendedKeyUsage=serverAuth,clientAuth,codeSigning,emailProtection,timeStamping,OCSPSigning,anyExtendedKeyUsage,1.3.6.1.5.5.7.3.17,1.2.3.4.5',
      ]),
    ],
    [
      'RSA-1024 with SHA-1, multi-valued RDN, comma in a value',
      opensslCert(k.rsa1024, ['-sha1', '-multivalue-rdn', '-subj', '/CN=weak+OU=Team A/O=Example, Inc./C=DE', '-addext', 'subjectAltName=DNS:weak.example', '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment', '-addext', 'extendedKeyUsage=clientAuth']),
    ],
    ['RSA-PSS signature', opensslCert(k.rsa1024, ['-sigopt', 'rsa_padding_mode:pss', '-subj', '/CN=pss', '-addext', 'subjectAltName=email:pss@example.com'])],
    ['Ed25519, no SAN, no key usage', opensslCert(k.ed25519, ['-subj', '/CN=only-cn'])],
    [
      'UTF-8 names and every short attribute name',
      opensslCert(k.ec, ['-utf8', '-subj', '/CN=Jürgen Müller/O=日本語/OU=Ünïcödé/L=Zürich/ST=Bayern/C=DE/emailAddress=j@example.de/DC=example/DC=com/serialNumber=1234/title=Dev/GN=Jürgen/SN=Müller/initials=JM/UID=jm', '-addext', 'subjectAltName=DNS:xn--mller-kva.example']),
    ],
    ['T61String and BMPString names', opensslCert(k.ec, ['-config', defaultMask, '-utf8', '-subj', '/CN=Jürgen/O=日本/OU=plain'])],
    ['characters RFC 4514 escapes', opensslCert(k.ec, ['-subj', '/CN= leading space/O=#hash/OU=trailing space /L=a,b\\+c"d\\\\e<f>g;h=i'])],
  ];
  for (const [label, pem] of cases) assertSame(pem, label);

  // A few literal values, so the two readers cannot agree on something wrong.
  const all = ourFacts(cases[0]![1]);
  assert.deepEqual(all.sans.filter((s) => s.type === 'ip').map((s) => s.value), ['10.0.0.7', '::1', '::', '2001:db8::1', '2001:db8::1:0:0:1', '1:0:2:0:3:0:4:0', 'fe80::', '::ffff:c000:201']);
  assert.deepEqual(all.keyUsages, KU_FLAGS.map(([, n]) => n));
  assert.equal(all.sans.length, 12, 'RID and otherName are skipped');
  const weak = ourFacts(cases[1]![1]);
  assert.equal(weak.subject, 'CN=weak+OU=Team A, O=Example\\, Inc., C=DE');
  assert.equal(signatureAlgorithm(new X509Certificate(cases[1]![1])).name, 'sha1WithRSAEncryption');
  assert.equal(signatureAlgorithm(new X509Certificate(cases[2]![1])).name, 'rsassaPss');
  assert.equal(ourFacts(cases[3]![1]).extKeyUsages, undefined);
  assert.match(ourFacts(cases[4]![1]).subject, /^CN=Jürgen Müller, O=日本語, OU=Ünïcödé, L=Zürich, ST=Bayern, C=DE, E=j@example\.de, DC=example, DC=com, 2\.5\.4\.5=1234, T=Dev, G=Jürgen, SN=Müller, I=JM, 0\.9\.2342\.19200300\.100\.1\.1=jm$/);
  assert.equal(ourFacts(cases[6]![1]).subject, 'CN=\\ leading space, O=\\#hash, OU=trailing space\\ , L=a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h=i');
});

test('a chain: issuer differs from subject, and CSR SANs read the same through sansOf', () => {
  const dir = tempDir();
  const chain = opensslChain(dir);
  for (const pem of [chain.leaf, chain.inter, chain.root]) assertSame(pem, 'chain');
  assert.equal(ourFacts(chain.leaf).issuer, 'CN=Chain Intermediate');
  assert.deepEqual(ourFacts(chain.inter).keyUsages, ['keyCertSign']);

  const csrPem = opensslOk(['req', '-new', '-key', chain.paths.leafKey, '-subj', '/CN=req', '-addext', 'subjectAltName=DNS:a.example,IP:2001:db8::7,email:r@example.com,URI:urn:x:y,RID:1.2.3']);
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  const ext = csr.extensions.find((e) => e.type === '2.5.29.17');
  const reference = new x509.SubjectAlternativeNameExtension(ext!.rawData).names.items.filter((n) => PECULIAR_SAN_TYPES[n.type]).map((n) => ({ type: PECULIAR_SAN_TYPES[n.type], value: n.value }));
  assert.deepEqual(sansOf(ext), reference);
  assert.deepEqual(sansOf(ext).map((s) => s.value), ['a.example', '2001:db8::7', 'r@example.com', 'urn:x:y']);
  assert.deepEqual(sansOf(undefined), []);
});

// ---------------------------------------------------------------- hand-built certificates

const KEY = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const attr = (type: string, value: Buffer): Buffer => seq(oid(type), value);
const rdnName = (...rdns: Buffer[][]): Buffer => seq(...rdns.map((rdn) => set(...rdn)));
const ext = (id: string, value: Buffer, critical = false): Buffer => seq(oid(id), ...(critical ? [Buffer.from([0x01, 0x01, 0xff])] : []), octets(value));
const str = (tag: number, bytes: Buffer | string): Buffer => tlv(tag, typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
const CN = '2.5.4.3';
const BIG_ARC_OID = '2.25.329800735698586629295641978511506172918';

/** A real, verifiable certificate with exactly the TBS fields given. */
function handMade(o: { subject: Buffer; issuer?: Buffer; extensions?: Buffer[]; v1?: boolean; uniqueIds?: boolean }): string {
  const validity = seq(str(0x17, '250101000000Z'), str(0x17, '350101000000Z'));
  const spki = KEY.publicKey.export({ type: 'spki', format: 'der' });
  const tbs = seq(
    ...(o.v1 ? [] : [explicit(0, int(2))]),
    int(4242),
    ECDSA_SHA256,
    o.issuer ?? o.subject,
    validity,
    o.subject,
    spki,
    ...(o.uniqueIds ? [tlv(0x81, Buffer.from([0, 0xab])), tlv(0x82, Buffer.from([0, 0xcd]))] : []),
    ...(o.extensions ? [explicit(3, seq(...o.extensions))] : []),
  );
  return toPem('CERTIFICATE', seq(tbs, ECDSA_SHA256, tlv(0x03, Buffer.concat([Buffer.from([0]), sign('sha256', tbs, KEY.privateKey)]))));
}

test('hand-built names: every string type, non-string values, control characters, empty and unknown types', () => {
  const utf32 = (s: string) => Buffer.concat([...s].map((ch) => { const b = Buffer.alloc(4); b.writeUInt32BE(ch.codePointAt(0)!); return b; }));
  const subject = rdnName(
    [attr(CN, utf8String('line1\nline2\nline3\tx'))],
    [attr('2.5.4.10', str(0x14, Buffer.from([0x4a, 0xfc, 0x72])))], // TeletexString, Latin-1 "Jür"
    [attr('2.5.4.11', bmpString('日本 Ω'))],
    [attr('2.5.4.7', str(0x1c, utf32('Zürich Ω')))], // UniversalString
    [attr('2.5.4.8', str(0x12, '0123 456'))], // NumericString: not a DirectoryString choice, so "#" + DER
    [attr('0.9.2342.19200300.100.1.25', str(0x16, 'ia5-dc'))],
    [attr('1.2.3.4.5', utf8String('#lead')), attr('2.5.4.42', str(0x13, 'Given'))],
    [attr('2.5.4.12', utf8String(''))],
  );
  const pem = handMade({ subject, issuer: rdnName(), extensions: [ext('2.5.29.17', seq(str(0x82, 'x.example')))] });
  const ours = assertSame(pem, 'odd names');
  assert.equal(ours.issuer, '');
  assert.equal(ours.commonName, 'line1\nline2\nline3\tx');
  // Only the first control character is escaped, as @peculiar does; "+" joins a multi-valued RDN.
  assert.equal(ours.subject, 'CN=line1\\0Aline2\nline3\tx, O=Jür, OU=日本 Ω, L=Zürich Ω, ST=#12083031323320343536, DC=ia5-dc, G=Given+1.2.3.4.5=\\#lead, T=');

  // A CN that is not a string, and a certificate without any CN.
  const hexCn = handMade({ subject: rdnName([attr(CN, str(0x12, '42'))]) });
  assert.equal(assertSame(hexCn, 'non-string CN').commonName, '12023432');
  assert.equal(assertSame(handMade({ subject: rdnName([attr('2.5.4.10', utf8String('No CN'))]) }), 'no CN').commonName, undefined);
});

test('hand-built extensions: odd IP lengths, other name forms, bit strings, v1 and unique IDs', () => {
  const sanValue = seq(
    str(0x87, Buffer.from([10, 0, 0, 0, 255, 0, 0, 0])), // IPv4 + mask (name-constraints form)
    str(0x87, Buffer.alloc(8)),
    str(0x87, Buffer.concat([Buffer.from('20010db8000000000000000000000000', 'hex'), Buffer.from('ffffffffffffffff0000000000000000', 'hex')])),
    str(0x87, Buffer.alloc(32)),
    str(0x87, Buffer.from([1, 2, 3, 4, 5])), // no valid length: shown as hex
    str(0x87, Buffer.from('00000000000000000000000000000001', 'hex')),
    str(0x87, Buffer.from('00010000000000010000000000010001', 'hex')), // equal zero runs: the first one is compressed
    tlv(0xa4, rdnName([attr(CN, utf8String('dir name'))])), // directoryName: skipped
    str(0x88, Buffer.from([0x2a, 0x03])), // registeredID: skipped
    str(0x81, 'mail@example.com'),
    str(0x82, Buffer.from([0x61, 0xe9, 0x2e, 0x65])), // Latin-1 byte in a dNSName
    str(0x86, 'https://example.com/a?b=c'),
  );
  const kuTwoBytes = tlv(0x03, Buffer.from([0x07, 0x86, 0x80])); // digitalSignature, keyCertSign, cRLSign, decipherOnly
  const eku = seq(oid('1.3.6.1.5.5.7.3.2'), oid('1.3.6.1.4.1.311.10.3.4'));
  const pem = handMade({ subject: rdnName([attr(CN, utf8String('ext'))]), uniqueIds: true, extensions: [ext('2.5.29.15', kuTwoBytes, true), ext('2.5.29.17', sanValue), ext('2.5.29.37', eku)] });
  const ours = assertSame(pem, 'odd extensions');
  assert.deepEqual(
    ours.sans.map((s) => `${s.type}:${s.value}`),
    ['ip:10.0.0.0/8', 'ip:0.0.0.0/0', 'ip:2001:db8::/64', 'ip:::/0', 'ip:0102030405', 'ip:::1', 'ip:1::1:0:0:1:1', 'email:mail@example.com', 'dns:aé.e', 'uri:https://example.com/a?b=c'],
  );
  assert.deepEqual(ours.keyUsages, ['digitalSignature', 'keyCertSign', 'cRLSign', 'decipherOnly']);
  assert.deepEqual(ours.extKeyUsages, ['1.3.6.1.5.5.7.3.2', '1.3.6.1.4.1.311.10.3.4']);

  // Unused bits are padding: a set bit there is not a usage. An empty BIT STRING is no usage.
  const padded = handMade({ subject: rdnName([attr(CN, utf8String('pad'))]), extensions: [ext('2.5.29.15', tlv(0x03, Buffer.from([0x07, 0x81])))] });
  assert.deepEqual(assertSame(padded, 'padding bits').keyUsages, ['digitalSignature']);
  const empty = handMade({ subject: rdnName([attr(CN, utf8String('nil'))]), extensions: [ext('2.5.29.15', tlv(0x03, Buffer.from([0x00])))] });
  assert.deepEqual(assertSame(empty, 'empty key usage').keyUsages, []);

  const v1 = handMade({ subject: rdnName([attr(CN, utf8String('v1'))]), v1: true });
  const f = assertSame(v1, 'v1');
  assert.deepEqual([f.sans, f.keyUsages, f.extKeyUsages], [[], [], undefined]);
});

test('OID arcs beyond 2^53 (UUID OIDs, 2.25.x) print in decimal; @peculiar printed them as hex in braces', () => {
  const pem = handMade({ subject: rdnName([attr(CN, utf8String('uuid'))], [seq(oid(BIG_ARC_OID), utf8String('big arc'))]), extensions: [ext('2.5.29.37', seq(oid(BIG_ARC_OID)))] });
  const ours = ourFacts(pem);
  assert.equal(ours.subject, `CN=uuid, ${BIG_ARC_OID}=big arc`);
  assert.deepEqual(ours.extKeyUsages, [BIG_ARC_OID]);
  // The one deliberate difference from the old reader: its text for such an arc is not an OID.
  const ref = peculiarFacts(pem);
  assert.equal(ref.subject.startsWith('CN=uuid, 2.25.{'), true, ref.subject);
  assert.deepEqual(ref.extKeyUsages?.[0]?.startsWith('2.25.{'), true);
  const same = (f: Facts) => ({ ...f, subject: '', issuer: '', extKeyUsages: [] });
  assert.deepEqual(same(ours), same(ref));
});

test('a damaged extension is a CERT_UNREADABLE UserError naming the file, not a crash', () => {
  const dir = tempDir();
  const subject = rdnName([attr(CN, utf8String('bad'))]);
  const cases: Array<[string, Buffer, RegExp]> = [
    ['truncated SAN', ext('2.5.29.17', Buffer.from([0x30, 0x05, 0x82, 0x09, 0x61])), /has a damaged subject alternative name extension/],
    ['9 unused bits', ext('2.5.29.15', tlv(0x03, Buffer.from([0x09, 0x80]))), /has a damaged key usage extension/],
    ['EKU of integers', ext('2.5.29.37', seq(int(1))), /has a damaged extended key usage extension/],
    ['indefinite length', ext('2.5.29.17', Buffer.from([0x30, 0x80, 0x82, 0x01, 0x61, 0x00, 0x00])), /has a damaged subject alternative name extension \(indefinite length\)/],
  ];
  for (const [label, extension, message] of cases) {
    const pem = handMade({ subject, extensions: [extension] });
    // Node's parser leaves extension contents alone, so the certificate itself loads.
    assert.equal(new X509Certificate(pem).subject, 'CN=bad', label);
    const file = writeIn(dir, 'client.crt', pem);
    assert.throws(() => certificateReport(pem, { certFile: file }), isUserErr('CERT_UNREADABLE', new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${message.source}`)), label);
  }
});
