// Certificate signing requests: the path for deployments with their own CA. We make the
// key and a CSR with the profile's SANs; the key never leaves the machine; later the CA's
// certificate is accepted only if it certifies that very key. The local CA uses the other
// half (signCsr) to sign a teammate's request.
import { createPublicKey, type X509Certificate as NodeX509 } from 'node:crypto';
import { UserError } from '../base/errors';
import { sansOf } from './cert-info';
import { describeCert } from './chain';
import { clientExtensions } from './client-extensions';
import { assembleIdentity, type PemImportResult } from './import-pem';
import { describeKey, type KeyDescription } from './key-algorithm';
import { normalisePrivateKey } from './key-import';
import { privateKeyFromPem } from './keys';
import { signingKeyFrom } from './signers';
import { issueClientCert, type LocalCa } from './local-ca';
import { capital, certificatesFromPem, pemBlocks, toPem, type PemInput } from './pem';
import type { San } from './san';
import { filterSans, type SanPredicate } from './san-policy';
import { commonNameSubject } from './self-signed';
import { x509 } from './x509-lib';

export interface CsrOptions {
  keyPem: string;
  sans: San[];
  commonName: string;
  serverAuth?: boolean;
}

/** A PKCS#10 request carrying the SANs, key usage and EKU we want, signed with the key. */
export async function createCsr(o: CsrOptions): Promise<string> {
  const key = privateKeyFromPem(o.keyPem, 'the private key');
  const signing = await signingKeyFrom(key);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: commonNameSubject(o.commonName),
    keys: { privateKey: signing.privateKey, publicKey: signing.publicKey },
    signingAlgorithm: signing.signingAlgorithm,
    extensions: clientExtensions({ key, sans: o.sans, serverAuth: o.serverAuth }).filter((e) => e.type !== '2.5.29.19'),
  });
  return toPem('CERTIFICATE REQUEST', new Uint8Array(csr.rawData));
}

export interface CsrInfo {
  subject: string;
  commonName: string | undefined;
  sans: San[];
  key: KeyDescription;
  /** SPKI PEM of the requester's key. */
  publicKeyPem: string;
}

const SAN_OID = '2.5.29.17';
const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);

/** Parses a CSR and checks its self-signature (proof the requester holds the key). */
export async function readCsr(input: PemInput, what = 'the file'): Promise<CsrInfo> {
  const block = pemBlocks(input, what).find((b) => CSR_LABELS.has(b.label));
  if (!block) {
    throw new UserError('NOT_A_CSR', `${capital(what)} is not a certificate request: it has no -----BEGIN CERTIFICATE REQUEST----- block.`, 'Pass the .csr file made by `mtls-tray init --csr` or `openssl req -new`.');
  }
  let csr: x509.Pkcs10CertificateRequest;
  let publicKeyPem: string;
  try {
    csr = new x509.Pkcs10CertificateRequest(block.der);
    publicKeyPem = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }) as string;
  } catch {
    throw new UserError('CSR_UNREADABLE', `${capital(what)} is damaged: its request block is not a valid PKCS#10 request.`, 'Ask for the request file again.');
  }
  let ok = false;
  try {
    ok = await csr.verify();
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new UserError('CSR_BAD_SIGNATURE', `${capital(what)} has an invalid signature: it was altered, or not made with the key it names.`, 'Ask the requester to make a new request.');
  }
  const sans = sansOf(csr.extensions.find((e) => e.type === SAN_OID));
  return {
    subject: csr.subjectName.toString(),
    commonName: csr.subjectName.getField('CN')[0],
    sans,
    key: describeKey(createPublicKey(publicKeyPem)),
    publicKeyPem,
  };
}

export interface SignCsrOptions {
  csrPem: PemInput;
  ca: LocalCa;
  days: number;
  /** Which requested SANs may be copied: a predicate or allow-list patterns (see sanAllowList). */
  allow: SanPredicate | readonly string[];
  serverAuth?: boolean;
  now?: Date;
}

export interface SignCsrResult {
  certPem: string;
  copied: San[];
  refused: San[];
}

/**
 * Signs a teammate's CSR with the local CA. Only the CN of the request's subject is kept
 * (other attributes such as O= are the CA's to assert, not the requester's), only allowed
 * SANs are copied, and the EKU is clientAuth whatever the request asked for.
 */
export async function signCsr(o: SignCsrOptions): Promise<SignCsrResult> {
  const info = await readCsr(o.csrPem);
  const { copied, refused } = filterSans(info.sans, o.allow);
  if (copied.length === 0) {
    const asked = info.sans.length ? info.sans.map((s) => `${s.type.toUpperCase()}:${s.value}`).join(', ') : 'none';
    throw new UserError(
      'CSR_NO_ALLOWED_SAN',
      `None of the names the request asks for are allowed (asked: ${asked}); a certificate without names would be refused.`,
      'Allow the names with --allow-san PATTERN, or ask the requester for a request with a name you allow.',
    );
  }
  const commonName = info.commonName ?? copied[0]!.value;
  const certPem = await issueClientCert({
    ca: o.ca,
    publicKeyPem: info.publicKeyPem,
    sans: copied,
    commonName: commonName.slice(0, 64),
    days: o.days,
    ...(o.serverAuth !== undefined ? { serverAuth: o.serverAuth } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  return { certPem, copied, refused };
}

/**
 * Completes a CSR flow: the certificate the CA returned (optionally followed by its chain)
 * must certify the pending key. Returns the identity ready to store.
 */
export function acceptIssuedCertificate(certPem: PemInput, keyPem: string, opts: { chainPem?: PemInput; certFile?: string; now?: Date } = {}): PemImportResult {
  const certFile = opts.certFile ?? 'the issued certificate';
  const certs = certificatesFromPem(certPem, certFile);
  const chain = opts.chainPem !== undefined ? certificatesFromPem(opts.chainPem, 'the chain file') : [];
  const key = normalisePrivateKey(keyPem, { what: 'the pending key' });
  const identity = assembleIdentity([...certs, ...chain], key, () =>
    new UserError(
      'CERT_KEY_MISMATCH',
      `${capital(certFile)} (${describeCert(certs[0]!)}) is for a different key than the one this profile's request was made with, so it cannot be used with it.`,
      'Make sure the CA signed the request from this profile (the .csr file it wrote), not an older or another one.',
    ),
  );
  checkUsableClientCert(certs[0]!, opts.now ?? new Date(), certFile);
  return identity;
}

const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const EKU_ANY = '2.5.29.37.0';

/**
 * An identity that cannot work is never published (DESIGN §2.1): the certificate must be
 * valid now and allow client authentication (no EKU extension means any purpose).
 */
export function checkUsableClientCert(leaf: NodeX509, now: Date, what = 'the issued certificate'): void {
  const from = new Date(leaf.validFrom);
  const to = new Date(leaf.validTo);
  const desc = describeCert(leaf);
  if (to.getTime() <= now.getTime()) {
    throw new UserError('CERT_EXPIRED', `${capital(what)} (${desc}) expired on ${to.toISOString()}, so it cannot be used.`, 'Ask your CA for a certificate that is valid now, and check this machine\'s clock.');
  }
  if (from.getTime() > now.getTime()) {
    throw new UserError('CERT_NOT_YET_VALID', `${capital(what)} (${desc}) is not valid until ${from.toISOString()}, so it cannot be used yet.`, 'Check this machine\'s clock, or ask your CA for a certificate valid from now.');
  }
  const ekus = leaf.keyUsage;
  if (ekus && ekus.length > 0 && !ekus.includes(EKU_CLIENT_AUTH) && !ekus.includes(EKU_ANY)) {
    throw new UserError('CERT_NO_CLIENT_AUTH', `${capital(what)} (${desc}) does not allow client authentication (its extended key usage is ${ekus.join(', ')}); a gateway refuses it.`, 'Ask your CA for a client certificate (extendedKeyUsage = clientAuth).');
  }
}
