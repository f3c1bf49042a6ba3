// The extensions every client certificate we make carries, and how to read them back for a
// renewal. Kept apart from the builder so self-signed, CA-issued and renewed certificates
// cannot drift apart.
import type { KeyObject } from 'node:crypto';
import { x509 } from './x509-lib';
import type { San } from './san';

export const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

const GENERAL_NAME_TYPE: Record<San['type'], 'dns' | 'ip' | 'email' | 'url'> = {
  dns: 'dns',
  ip: 'ip',
  email: 'email',
  uri: 'url',
};

export function sanExtension(sans: San[]): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension(
    sans.map((s) => ({ type: GENERAL_NAME_TYPE[s.type], value: s.value })),
    false,
  );
}

/**
 * digitalSignature is what a TLS client key does; RSA keys also get keyEncipherment, as
 * mkcert and most CAs issue them, for TLS 1.2 peers that still check for it.
 */
export function leafKeyUsage(key: KeyObject): x509.KeyUsagesExtension {
  return key.asymmetricKeyType === 'rsa' ? constant().rsaKeyUsage : constant().ecKeyUsage;
}

// The fixed extensions are encoded once: @peculiar's ASN.1 encoding is a measurable share
// of making a certificate, and these never change (the generator only reads their bytes).
let constants:
  | { notCa: x509.Extension; ecKeyUsage: x509.KeyUsagesExtension; rsaKeyUsage: x509.KeyUsagesExtension; client: x509.Extension; clientServer: x509.Extension }
  | undefined;
function constant(): NonNullable<typeof constants> {
  constants ??= {
    notCa: new x509.BasicConstraintsExtension(false, undefined, true),
    ecKeyUsage: new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    rsaKeyUsage: new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    client: new x509.ExtendedKeyUsageExtension([OID_CLIENT_AUTH], false),
    clientServer: new x509.ExtendedKeyUsageExtension([OID_CLIENT_AUTH, OID_SERVER_AUTH], false),
  };
  return constants;
}

export function clientExtensions(o: { key: KeyObject; sans: San[]; serverAuth?: boolean | undefined }): x509.Extension[] {
  const c = constant();
  const exts: x509.Extension[] = [c.notCa, leafKeyUsage(o.key), o.serverAuth ? c.clientServer : c.client];
  if (o.sans.length) exts.push(sanExtension(o.sans));
  return exts;
}
