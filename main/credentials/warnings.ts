// Every warning the tool shows about credentials, in one table, so the report, the doctor
// and the settings writer use the same words. A message says what is wrong in terms the
// user knows; a fix says what to do next.
import { describeDistance } from '../base/time-left';
import type { WarningCode } from '../base/vocabulary';

export type Severity = 'error' | 'warning' | 'info';

export type { WarningCode };

export interface CertWarning {
  code: WarningCode;
  severity: Severity;
  message: string;
  fix: string;
}

/** Go's crypto/x509 error for a certificate that names its host only in the CN. Quoted verbatim. */
export const GO_LEGACY_CN_ERROR = 'x509: certificate relies on legacy Common Name field, use SANs instead';

/** The parameters each code's message needs. */
export interface WarningParams {
  NO_SAN: { commonName?: string | undefined };
  EXPIRED: { notAfter: Date; now: Date };
  NOT_YET_VALID: { notBefore: Date; now: Date };
  EXPIRING_SOON: { notAfter: Date; now: Date };
  KEY_MISMATCH: { keyFile?: string | undefined; certFile?: string | undefined };
  NO_CLIENT_AUTH_EKU: { extKeyUsages: string[] };
  CHAIN_UNVERIFIED: { reason: string };
  WEAK_KEY: { algorithm: string; bits: number };
  WEAK_SIGNATURE: { algorithm: string };
  HOST_NOT_IN_SAN: { host: string; sans: string[] };
  /** `value` defaults to "override"; `editors` names the editors whose settings say so. */
  PROXY_SUPPORT_OVERRIDE: { value?: string | undefined; settingsFile?: string | undefined; editors?: string[] | undefined };
  UNSUPPORTED_KEY: { algorithm: string };
}

/** "2030-01-15 12:00 UTC": unambiguous in every locale, and what openssl users can compare. */
export function formatDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC');
}

/** "in 3 days", "2 days ago", "in 5 hours": the distance people care about (base/time-left.ts). */
export const formatDistance = describeDistance;

type Builder<C extends WarningCode> = (p: WarningParams[C]) => Omit<CertWarning, 'code'>;

const TABLE: { [C in WarningCode]: Builder<C> } = {
  NO_SAN: (p) => ({
    severity: 'warning',
    message:
      `The certificate has no subject alternative names${p.commonName ? `, only the Common Name "${p.commonName}"` : ''}. ` +
      `Go programs (the Coder server among them) reject such certificates for names: "${GO_LEGACY_CN_ERROR}".`,
    fix: 'Make a new certificate with at least one --san (e.g. --san DNS:your-host or --san email:you@example.com).',
  }),
  EXPIRED: (p) => ({
    severity: 'error',
    message: `The certificate expired on ${formatDate(p.notAfter)} (${describeDistance(p.now, p.notAfter)}); servers refuse it.`,
    fix: 'Run `mtls-tray renew` (or get a new certificate from your CA and import it).',
  }),
  NOT_YET_VALID: (p) => ({
    severity: 'error',
    message: `The certificate only becomes valid on ${formatDate(p.notBefore)} (${formatDistance(p.now, p.notBefore)}); servers refuse it until then.`,
    fix: "Check this computer's clock and time zone; if the clock is right, the issuer dated the certificate wrongly.",
  }),
  EXPIRING_SOON: (p) => ({
    severity: 'warning',
    message: `The certificate expires on ${formatDate(p.notAfter)} (${describeDistance(p.now, p.notAfter)}).`,
    fix: 'Run `mtls-tray renew` now, or let the tray renew it automatically.',
  }),
  KEY_MISMATCH: (p) => ({
    severity: 'error',
    message: `The private key${p.keyFile ? ` in ${p.keyFile}` : ''} does not belong to the certificate${p.certFile ? ` in ${p.certFile}` : ''}: TLS connections would fail during the handshake.`,
    fix: 'Use the key that was created together with this certificate, or run `mtls-tray rotate` to make a new matching pair.',
  }),
  NO_CLIENT_AUTH_EKU: (p) => ({
    severity: 'error',
    message: `The certificate is not allowed for TLS client authentication: its extended key usage lists only ${p.extKeyUsages.length ? p.extKeyUsages.join(', ') : 'nothing'}, not clientAuth. Servers reject it ("unsupported certificate purpose").`,
    fix: 'Ask your CA for a certificate with the clientAuth extended key usage, or make one with `mtls-tray init --url URL --self-signed` / `--local-ca`.',
  }),
  CHAIN_UNVERIFIED: (p) => ({
    severity: 'warning',
    message: `The certificate chain could not be verified: ${p.reason}.`,
    fix: 'Import the intermediate certificates with --chain and check that the server trusts the CA that issued your certificate.',
  }),
  WEAK_KEY: (p) => ({
    severity: 'error',
    message: `The certificate's ${p.algorithm} key is only ${p.bits} bits; current OpenSSL and browsers refuse keys this short.`,
    fix: 'Run `mtls-tray rotate` to switch to a new ECDSA P-256 (or RSA 2048+) key.',
  }),
  UNSUPPORTED_KEY: (p) => ({
    severity: 'error',
    message: `The certificate's key is ${p.algorithm}, which Go's TLS (the Coder extension and CLI) and most gateways do not accept for a client certificate.`,
    fix: p.algorithm.includes('explicit')
      ? 'Convert the key to its named curve (`openssl ec -in key.pem -param_enc named_curve -out key-named.pem`) and have the certificate issued again for it, or make a new identity with `mtls-tray init --url URL --self-signed` (or `--csr` for your CA).'
      : 'Use an ECDSA P-256/P-384 or RSA 2048+ key: `mtls-tray init --url URL --self-signed` (or `--csr` for your CA) makes one; for an imported identity, ask your CA for a certificate on such a key.',
  }),
  WEAK_SIGNATURE: (p) => ({
    severity: 'error',
    message: `The certificate is signed with ${p.algorithm}, which is broken; Go, OpenSSL 3 and browsers refuse it.`,
    fix: 'Get a certificate signed with SHA-256 (renew it, or ask your CA to reissue it).',
  }),
  HOST_NOT_IN_SAN: (p) => ({
    severity: 'error',
    message: `The server's certificate does not name "${p.host}"${p.sans.length ? ` (it names ${p.sans.join(', ')})` : ' (it has no subject alternative names)'}, so the connection is refused as a possible impostor.`,
    fix: 'Set the profile\'s alternative host (coder.tlsAltHost) to a name the certificate carries, or have the server certificate reissued with this host name.',
  }),
  PROXY_SUPPORT_OVERRIDE: (p) => ({
    severity: 'warning',
    message:
      `The editor setting http.proxySupport is "${p.value ?? 'override'}"` +
      `${p.editors?.length ? ` in ${p.editors.join(', ')}` : ''}${p.settingsFile ? ` (${p.settingsFile})` : ''}: ` +
      "the editor then replaces the Coder extension's connection agent and the client certificate is never sent.",
    fix: 'Set http.proxySupport to "on": run `mtls-tray settings apply --proxy-support`, or use "Fix proxy setting" in the window.',
  }),
};

export function makeWarning<C extends WarningCode>(code: C, params: WarningParams[C]): CertWarning {
  const build = TABLE[code] as Builder<C>;
  return { code, ...build(params) };
}

export { WARNING_CODES } from '../base/vocabulary';
