/**
 * Which buttons fix which problem, as one pure table: every certificate warning (WARNING_CODES),
 * every failed or warned check of "Test connection" and the failures of the window's own
 * actions map to the actions that fix them in the window, first the main one. Only what the
 * service says about the profile decides (ProfileSummaryDto's canRenew, canRotate, sans, the
 * presence of issuerCommand for a CA-issued identity, pending, reenrolment; and whether an older
 * generation exists): the window never classifies an identity by its source.
 *
 * An action is offered only where it can work for this profile (`ACTION_WORKS`): Renew where
 * mtls-tray can renew by itself, a certificate request where a CA issues the certificate, a
 * rollback where there is something to roll back to. Unit-tested for every warning code and
 * every kind of profile (test/window-logic/warning-actions.test.ts); the words are in
 * fix-wording.ts.
 */
import type { DoctorCheckDto, GenerationDto, ProfileSummaryDto } from '../main/ipc/contract';

export type FixAction =
  | 'renew'
  | 'renew-with-names'
  | 'rotate'
  | 'request'
  | 'request-with-names'
  | 'request-new-key'
  | 'import-cert'
  | 'ca-bundle'
  | 'alt-host'
  | 'headers'
  | 'fix-proxy'
  | 'settings-diff'
  | 'switch'
  | 'rollback'
  | 'issuer-setup'
  | 'restore-files'
  | 'retest'
  | 'copy-for-admin';

export const FIX_LABELS: Record<FixAction, string> = {
  renew: 'Renew',
  'renew-with-names': 'Add names and renew…',
  rotate: 'Rotate key',
  request: 'Request a new certificate…',
  'request-with-names': 'Request a new certificate with names…',
  'request-new-key': 'Request a certificate for a new key…',
  'import-cert': 'Import issued certificate…',
  'ca-bundle': 'Choose CA bundle…',
  'alt-host': 'Set alt host…',
  headers: 'Edit headers…',
  'fix-proxy': 'Fix proxy setting',
  'settings-diff': 'Open settings diff',
  switch: 'Switch to this profile',
  rollback: 'Roll back…',
  'issuer-setup': 'Change the issuer command…',
  'restore-files': 'Restore the files',
  retest: 'Test again',
  'copy-for-admin': 'Copy the details for your admin',
};

/** What the service says the profile allows, in the window's terms. */
export interface Capabilities {
  /** mtls-tray renews it by itself (its own key and CA, or an issuer command). */
  canRenew: boolean;
  /** mtls-tray makes key and certificate itself, so it can rotate. */
  canRotate: boolean;
  /** A CA issues its certificates: renewed by a certificate request and an import. */
  caIssued: boolean;
  /** Waiting for its first certificate. */
  pending: boolean;
  /** A certificate request (re-enrolment) is already with the CA. */
  requested: boolean;
  /** The profile names what to ask for (SANs); without any, a renewal or request needs names first. */
  hasNames: boolean;
  /** An older generation exists to roll back to. */
  canRollBack: boolean;
  /** The editors use this profile. */
  active: boolean;
}

/**
 * The DTO's answer: `issuerCommand` is present exactly for a CA-issued profile (dtos.ts:
 * "A CA-issued profile: whether this machine has an issuer command"), so its presence, not the
 * source, says that a certificate request renews it.
 */
export function capabilitiesOf(p: ProfileSummaryDto, generations: ReadonlyArray<Pick<GenerationDto, 'number' | 'current'>> = []): Capabilities {
  const current = generations.find((g) => g.current);
  return {
    canRenew: p.canRenew,
    canRotate: p.canRotate,
    caIssued: p.issuerCommand !== undefined,
    pending: p.pending,
    requested: p.reenrolment !== undefined,
    hasNames: p.sans.length > 0,
    canRollBack: current !== undefined && generations.some((g) => g.number < current.number),
    active: p.active,
  };
}

/** When each action can work: the table never offers one that would fail for this profile. */
export const ACTION_WORKS: Record<FixAction, (c: Capabilities | null) => boolean> = {
  renew: (c) => c !== null && c.canRenew && !c.pending,
  'renew-with-names': (c) => c !== null && c.canRenew && !c.caIssued && !c.pending,
  rotate: (c) => c !== null && c.canRotate && !c.pending,
  request: (c) => c !== null && c.caIssued && !c.pending,
  'request-with-names': (c) => c !== null && c.caIssued && !c.pending,
  'request-new-key': (c) => c !== null && c.caIssued && !c.pending,
  // A pending profile's first certificate, a requested one, or the current one again with its chain.
  'import-cert': (c) => c !== null && c.caIssued,
  // Before a profile exists (the wizard's first step) the CA bundle and the alt host are fields there.
  'ca-bundle': () => true,
  'alt-host': () => true,
  headers: (c) => c !== null,
  'fix-proxy': (c) => c !== null,
  'settings-diff': (c) => c !== null && c.active,
  switch: (c) => c !== null && !c.active && !c.pending,
  rollback: (c) => c !== null && c.canRollBack,
  'issuer-setup': (c) => c !== null && c.caIssued && !c.pending,
  // The published files are the active profile's.
  'restore-files': (c) => c !== null && c.active,
  retest: () => true,
  'copy-for-admin': () => true,
};

/** A new certificate for the current key: renewed here, or requested from the CA. */
function newCertificate(c: Capabilities): FixAction[] {
  if (c.pending) return ['import-cert'];
  if (c.canRenew) return ['renew'];
  // The request is with the CA already: importing its answer comes first.
  return c.requested ? ['import-cert', 'request'] : ['request', 'import-cert'];
}

/** A new key: rotated here, or a request for a new key to the CA. */
function newKey(c: Capabilities): FixAction[] {
  if (c.pending) return ['import-cert'];
  if (c.canRotate) return ['rotate'];
  return c.requested ? ['import-cert', 'request-new-key'] : ['request-new-key'];
}

/** A certificate with names: the profile's names (or, without any, names asked for first). */
function withNames(c: Capabilities): FixAction[] {
  if (c.pending) return ['import-cert'];
  if (c.caIssued) {
    if (!c.hasNames) return ['request-with-names'];
    return c.requested ? ['import-cert', 'request'] : [c.canRenew ? 'renew' : 'request'];
  }
  return [c.hasNames ? 'renew' : 'renew-with-names'];
}

const rollBack = (c: Capabilities): FixAction[] => (c.canRollBack ? ['rollback'] : []);

/** The actions for a certificate warning (or a check that names one), the main one first. */
export function warningActions(code: string, c: Capabilities): FixAction[] {
  switch (code) {
    case 'EXPIRED':
    case 'EXPIRING_SOON':
    case 'NO_CLIENT_AUTH_EKU':
    case 'WEAK_SIGNATURE':
      return newCertificate(c);
    case 'NOT_YET_VALID':
      // A clock that jumped, or a certificate dated ahead: the one before may still be good.
      return [...newCertificate(c), ...rollBack(c)];
    case 'NO_SAN':
      return withNames(c);
    case 'KEY_MISMATCH':
      return [...newKey(c), ...rollBack(c)];
    case 'WEAK_KEY':
    case 'UNSUPPORTED_KEY':
      return newKey(c);
    case 'CHAIN_UNVERIFIED':
      // Our own chain (the status report checks it for a local CA): re-signed here, or the
      // issued certificate imported again with its intermediates.
      if (c.caIssued) return ['import-cert'];
      return c.canRenew ? ['renew'] : [];
    case 'HOST_NOT_IN_SAN':
      return ['alt-host'];
    case 'PROXY_SUPPORT_OVERRIDE':
      return ['fix-proxy'];
    default:
      return [];
  }
}

/**
 * The actions for a check of "Test connection" that failed or warned; [] for a pass or a skip.
 * `c` is null before a profile exists (the wizard's deployment check).
 */
export function checkActions(check: Pick<DoctorCheckDto, 'id' | 'status' | 'code'>, c: Capabilities | null): FixAction[] {
  if (check.status !== 'fail' && check.status !== 'warn') return [];
  const works = (list: FixAction[]) => list.filter((a) => ACTION_WORKS[a](c));
  const id = check.id;
  if (id.startsWith('editor-settings:')) return works(check.code === 'SETTINGS_UNREADABLE' ? ['settings-diff', 'retest'] : c?.active ? ['settings-diff'] : ['switch']);
  if (id.startsWith('proxy-support:')) return works(['fix-proxy']);
  switch (id) {
    case 'server-trust':
      return works(['ca-bundle']);
    case 'server-names':
      // A server certificate without any name: only its admin can fix it (tlsAltHost cannot).
      return works(check.code === 'NO_SAN' ? ['copy-for-admin'] : ['alt-host', 'copy-for-admin']);
    case 'own-certificate': {
      if (c === null) return works(['retest']);
      const named = warningActions(check.code ?? '', c);
      // Unreadable or encrypted files of the current generation: the one before, or a new pair.
      return works(named.length ? named : [...rollBack(c), ...newKey(c)]);
    }
    case 'mtls-handshake':
      if (check.code === 'GATEWAY_NO_CERT') return works(['fix-proxy', 'retest']);
      // The gateway refuses a certificate that is valid here: after a rotation the one before
      // is what it trusts; otherwise its admin must trust our issuer.
      if (check.code === 'GATEWAY_REJECTED_CERT' || check.code === 'TLS_ALERT') return works(['rollback', 'copy-for-admin']);
      return works(['retest']);
    case 'header-command':
      return works(['headers', 'retest']);
    case 'buildinfo':
      if (check.code === 'UNAUTHORIZED') return works(['headers', 'copy-for-admin']);
      if (check.code === 'NOT_CODER') return works(['copy-for-admin']);
      return works(['retest']);
    case 'ssh-cli':
      return works(['headers', 'copy-for-admin']);
    case 'server-chain':
      return works(['retest', 'copy-for-admin']);
    case 'published-files':
      // Replaced or deleted under the data dir: the same re-publish as the drift section's Restore.
      return works(['restore-files', 'retest']);
    default:
      // data-dir, url, dns, tcp: outside the window's reach; run the test again once fixed.
      return works(['retest']);
  }
}

/** The actions for a failure of one of the window's own actions (renew, import...), by error code. */
export function errorActions(code: string, c: Capabilities): FixAction[] {
  const works = (list: FixAction[]) => list.filter((a) => ACTION_WORKS[a](c));
  switch (code) {
    case 'ISSUER_COMMAND_FAILED':
    case 'ISSUER_TIMEOUT':
    case 'ISSUER_OUTPUT_TOO_LARGE':
    case 'ISSUER_OUTPUT_INVALID':
    case 'ISSUER_COMMAND_REFUSED':
      // The automatic way failed: ask by hand meanwhile, and mend the command.
      return works(['request', 'issuer-setup']);
    case 'ISSUER_COMMAND_INVALID':
    case 'NO_ISSUER_COMMAND':
      return works(['issuer-setup']);
    case 'CANNOT_RENEW':
      return works(c.hasNames ? ['request'] : ['request-with-names']);
    case 'PROFILE_PENDING':
      return works(['import-cert']);
    case 'CERT_KEY_MISMATCH':
    case 'CERT_EXPIRED':
    case 'CERT_NOT_YET_VALID':
    case 'CERT_NO_CLIENT_AUTH':
      // The CA's answer cannot be used: pick the right file, or ask again.
      return works(['import-cert', 'request']);
    default:
      return [];
  }
}

/**
 * "Remind me tomorrow" for an expiry that needs someone else (the CA): the notifications can
 * wait a day while the request is out. Where Renew fixes it, the button is the answer.
 */
export function offersSnooze(code: string, c: Capabilities): boolean {
  return (code === 'EXPIRED' || code === 'EXPIRING_SOON') && !c.canRenew && !c.pending;
}

/** How long "Remind me tomorrow" silences the notifications. */
export const SNOOZE_HOURS = 24;
