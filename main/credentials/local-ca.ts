// A local CA: for teams without a PKI, one person's machine signs everyone's client
// certificates, and the deployment trusts that one CA certificate.
import { createPublicKey, type KeyObject, type X509Certificate as NodeX509 } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { UserError } from '../base/errors';
import { buildCertificate } from './certificate-builder';
import { clientExtensions } from './client-extensions';
import { DEFAULT_KEY_ALGORITHM, type KeyAlgorithm } from './key-algorithm';
import { generateKey, privateKeyFromPem, samePublicKey } from './keys';
import { certificateFromPem, pemBlocks } from './pem';
import { peculiar } from './cert-info';
import type { San } from './san';
import { commonNameSubject } from './self-signed';
import { x509 } from './x509-lib';

/** The CA key is written read-only for its owner: it should never be rewritten, only replaced. */
export const CA_KEY_FILE_MODE = 0o400;
/** Ten years: long enough that nobody has to redistribute the CA certificate mid-project. */
export const LOCAL_CA_DAYS = 3650;

export interface LocalCa {
  certPem: string;
  keyPem: string;
}

export async function createLocalCa(o: { commonName?: string; keyAlgorithm?: KeyAlgorithm; days?: number; now?: Date } = {}): Promise<LocalCa> {
  // A random suffix keeps two teams' CAs from sharing a name, which confuses chain building.
  const cn = o.commonName ?? `mtls-tray local CA ${randomBytes(4).toString('hex')}`;
  const subject = commonNameSubject(cn);
  const keyPem = await generateKey(o.keyAlgorithm ?? DEFAULT_KEY_ALGORITHM);
  const key = privateKeyFromPem(keyPem, 'the new CA key');
  const certPem = await buildCertificate({
    subject,
    subjectKey: key,
    signer: { key, name: subject },
    days: o.days ?? LOCAL_CA_DAYS,
    now: o.now ?? new Date(),
    extensions: [
      // pathLen 0: this CA signs client certificates only, never another CA.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { certPem, keyPem };
}

export interface CaSigner {
  cert: NodeX509;
  key: KeyObject;
  name: x509.Name;
}

/** Loads a CA and checks it can sign at `now`: CA flag, keyCertSign, matching key, in validity. */
export function loadCa(ca: LocalCa, now: Date): CaSigner {
  const cert = certificateFromPem(ca.certPem, 'the CA certificate');
  const key = privateKeyFromPem(ca.keyPem, 'the CA key');
  if (!cert.ca) {
    throw new UserError('NOT_A_CA', 'The CA certificate is not a CA certificate (its basic constraints do not say CA:TRUE).', 'Use the certificate made by `mtls-tray init --local-ca`.');
  }
  const p = peculiar(cert);
  const ku = p.getExtension(x509.KeyUsagesExtension);
  if (ku && (ku.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    throw new UserError('NOT_A_CA', 'The CA certificate is not allowed to sign certificates (no keyCertSign key usage).', 'Use the certificate made by `mtls-tray init --local-ca`.');
  }
  if (!samePublicKey(key, cert.publicKey)) {
    throw new UserError('CA_KEY_MISMATCH', 'The CA key does not belong to the CA certificate.', 'Restore the CA key that was created with this CA certificate.');
  }
  if (now.getTime() > new Date(cert.validTo).getTime()) {
    throw new UserError('CA_EXPIRED', `The local CA expired on ${new Date(cert.validTo).toISOString().slice(0, 10)}; it cannot sign certificates any more.`, 'Create a new local CA and give its certificate to the deployment\'s admin.');
  }
  return { cert, key, name: p.subjectName };
}

/** Public key from a PEM public key, private key or certificate (whatever the caller holds). */
export function publicKeyFromPem(pem: string, what = 'the public key'): KeyObject {
  const blocks = pemBlocks(pem, what);
  const first = blocks[0]!;
  try {
    if (/CERTIFICATE/.test(first.label)) return certificateFromPem(pem, what).publicKey;
    return createPublicKey({ key: first.pem, format: 'pem' });
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError('KEY_UNREADABLE', `Could not read ${what} ("${first.label}" block).`, 'Pass a PEM public key, private key or certificate.');
  }
}

export interface IssueOptions {
  ca: LocalCa;
  /** The key to certify: public or private key PEM (a private key never leaves this function). */
  publicKeyPem: string;
  sans: San[];
  commonName: string;
  days: number;
  serverAuth?: boolean;
  now?: Date;
}

/**
 * A client certificate from the local CA. Its notAfter never passes the CA's own: a
 * certificate outliving its issuer fails verification on the day the CA expires.
 */
export async function issueClientCert(o: IssueOptions): Promise<string> {
  const now = o.now ?? new Date();
  const ca = loadCa(o.ca, now);
  const subjectKey = publicKeyFromPem(o.publicKeyPem, 'the key to certify');
  return buildCertificate({
    subject: commonNameSubject(o.commonName),
    subjectKey,
    signer: { key: ca.key, name: ca.name, cert: ca.cert },
    days: o.days,
    now,
    notAfterCap: new Date(ca.cert.validTo),
    extensions: clientExtensions({ key: subjectKey, sans: o.sans, serverAuth: o.serverAuth }),
  });
}
