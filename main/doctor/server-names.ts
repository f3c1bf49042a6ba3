/**
 * Does the deployment's server certificate name the host we connect to?
 *
 * Two verifiers matter and they disagree on one point: Node (the extension) still falls
 * back to the subject's Common Name when a certificate has no subjectAltName at all, while
 * Go (the Coder CLI that the extension runs for SSH) refuses such a certificate with
 * "x509: certificate relies on legacy Common Name field, use SANs instead". We hold the
 * certificate to the stricter rule: only SANs count.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

export interface ServerNames {
  dnsNames: string[];
  ipAddresses: string[];
  commonName: string | undefined;
  /** No subjectAltName at all: Go refuses the certificate whatever the host. */
  cnOnly: boolean;
}

export const GO_LEGACY_CN_ERROR = 'x509: certificate relies on legacy Common Name field, use SANs instead';

export function readServerNames(cert: X509Certificate): ServerNames {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const entry of splitSubjectAltName(cert.subjectAltName ?? '')) {
    if (entry.startsWith('DNS:')) dnsNames.push(entry.slice(4));
    else if (entry.startsWith('IP Address:')) ipAddresses.push(entry.slice(11));
  }
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
  return { dnsNames, ipAddresses, commonName: cn, cnOnly: dnsNames.length === 0 && ipAddresses.length === 0 };
}

/** Whether the certificate's SANs (never its CN) cover `host`, a DNS name or an IP address. */
export function sansCover(cert: X509Certificate, host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return cert.checkIP(bare) !== undefined;
  return cert.checkHost(bare, { subject: 'never' }) !== undefined;
}

/**
 * Names from the certificate that could serve as `coder.tlsAltHost`: its literal DNS SANs
 * (a wildcard names no single host we could put in a setting).
 */
export function altHostCandidates(names: ServerNames): string[] {
  return names.dnsNames.filter((n) => !n.includes('*'));
}

/** Node prints SANs as `DNS:a, IP Address:1.2.3.4`, quoting an entry that itself contains a comma. */
function splitSubjectAltName(text: string): string[] {
  const out: string[] = [];
  const re = /([A-Za-z ]+:(?:"(?:[^"\\]|\\.)*"|[^,]*))(?:, |$)/g;
  for (const m of text.matchAll(re)) {
    const entry = m[1];
    if (!entry) continue;
    const colon = entry.indexOf(':');
    const value = entry.slice(colon + 1);
    out.push(entry.slice(0, colon + 1) + (value.startsWith('"') ? JSON.parse(value) : value));
  }
  return out;
}
