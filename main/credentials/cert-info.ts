// Facts read out of a certificate, in the vocabulary the report and the importers use.
// Node's X509Certificate answers most questions; @peculiar/x509 supplies the structured
// extensions (SAN types, key usage bits) that Node only offers as display strings.
import { X509Certificate as NodeX509 } from 'node:crypto';
import type { San, SanType } from './san';
import { x509 } from './x509-lib';

const SAN_TYPES: Record<string, SanType> = { dns: 'dns', ip: 'ip', email: 'email', url: 'uri' };

export function peculiar(cert: NodeX509): x509.X509Certificate {
  return new x509.X509Certificate(cert.raw);
}

/** SANs of the types we understand, in certificate order (others, e.g. otherName, are skipped). */
export function certificateSans(cert: NodeX509 | x509.X509Certificate): San[] {
  const c = cert instanceof NodeX509 ? peculiar(cert) : cert;
  return sansOf(c.getExtension(x509.SubjectAlternativeNameExtension));
}

/** SANs out of an extension list (a CSR's requested extensions, a certificate's). */
export function sansOf(ext: x509.Extension | null | undefined): San[] {
  if (!ext) return [];
  const san = ext instanceof x509.SubjectAlternativeNameExtension ? ext : new x509.SubjectAlternativeNameExtension(ext.rawData);
  const out: San[] = [];
  for (const n of san.names.items) {
    const type = SAN_TYPES[n.type];
    if (type) out.push({ type, value: n.value });
  }
  return out;
}

const KEY_USAGE_NAMES: Array<[x509.KeyUsageFlags, string]> = [
  [x509.KeyUsageFlags.digitalSignature, 'digitalSignature'],
  [x509.KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [x509.KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [x509.KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [x509.KeyUsageFlags.cRLSign, 'cRLSign'],
  [x509.KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [x509.KeyUsageFlags.decipherOnly, 'decipherOnly'],
];

/** Key usage names as RFC 5280 spells them; empty when the extension is absent. */
export function keyUsages(c: x509.X509Certificate): string[] {
  const ext = c.getExtension(x509.KeyUsagesExtension);
  if (!ext) return [];
  return KEY_USAGE_NAMES.filter(([flag]) => (ext.usages & flag) !== 0).map(([, name]) => name);
}

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

/** Extended key usages by name (OID when unnamed), or undefined when the extension is absent (= any use). */
export function extKeyUsages(c: x509.X509Certificate): string[] | undefined {
  const ext = c.getExtension(x509.ExtendedKeyUsageExtension);
  if (!ext) return undefined;
  return Array.from(ext.usages, (u) => EKU_NAMES[String(u)] ?? String(u));
}

const SIGNATURE_NAMES: Record<string, { name: string; weak: boolean }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', weak: false },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', weak: false },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', weak: false },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', weak: false },
  '1.2.840.113549.1.1.10': { name: 'rsassaPss', weak: false },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', weak: true },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', weak: false },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', weak: false },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', weak: false },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', weak: false },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', weak: true },
  '1.3.101.112': { name: 'Ed25519', weak: false },
  '1.3.101.113': { name: 'Ed448', weak: false },
};

export function signatureAlgorithm(c: x509.X509Certificate): { name: string; weak: boolean } {
  // `asn` is protected in the typings but is the parsed structure; the OID is all we need,
  // and the typed `signatureAlgorithm` getter throws on algorithms WebCrypto lacks (MD5, SHA-1 DSA).
  const oid = (c as unknown as { asn: { signatureAlgorithm: { algorithm: string } } }).asn.signatureAlgorithm.algorithm;
  return SIGNATURE_NAMES[oid] ?? { name: oid, weak: false };
}

/** Self-signed: issued by its own subject and its signature verifies with its own key. */
export function isSelfSigned(cert: NodeX509): boolean {
  if (cert.subject !== cert.issuer) return false;
  try {
    return cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

/** "CN=dev, O=Example": RFC 4514 order, one line. */
export function nameText(c: x509.X509Certificate, which: 'subject' | 'issuer'): string {
  return which === 'subject' ? c.subjectName.toString() : c.issuerName.toString();
}

export function commonNameOf(c: x509.X509Certificate): string | undefined {
  return c.subjectName.getField('CN')[0];
}
