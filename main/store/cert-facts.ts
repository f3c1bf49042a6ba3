// The few facts about a certificate the store needs (placeholders, manifest, refresh
// decisions), read with Node's own X509Certificate: cheap enough to run on every write.
import { X509Certificate, createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { UserError } from '../base/errors';
import { MAX_BUNDLE_CERTS, scanPemBlocks } from '../base/pem-blocks';

export interface CertFacts {
  /** SHA-256 of the DER, lowercase hex without colons. */
  sha256: string;
  /** SHA-256 of the SubjectPublicKeyInfo DER, lowercase hex: the same across renewals. */
  spkiSha256: string;
  /** Serial number, lowercase hex as encoded. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
}


export function parseCertificate(pem: string, what: string): X509Certificate {
  const scan = scanPemBlocks(pem);
  const first = scan.blocks[scan.labels.indexOf('CERTIFICATE')];
  if (!first) throw new UserError('CERT_UNREADABLE', `${what} holds no PEM certificate.`, 'Pass a PEM file that starts with "-----BEGIN CERTIFICATE-----".');
  try {
    return new X509Certificate(first);
  } catch (err) {
    throw new UserError('CERT_UNREADABLE', `${what} is not a readable certificate: ${(err as Error).message}.`);
  }
}

/** Every certificate in a bundle parses; returns how many there are. */
export function checkCertificateBundle(pem: string, what: string): number {
  const scan = scanPemBlocks(pem);
  const blocks = scan.blocks.filter((_, i) => scan.labels[i] === 'CERTIFICATE');
  if (blocks.length === 0) throw new UserError('CA_BUNDLE_EMPTY', `${what} holds no PEM certificate.`, 'Pass the PEM file of the CA(s) that signed the deployment\'s server certificate.');
  if (blocks.length > MAX_BUNDLE_CERTS) {
    throw new UserError('CA_BUNDLE_TOO_LARGE', `${what} has ${blocks.length} certificates; a CA bundle holds at most ${MAX_BUNDLE_CERTS}.`, 'Keep only the CA(s) that signed the deployment\'s server certificate (usually one or two).');
  }
  const parsed = new Set<string>();
  blocks.forEach((b, i) => {
    if (parsed.has(b)) return;
    parsed.add(b);
    try {
      new X509Certificate(b);
    } catch (err) {
      throw new UserError('CA_BUNDLE_UNREADABLE', `${what}: certificate #${i + 1} is not readable: ${(err as Error).message}.`);
    }
  });
  return blocks.length;
}

export function certFacts(pem: string, what = 'the certificate'): CertFacts {
  const cert = parseCertificate(pem, what);
  return {
    sha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
    spkiSha256: createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('hex'),
    serial: cert.serialNumber.toLowerCase(),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

export function parsePrivateKey(pem: string, what: string): KeyObject {
  try {
    const k = createPrivateKey({ key: pem, format: 'pem' });
    if (k.type !== 'private') throw new Error('not a private key');
    return k;
  } catch {
    throw new UserError('KEY_UNREADABLE', `${what} is not an unencrypted PEM private key.`, 'Pass a PEM file that starts with "-----BEGIN PRIVATE KEY-----" (or RSA/EC PRIVATE KEY).');
  }
}

/** Whether the key is the private half of the certificate's public key. */
export function keyMatchesCert(certPem: string, keyPem: string): boolean {
  return parseCertificate(certPem, 'the certificate').checkPrivateKey(parsePrivateKey(keyPem, 'the private key'));
}

/** ISO 8601 to the second, UTC: what `{{cert.notAfter}}` prints. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
