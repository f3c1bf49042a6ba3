// SHA-256 fingerprint of a certificate's DER, in the form headers and logs want.
import { createHash } from 'node:crypto';
import { certificateFromPem } from './pem';

/** Lowercase hex without colons, e.g. for an `X-Client-Cert-Sha256` header. */
export function fingerprintSha256Hex(certPem: string): string {
  return createHash('sha256').update(certificateFromPem(certPem).raw).digest('hex');
}
