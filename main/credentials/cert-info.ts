// Facts read out of a certificate, in the vocabulary the report and the importers use.
// Node's X509Certificate answers most questions; the structured parts it only offers as
// display strings (SAN types, key usage bits, names, the signature OID) come from our own
// DER reader, so reading a certificate never loads @peculiar/x509.
import { X509Certificate as NodeX509 } from 'node:crypto';
import { UserError } from '../base/errors';
import { decodeExtKeyUsage, decodeKeyUsage, decodeSubjectAltNames, OID_EXT_KEY_USAGE, OID_KEY_USAGE, OID_SUBJECT_ALT_NAME } from './cert-extensions';
import { DerError } from './der-read';
import { nameField, nameToString } from './name-text';
import { capital } from './pem';
import type { San } from './san';
import { readCertificateFields, type CertificateFields, type RawExtension } from './x509-fields';
import { x509 } from './x509-lib';

const DAMAGED_FIX = 'The file is damaged or is not a certificate; get it again from its issuer.';

// Parsed once per certificate object, with the name (file) it was first read under, so a
// damaged extension decoded later is still reported against the right file.
const parsed = new WeakMap<NodeX509, { fields: CertificateFields; what: string }>();

function entry(cert: NodeX509, what: string): { fields: CertificateFields; what: string } {
  let e = parsed.get(cert);
  if (!e) {
    try {
      e = { fields: readCertificateFields(cert.raw), what };
    } catch (err) {
      if (!(err instanceof DerError)) throw err;
      throw new UserError('CERT_UNREADABLE', `${capital(what)} is damaged: ${err.message.replace(/^DER: /, '')}.`, DAMAGED_FIX);
    }
    parsed.set(cert, e);
  }
  return e;
}

/**
 * The parsed fields of a certificate (cached per certificate object). `what` names it in
 * errors about malformed names or extensions, whose insides Node's parser does not check.
 */
export function certificateFields(cert: NodeX509, what = 'the certificate'): CertificateFields {
  return entry(cert, what).fields;
}

/** Decodes the first extension with this OID (RFC 5280 allows only one); undefined when absent. */
function extension<T>(cert: NodeX509, oid: string, name: string, decode: (v: Uint8Array) => T): T | undefined {
  const { fields, what } = entry(cert, 'the certificate');
  const ext = fields.extensions.find((e) => e.oid === oid);
  return ext ? decodeOrThrow(ext, name, what, decode) : undefined;
}

/** Runs an extension decoder, turning malformed content into a UserError that names the file. */
function decodeOrThrow<T>(ext: RawExtension, name: string, what: string, decode: (v: Uint8Array) => T): T {
  try {
    return decode(ext.value);
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
    throw new UserError('CERT_UNREADABLE', `${capital(what)} has a damaged ${name} extension (${err.message.replace(/^DER: /, '')}).`, DAMAGED_FIX);
  }
}

/** @peculiar/x509's view of a certificate, for the code that builds from one (loads the library). */
export function peculiar(cert: NodeX509): x509.X509Certificate {
  return new x509.X509Certificate(cert.raw);
}

/** SANs of the types we understand, in certificate order (others, e.g. otherName, are skipped). */
export function certificateSans(cert: NodeX509): San[] {
  return extension(cert, OID_SUBJECT_ALT_NAME, 'subject alternative name', decodeSubjectAltNames) ?? [];
}

/** SANs out of an @peculiar extension (a CSR's requested extensions). */
export function sansOf(ext: x509.Extension | null | undefined): San[] {
  if (!ext) return [];
  return decodeOrThrow({ oid: ext.type, critical: ext.critical, value: new Uint8Array(ext.value) }, 'subject alternative name', 'the certificate request', decodeSubjectAltNames);
}

/** Key usage names as RFC 5280 spells them; empty when the extension is absent. */
export function keyUsages(cert: NodeX509): string[] {
  return extension(cert, OID_KEY_USAGE, 'key usage', decodeKeyUsage) ?? [];
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
export function extKeyUsages(cert: NodeX509): string[] | undefined {
  return extension(cert, OID_EXT_KEY_USAGE, 'extended key usage', decodeExtKeyUsage)?.map((oid) => EKU_NAMES[oid] ?? oid);
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

/** The algorithm the issuer signed with (the outer signatureAlgorithm), and whether it is broken. */
export function signatureAlgorithm(cert: NodeX509): { name: string; weak: boolean } {
  const oid = certificateFields(cert).signatureAlgorithm;
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

/** "CN=dev, O=Example": RDNs in certificate order, one line (see name-text.ts). */
export function nameText(cert: NodeX509, which: 'subject' | 'issuer'): string {
  return nameToString(certificateFields(cert)[which]);
}

/** The first CN of the subject, unescaped. */
export function commonNameOf(cert: NodeX509): string | undefined {
  return nameField(certificateFields(cert).subject, 'CN')[0];
}
