/**
 * The profile: everything mtls-tray knows about one Coder deployment and the identity used
 * for it, minus secrets. Stored as `profiles/<id>/profile.json` beside its generations and
 * validated on every read (see profile-schema.ts). Keys and certificates live in the
 * generations, never here.
 */
import type { IdentitySource, KeyAlgorithm } from '../base/vocabulary';

export const PROFILE_SCHEMA_VERSION = 1;

export interface HeaderSpecJson {
  name: string;
  /** May contain placeholders such as `{{cert.sha256}}`, filled in at generation time. */
  value: string;
}

export interface RenewalPolicy {
  /** Renew automatically (tray scheduler and refresh hook) when the identity source allows it. */
  auto: boolean;
  /** Share of the actual lifetime after which we renew (default 2/3, as step and cert-manager do). */
  renewAt: number;
  /** Largest random advance of the renewal time, as a share of the lifetime (default 1/20). */
  jitter: number;
}

export const DEFAULT_RENEWAL_POLICY: RenewalPolicy = { auto: true, renewAt: 2 / 3, jitter: 1 / 20 };

export interface Profile {
  schema: number;
  /** Directory name under profiles/: `[a-z0-9][a-z0-9-]*`, never a path. */
  id: string;
  /** What the user calls it; free text, shown in the tray. */
  name: string;
  /** The deployment, `https://...`. */
  url: string;
  /** `coder.tlsAltHost`: the name to verify the server certificate against, when it differs from the URL's host. */
  altHost?: string;
  source: IdentitySource;
  /** A `csr` profile waits for its CA-issued certificate until `csr import-cert`. */
  pending: boolean;
  keyAlgorithm: KeyAlgorithm;
  /** SANs in openssl spelling (`DNS:x`, `IP:1.2.3.4`, `email:a@b`, `URI:u`). */
  sans: string[];
  /** The template the SANs came from (exported to teammates), e.g. `email:{user}@example.com`. */
  sanTemplate?: string[];
  commonName: string;
  validityDays: number;
  renewal: RenewalPolicy;
  headers: HeaderSpecJson[];
  /** True when `ca-bundle.crt` (CAs that verify the deployment's server) sits beside profile.json. */
  hasCaBundle: boolean;
  createdAt: string;
}


/** A stable, readable id from a display name: `Acme Prod (EU)` -> `acme-prod-eu`. */
export function profileIdFromName(name: string, taken: ReadonlySet<string> = new Set()): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'profile';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * Renewal is something we can do on our own when we hold the signing key (self-signed, local
 * CA), or, for a CA-issued identity, when this machine has an issuer command for it (stored
 * beside profile.json, never in it: see ProfileRepo.issuerFile).
 */
export function canRenewUnattended(profile: Pick<Profile, 'source' | 'pending'>, hasIssuerCommand = false): boolean {
  if (profile.pending) return false;
  return profile.source === 'self-signed' || profile.source === 'local-ca' || hasIssuerCommand;
}

/** A CA-issued identity: renewed by re-enrolment (a CSR to the CA), not by us signing. */
export function isCaIssued(profile: Pick<Profile, 'source'>): boolean {
  return profile.source === 'csr' || profile.source === 'imported';
}

/**
 * The issuer command (DESIGN §2.1): local trust, set on this machine only. Kept in its own
 * file beside profile.json, so neither profile.json nor an export can ever carry it.
 */
export interface IssuerCommand {
  command: string;
  timeoutSeconds: number;
}

export const DEFAULT_ISSUER_TIMEOUT_SECONDS = 120;

/** A re-enrolment waiting for the CA: the CSR written by `csr new`, for the current key or a new pending one. */
export interface Reenrolment {
  csrPem: string;
  /** The pending new key, when `--new-key` asked for one; null: the current key. */
  keyPem: string | null;
  since: string;
}
