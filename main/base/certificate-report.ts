/**
 * The fields of the certificate report (DESIGN §5), defined once for both of its forms: the
 * credential engine's (SANs and warnings as objects) and the JSON the CLI prints and the window
 * reads (SANs in openssl spelling, warnings as plain data). Types only; renderer-safe.
 */
export interface CertificateReportFields<SanT, WarningT> {
  subject: string;
  issuer: string;
  /** Lowercase hex, as openssl prints it without colons. */
  serial: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter; negative once expired. */
  daysLeft: number;
  /** Share of the validity period already past, 0..1. */
  lifetimeUsed: number;
  key: { algorithm: string; size?: number; curve?: string };
  sans: SanT[];
  keyUsages: string[];
  /** Names (clientAuth, serverAuth, ...) or OIDs; empty when the extension is absent (= any purpose). */
  extKeyUsages: string[];
  isCa: boolean;
  selfSigned: boolean;
  warnings: WarningT[];
}
