// The certificate report of DESIGN.md §5: everything a person (or `status --json`) needs to
// judge a client certificate, with warnings that say what to do. Pure: `now` is passed in.
import { createHash, type KeyObject, type X509Certificate as NodeX509 } from 'node:crypto';
import type { CertificateReportFields } from '../base/certificate-report';
import { daysLeftAt } from '../base/time-left';
import { certificateFields, certificateSans, commonNameOf, extKeyUsages, isSelfSigned, keyUsages, nameText, signatureAlgorithm } from './cert-info';
import { verifyChain } from './chain';
import { curveBits, describeKey, type KeyDescription } from './key-algorithm';
import { privateKeyFromPem, samePublicKey } from './keys';
import { certificateFromPem, certificatesFromPem } from './pem';
import type { San } from './san';
import { makeWarning, type CertWarning } from './warnings';

export interface CertificateReport extends CertificateReportFields<San, CertWarning> {
  key: KeyDescription;
  signatureAlgorithm: string;
}

export interface ReportOptions {
  /** The private key that should pair with the certificate (KEY_MISMATCH when it does not). */
  keyPem?: string;
  /** Intermediates sent along with the certificate. */
  chainPem?: string;
  /** CAs the server is expected to trust; enables CHAIN_UNVERIFIED checks. */
  trustedCaPem?: string;
  now?: Date;
  /** EXPIRING_SOON threshold in days; default: 14, or a third of the lifetime when that is shorter. */
  expiringSoonDays?: number;
  /** File names for messages. */
  certFile?: string;
  keyFile?: string;
}

const DAY_MS = 86_400_000;
export const DEFAULT_EXPIRING_SOON_DAYS = 14;

/** Threshold below which a certificate counts as expiring soon. */
export function expiringSoonMs(lifetimeMs: number, expiringSoonDays?: number): number {
  if (expiringSoonDays !== undefined) return expiringSoonDays * DAY_MS;
  return Math.min(DEFAULT_EXPIRING_SOON_DAYS * DAY_MS, lifetimeMs / 3);
}

const MIN_BITS: Record<string, number> = { RSA: 2048, 'RSA-PSS': 2048, EC: 256 };

function weakKey(key: KeyDescription): { algorithm: string; bits: number } | undefined {
  const bits = key.algorithm === 'EC' ? curveBits(key.curve ?? '') : key.size ?? 0;
  const min = MIN_BITS[key.algorithm];
  return min !== undefined && bits < min ? { algorithm: key.algorithm === 'EC' ? `EC ${key.curve}` : key.algorithm, bits } : undefined;
}

const EC_PUBLIC_KEY_OID = Buffer.from('06072a8648ce3d0201', 'hex');
/**
 * Whether an EC key spells out its curve instead of naming it. OpenSSL and Node match such a key
 * to P-256 and use it; Go's crypto/x509 refuses the certificate ("unsupported elliptic curve").
 */
function explicitEcParameters(publicKey: KeyObject): boolean {
  if (publicKey.asymmetricKeyType !== 'ec') return false;
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const at = spki.indexOf(EC_PUBLIC_KEY_OID);
  return at >= 0 && spki[at + EC_PUBLIC_KEY_OID.length] === 0x30;
}

/** Keys Go's crypto/tls cannot use for a client certificate: DSA, Ed448, EC off the NIST curves (secp256k1, brainpool...). */
function unsupportedKey(key: KeyDescription): string | undefined {
  if (key.algorithm === 'dsa') return 'DSA';
  if (key.algorithm === 'Ed448') return 'Ed448';
  if (key.algorithm === 'EC' && !['P-256', 'P-384', 'P-521'].includes(key.curve ?? '')) return `EC on the curve ${key.curve ?? 'unknown'}`;
  return undefined;
}

export function certificateReport(certPem: string, opts: ReportOptions = {}): CertificateReport {
  const now = opts.now ?? new Date();
  const what = opts.certFile ?? 'the certificate';
  const cert: NodeX509 = certificateFromPem(certPem, what);
  // Parse names and extensions once, up front, so a damaged one is reported with the file name.
  certificateFields(cert, what);
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  const lifetime = Math.max(1, notAfter.getTime() - notBefore.getTime());
  const key = describeKey(cert.publicKey);
  const sig = signatureAlgorithm(cert);
  const sans = certificateSans(cert);
  const ekus = extKeyUsages(cert);
  const selfSigned = isSelfSigned(cert);
  const warnings: CertWarning[] = [];

  if (now < notBefore) warnings.push(makeWarning('NOT_YET_VALID', { notBefore, now }));
  if (now > notAfter) warnings.push(makeWarning('EXPIRED', { notAfter, now }));
  else if (notAfter.getTime() - now.getTime() <= expiringSoonMs(lifetime, opts.expiringSoonDays)) {
    warnings.push(makeWarning('EXPIRING_SOON', { notAfter, now }));
  }
  if (sans.length === 0) warnings.push(makeWarning('NO_SAN', { commonName: commonNameOf(cert) }));
  if (opts.keyPem !== undefined) {
    const priv = privateKeyFromPem(opts.keyPem, opts.keyFile ?? 'the private key');
    if (!samePublicKey(priv, cert.publicKey)) warnings.push(makeWarning('KEY_MISMATCH', { keyFile: opts.keyFile, certFile: opts.certFile }));
  }
  // No EKU extension means any purpose; a list without clientAuth (or anyEKU) is refused by servers.
  if (ekus && !ekus.includes('clientAuth') && !ekus.includes('anyExtendedKeyUsage')) {
    warnings.push(makeWarning('NO_CLIENT_AUTH_EKU', { extKeyUsages: ekus }));
  }
  const chainProblem = checkChain(cert, selfSigned, opts, now);
  if (chainProblem) warnings.push(makeWarning('CHAIN_UNVERIFIED', { reason: chainProblem }));
  const weak = weakKey(key);
  if (weak) warnings.push(makeWarning('WEAK_KEY', weak));
  if (sig.weak) warnings.push(makeWarning('WEAK_SIGNATURE', { algorithm: sig.name }));
  const unsupported = explicitEcParameters(cert.publicKey) ? 'EC with explicit curve parameters (not a named curve)' : unsupportedKey(key);
  if (unsupported) warnings.push(makeWarning('UNSUPPORTED_KEY', { algorithm: unsupported }));

  return {
    subject: nameText(cert, 'subject'),
    issuer: nameText(cert, 'issuer'),
    serial: cert.serialNumber.toLowerCase(),
    fingerprintSha256: createHash('sha256').update(cert.raw).digest('hex'),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: daysLeftAt(notAfter, now),
    lifetimeUsed: Math.min(1, Math.max(0, (now.getTime() - notBefore.getTime()) / lifetime)),
    key,
    signatureAlgorithm: sig.name,
    sans,
    keyUsages: keyUsages(cert),
    extKeyUsages: ekus ?? [],
    isCa: cert.ca,
    selfSigned,
    warnings,
  };
}

/**
 * With trusted CAs: the chain must reach one of them. Without: intermediates that were given
 * must at least link up. A self-signed certificate with nothing to check against is fine:
 * the server trusts it directly.
 */
function checkChain(cert: NodeX509, selfSigned: boolean, opts: ReportOptions, now: Date): string | undefined {
  const chain = opts.chainPem?.trim() ? certificatesFromPem(opts.chainPem, 'the chain file') : [];
  if (opts.trustedCaPem?.trim()) {
    const anchors = certificatesFromPem(opts.trustedCaPem, 'the trusted CA file');
    return verifyChain(cert, chain, anchors, now);
  }
  if (chain.length === 0 || selfSigned) return undefined;
  // Without anchors, treat the last certificate given as the root and check the links to it.
  const last = chain[chain.length - 1]!;
  return verifyChain(cert, chain.slice(0, -1), [last], now);
}

