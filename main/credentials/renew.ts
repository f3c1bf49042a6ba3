// Renew and rotate: a new certificate that says the same thing as the old one (subject,
// SANs, key usages) for the key we are given. Renew passes the existing key, so every mix
// of old and new files a reader may pick up still pairs; rotate passes a fresh key.
import { buildCertificate } from './certificate-builder';
import { leafKeyUsage, sanExtension } from './client-extensions';
import type { San } from './san';
import { privateKeyFromPem } from './keys';
import { loadCa } from './local-ca';
import { certificateFromPem } from './pem';
import { x509 } from './x509-lib';

export interface RenewOptions {
  certPem: string;
  keyPem: string;
  days: number;
  /** The local CA that issued certPem; without it the new certificate is self-signed. */
  issuer?: { certPem: string; keyPem: string };
  now?: Date;
  /** The SANs of the new certificate (the profile's, after an edit); default: the old certificate's. */
  sans?: San[];
}

// Extensions that describe the identity and are copied as they are; the key-bound ones
// (SKI, AKI) are recomputed and key usage is re-derived from the (maybe new) key type.
const COPIED = new Set([
  '2.5.29.17', // subjectAltName
  '2.5.29.37', // extKeyUsage
  '2.5.29.19', // basicConstraints
]);

export async function renewCertificate(o: RenewOptions): Promise<string> {
  const old = new x509.X509Certificate(certificateFromPem(o.certPem, 'the certificate to renew').raw);
  const key = privateKeyFromPem(o.keyPem, 'the private key');
  const extensions: x509.Extension[] = old.extensions.filter((e) => COPIED.has(e.type) && !(o.sans?.length && e.type === '2.5.29.17'));
  if (o.sans?.length) extensions.push(sanExtension(o.sans));
  extensions.push(leafKeyUsage(key));

  let signer: Parameters<typeof buildCertificate>[0]['signer'];
  const now = o.now ?? new Date();
  let notAfterCap: Date | undefined;
  if (o.issuer) {
    const ca = loadCa(o.issuer, now);
    signer = { key: ca.key, name: ca.name, cert: ca.cert };
    notAfterCap = new Date(ca.cert.validTo);
  } else {
    signer = { key, name: old.subjectName };
  }
  return buildCertificate({ subject: old.subjectName, subjectKey: key, signer, days: o.days, now, extensions, ...(notAfterCap ? { notAfterCap } : {}) });
}
