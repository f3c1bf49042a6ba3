// The parts of an X.509 certificate (RFC 5280 §4.1) that Node's X509Certificate only gives
// as display text: the signature algorithm's OID, the issuer and subject as attribute lists,
// and the raw extensions. Read straight from the DER with der-read, which keeps
// @peculiar/x509 (and its decorator machinery) off the path that only reads certificates.
import { childrenOf, contentOf, DerError, encodingOf, expect, latin1, oidOf, readNode, TAG, utf16be, utf32be, utf8OrLatin1, type DerNode } from './der-read';

/** An attribute value: text for the string types names use, else the whole DER element. */
export type AttributeValue = { text: string; der?: undefined } | { text?: undefined; der: Uint8Array };

export interface NameAttribute {
  /** Dotted OID, e.g. "2.5.4.3" for CN. */
  type: string;
  value: AttributeValue;
}

/** A Name: its RDNs in certificate order, each a set of one or more attributes. */
export type DistinguishedName = NameAttribute[][];

export interface RawExtension {
  oid: string;
  critical: boolean;
  /** Content of extnValue: the DER of the extension's own structure. */
  value: Uint8Array;
}

export interface CertificateFields {
  /** Outer signatureAlgorithm OID (what the issuer actually signed with). */
  signatureAlgorithm: string;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  /** In certificate order; empty for v1/v2 certificates. */
  extensions: RawExtension[];
}

const STRING_DECODERS: Record<number, (b: Uint8Array) => string> = {
  [TAG.UTF8_STRING]: utf8OrLatin1,
  [TAG.PRINTABLE_STRING]: latin1,
  [TAG.TELETEX_STRING]: latin1,
  [TAG.IA5_STRING]: latin1,
  [TAG.BMP_STRING]: utf16be,
  [TAG.UNIVERSAL_STRING]: utf32be,
};

/** Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }. */
export function readName(der: Uint8Array, node: DerNode | undefined, what: string): DistinguishedName {
  const seq = expect(node, TAG.SEQUENCE, what);
  return childrenOf(der, seq).map((rdn) =>
    childrenOf(der, expect(rdn, TAG.SET, `${what} RDN`)).map((atv): NameAttribute => {
      const [typeNode, valueNode, extra] = childrenOf(der, expect(atv, TAG.SEQUENCE, `${what} attribute`));
      if (!valueNode || extra) throw new DerError(`${what} attribute is not a type and a value`);
      const type = oidOf(der, typeNode, `${what} attribute type`);
      const decode = STRING_DECODERS[valueNode.tag];
      return { type, value: decode ? { text: decode(contentOf(der, valueNode)) } : { der: encodingOf(der, valueNode) } };
    }),
  );
}

function readExtensions(der: Uint8Array, node: DerNode): RawExtension[] {
  // [3] EXPLICIT Extensions, i.e. a SEQUENCE OF Extension inside the context tag.
  const [list, extra] = childrenOf(der, node);
  if (extra) throw new DerError('extensions field holds more than one element');
  return childrenOf(der, expect(list, TAG.SEQUENCE, 'extensions')).map((ext) => {
    const parts = childrenOf(der, expect(ext, TAG.SEQUENCE, 'extension'));
    const oid = oidOf(der, parts[0], 'extension id');
    let i = 1;
    let critical = false;
    if (parts[i]?.tag === TAG.BOOLEAN) {
      const b = contentOf(der, parts[i]!);
      if (b.length !== 1) throw new DerError(`extension ${oid}: critical is not one octet`);
      critical = b[0] !== 0;
      i++;
    }
    const value = contentOf(der, expect(parts[i], TAG.OCTET_STRING, `extension ${oid} value`));
    if (parts.length !== i + 1) throw new DerError(`extension ${oid} has extra fields`);
    return { oid, critical, value };
  });
}

/** Reads the fields above from a certificate's DER. Throws DerError on malformed input. */
export function readCertificateFields(der: Uint8Array): CertificateFields {
  const cert = expect(readNode(der, 0), TAG.SEQUENCE, 'Certificate');
  const [tbsNode, sigAlgNode] = childrenOf(der, cert);
  const tbs = childrenOf(der, expect(tbsNode, TAG.SEQUENCE, 'TBSCertificate'));
  const signatureAlgorithm = oidOf(der, childrenOf(der, expect(sigAlgNode, TAG.SEQUENCE, 'signatureAlgorithm'))[0], 'signature algorithm');
  // version [0] EXPLICIT is absent on v1 certificates; everything after it is positional.
  let i = tbs[0]?.tag === 0xa0 ? 1 : 0;
  i += 2; // serialNumber, signature
  const issuer = readName(der, tbs[i++], 'issuer');
  i++; // validity
  const subject = readName(der, tbs[i++], 'subject');
  i++; // subjectPublicKeyInfo
  // issuerUniqueID [1] and subjectUniqueID [2] may come before extensions [3].
  const extNode = tbs.slice(i).find((n) => n.tag === 0xa3);
  return { signatureAlgorithm, issuer, subject, extensions: extNode ? readExtensions(der, extNode) : [] };
}
