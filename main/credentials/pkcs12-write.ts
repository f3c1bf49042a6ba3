// Writing PKCS#12 (.p12/.pfx): the structures come from @peculiar/asn1-pfx, -cms, -pkcs8 and
// -x509 (forge's writer only knows RSA keys). Same layout as OpenSSL 3 writes by default:
// certificates in a PBES2/AES-256-CBC encrypted bag, the key in a PBES2 shrouded key bag and
// an HMAC-SHA256 MAC, so `openssl pkcs12` reads it without -legacy. The ciphers, PBKDF2 and
// the MAC run on Node's crypto; only the encoding is the libraries'.
import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes, type X509Certificate as NodeX509 } from 'node:crypto';
import type * as Pfx from '@peculiar/asn1-pfx';
import type * as Cms from '@peculiar/asn1-cms';
import type * as X509Asn from '@peculiar/asn1-x509';
import { UserError } from '../base/errors';
import { asn1Cms, asn1Pfx, asn1Pkcs8, asn1Rsa, asn1Schema, asn1X509, toDer } from './asn1-lib';
import { describeCert } from './chain';
import { samePublicKey, privateKeyFromPem } from './keys';
import { certificateFromPem, certificatesFromPem } from './pem';
import { pkcs12Kdf } from './pkcs12-kdf';

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
  sha256: '2.16.840.1.101.3.4.2.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
};

/**
 * Work factors of what we write. OpenSSL 3 uses 2048 for both; a file that carries a private
 * key deserves more, and the MAC gets the same so it is not the cheaper way to test guesses.
 */
export const P12_PBKDF2_ITERATIONS = 100_000;
export const P12_MAC_ITERATIONS = 100_000;

export interface Pkcs12ExportOptions {
  certPem: string;
  keyPem: string;
  chainPem?: string | undefined;
  passphrase: string;
  /** Shown by key stores (macOS Keychain, Windows) as the identity's name. */
  friendlyName?: string | undefined;
  /** Overrides for tests; defaults above. */
  iterations?: number;
  macIterations?: number;
}

// Three structures none of the @peculiar packages defines: PBKDF2-params and PBES2-params
// (RFC 8018 A.2, A.4) and CMS EncryptedData (RFC 5652 §8). Plain classes whose schemas are
// registered on first use, so that declaring them does not load the library.
class Pbkdf2Params {
  /** The "specified" choice: an OCTET STRING. */
  salt = new ArrayBuffer(0);
  iterationCount = 0;
  prf!: X509Asn.AlgorithmIdentifier;
  constructor(p: Partial<Pbkdf2Params> = {}) {
    Object.assign(this, p);
  }
}
class Pbes2Params {
  keyDerivationFunc!: X509Asn.AlgorithmIdentifier;
  encryptionScheme!: X509Asn.AlgorithmIdentifier;
  constructor(p: Partial<Pbes2Params> = {}) {
    Object.assign(this, p);
  }
}
class EncryptedData {
  version = 0;
  encryptedContentInfo!: Cms.EncryptedContentInfo;
  constructor(p: Partial<EncryptedData> = {}) {
    Object.assign(this, p);
  }
}

let schemasRegistered = false;
function registerSchemas(): void {
  if (schemasRegistered) return;
  // What the decorators in the libraries' own classes do, called directly (no decorator syntax).
  const { AsnProp, AsnPropTypes } = asn1Schema;
  AsnProp({ type: AsnPropTypes.OctetString })(Pbkdf2Params.prototype, 'salt');
  AsnProp({ type: AsnPropTypes.Integer })(Pbkdf2Params.prototype, 'iterationCount');
  AsnProp({ type: asn1X509.AlgorithmIdentifier })(Pbkdf2Params.prototype, 'prf');
  AsnProp({ type: asn1X509.AlgorithmIdentifier })(Pbes2Params.prototype, 'keyDerivationFunc');
  AsnProp({ type: asn1X509.AlgorithmIdentifier })(Pbes2Params.prototype, 'encryptionScheme');
  AsnProp({ type: AsnPropTypes.Integer })(EncryptedData.prototype, 'version');
  AsnProp({ type: asn1Cms.EncryptedContentInfo })(EncryptedData.prototype, 'encryptedContentInfo');
  schemasRegistered = true;
}

/** The libraries type ANY and OCTET STRING contents as ArrayBuffer; a copy of exactly these bytes. */
const ab = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
const algorithm = (oid: string, parameters: ArrayBuffer | null) => new asn1X509.AlgorithmIdentifier({ algorithm: oid, parameters });
const octetString = (b: Uint8Array): Buffer => toDer(new asn1Schema.OctetString(b));

function pbes2Encrypt(plain: Buffer, passphrase: string, iterations: number): { algId: X509Asn.AlgorithmIdentifier; ciphertext: Buffer } {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  const params = new Pbes2Params({
    keyDerivationFunc: algorithm(OID.pbkdf2, ab(toDer(new Pbkdf2Params({ salt: ab(salt), iterationCount: iterations, prf: algorithm(OID.hmacWithSHA256, null) })))),
    encryptionScheme: algorithm(OID.aes256cbc, ab(octetString(iv))),
  });
  return { algId: algorithm(OID.pbes2, ab(toDer(params))), ciphertext };
}

function attribute(type: string, valueDer: Buffer): Pfx.PKCS12Attribute {
  // PKCS12Attribute's constructor drops its argument (asn1-pfx 2.11), so set the fields.
  const a = new asn1Pfx.PKCS12Attribute();
  a.attrId = type;
  a.attrValues = [ab(valueDer)];
  return a;
}

/** SET OF in DER: elements sorted by their encoding (the library keeps array order). */
const derSetOrder = <T>(items: T[]): T[] => [...items].sort((x, y) => Buffer.compare(toDer(x), toDer(y)));

const contentInfo = (contentType: string, contentDer: Buffer): Cms.ContentInfo => new asn1Cms.ContentInfo({ contentType, content: ab(contentDer) });

export function exportPkcs12(o: Pkcs12ExportOptions): Buffer {
  if (!o.passphrase) {
    throw new UserError('PASSPHRASE_EMPTY', 'An export needs a passphrase: the file carries your private key.', 'Pass a passphrase (e.g. --passphrase-file FILE).');
  }
  const iterations = o.iterations ?? P12_PBKDF2_ITERATIONS;
  const macIterations = o.macIterations ?? P12_MAC_ITERATIONS;
  const cert = certificateFromPem(o.certPem, 'the certificate');
  const key = privateKeyFromPem(o.keyPem, 'the private key');
  if (!samePublicKey(key, cert.publicKey)) {
    throw new UserError('KEY_MISMATCH', `The private key does not belong to the certificate (${describeCert(cert)}); refusing to export a pair that cannot work.`, 'Export the profile whose key and certificate match (`mtls-tray status` shows KEY_MISMATCH).');
  }
  const chain = o.chainPem?.trim() ? certificatesFromPem(o.chainPem, 'the chain') : [];
  registerSchemas();

  // localKeyId ties the key bag to its certificate bag; OpenSSL uses SHA-1 of the cert too.
  const localKeyId = createHash('sha1').update(cert.raw).digest();
  const leafAttrs = [attribute(OID.localKeyId, octetString(localKeyId))];
  if (o.friendlyName) leafAttrs.push(attribute(OID.friendlyName, toDer(new asn1X509.DirectoryString({ bmpString: o.friendlyName }))));

  const certBag = (c: NodeX509, attrs: Pfx.PKCS12Attribute[]) =>
    new asn1Pfx.SafeBag({
      bagId: OID.certBag,
      bagValue: ab(toDer(new asn1Pfx.CertBag({ certId: OID.x509Certificate, certValue: ab(octetString(c.raw)) }))),
      ...(attrs.length ? { bagAttributes: derSetOrder(attrs) } : {}),
    });
  const certContents = toDer(new asn1Pfx.SafeContents([certBag(cert, leafAttrs), ...chain.map((c) => certBag(c, []))]));
  const encCerts = pbes2Encrypt(certContents, o.passphrase, iterations);
  const certInfo = contentInfo(
    OID.encryptedData,
    toDer(
      new EncryptedData({
        version: 0,
        encryptedContentInfo: new asn1Cms.EncryptedContentInfo({
          contentType: OID.data,
          contentEncryptionAlgorithm: encCerts.algId,
          encryptedContent: new asn1Cms.EncryptedContent({ value: new asn1Schema.OctetString(encCerts.ciphertext) }),
        }),
      }),
    ),
  );

  const encKey = pbes2Encrypt(key.export({ type: 'pkcs8', format: 'der' }), o.passphrase, iterations);
  const keyBag = new asn1Pfx.SafeBag({
    bagId: OID.shroudedKeyBag,
    bagValue: ab(toDer(new asn1Pfx.PKCS8ShroudedKeyBag({ encryptionAlgorithm: encKey.algId, encryptedData: new asn1Pkcs8.EncryptedData(encKey.ciphertext) }))),
    bagAttributes: derSetOrder(leafAttrs),
  });
  const keyInfo = contentInfo(OID.data, octetString(toDer(new asn1Pfx.SafeContents([keyBag]))));

  const authSafe = toDer(new asn1Pfx.AuthenticatedSafe([certInfo, keyInfo]));
  const macSalt = randomBytes(16);
  const macKey = pkcs12Kdf(o.passphrase, macSalt, 3, macIterations, 32, 'sha256');
  const mac = createHmac('sha256', macKey).update(authSafe).digest();
  return toDer(
    new asn1Pfx.PFX({
      version: 3,
      authSafe: contentInfo(OID.data, octetString(authSafe)),
      macData: new asn1Pfx.MacData({
        mac: new asn1Rsa.DigestInfo({ digestAlgorithm: algorithm(OID.sha256, null), digest: new asn1Schema.OctetString(mac) }),
        macSalt: new asn1Schema.OctetString(macSalt),
        iterations: macIterations,
      }),
    }),
  );
}
