// Making certificates: one function that both self-signed and CA-issued paths go through,
// so the rules (random serial, notBefore backdated a minute, validity in days, SKI/AKI)
// live in one place.
import { X509Certificate as NodeX509, type KeyObject } from 'node:crypto';
import { UserError } from '../base/errors';
import { keyIdentifierHex, spkiDer } from './keys';
import { nodeSigner } from './signers';
import { toPem } from './pem';
import { randomSerialHex } from './serial';
import { x509 } from './x509-lib';

/** notBefore is backdated so a peer whose clock runs a little behind still accepts a fresh certificate. */
export const BACKDATE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** Longest validity we make; beyond it dates stop meaning much and some clients refuse. */
export const MAX_DAYS = 3650 * 2;

export function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new UserError('DAYS_INVALID', `Validity of ${String(days)} days is not allowed: it must be a whole number from 1 to ${MAX_DAYS}.`, 'Pass --days with a value such as 30, 90 or 365.');
  }
}

export interface BuildParams {
  subject: x509.Name | string;
  /** Public key to certify (SPKI DER of it). */
  subjectKey: KeyObject;
  /** Who signs: the subject's own key for self-signed, else the CA. */
  signer: { key: KeyObject; name: x509.Name | string; cert?: NodeX509 | undefined };
  days: number;
  now: Date;
  extensions: x509.Extension[];
  /** Latest notAfter allowed (the issuing CA's own notAfter). */
  notAfterCap?: Date;
}

export async function buildCertificate(p: BuildParams): Promise<string> {
  checkDays(p.days);
  const signer = nodeSigner(p.signer.key);
  const subjectSpki = spkiDer(p.subjectKey);
  const extensions = [...p.extensions];
  // SKI lets chain builders match issuer and subject without relying on names alone.
  extensions.push(new x509.SubjectKeyIdentifierExtension(keyIdentifierHex(subjectSpki)));
  const selfSigned = !p.signer.cert && (p.signer.key === p.subjectKey || spkiDer(p.signer.key).equals(subjectSpki));
  if (!selfSigned) extensions.push(authorityKeyId(p.signer));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(),
      subject: p.subject,
      issuer: p.signer.name,
      notBefore: new Date(p.now.getTime() - BACKDATE_MS),
      notAfter: new Date(Math.min(p.now.getTime() + p.days * DAY_MS, p.notAfterCap?.getTime() ?? Infinity)),
      publicKey: subjectSpki,
      signingKey: signer.signingKey,
      signingAlgorithm: signer.signingAlgorithm,
      extensions,
    },
    signer.crypto,
  );
  return toPem('CERTIFICATE', new Uint8Array(cert.rawData));
}

/** AKI = the issuer's own SKI when it has one (it may not be SHA-1 of the key), else computed. */
function authorityKeyId(signer: BuildParams['signer']): x509.Extension {
  const ski = signer.cert && new x509.X509Certificate(signer.cert.raw).getExtension(x509.SubjectKeyIdentifierExtension);
  const keyId = ski ? ski.keyId : keyIdentifierHex(spkiDer(signer.cert ? signer.cert.publicKey : signer.key));
  return new x509.AuthorityKeyIdentifierExtension(keyId);
}
