/**
 * Which button fixes which certificate warning. A button appears only where pressing it
 * really fixes the problem: renewing needs a key we sign with ourselves (self-signed or local
 * CA); a CA-issued or imported certificate can only be replaced by its issuer, so those
 * warnings keep their written fix and no button. Pure: unit-tested on Node.
 */
import type { ProfileSummaryDto } from '../main/ipc/contract';

export type FixAction = 'renew' | 'rotate' | 'fix-proxy' | 'settings-diff';

export const FIX_LABELS: Record<FixAction, string> = {
  renew: 'Renew',
  rotate: 'Rotate',
  'fix-proxy': 'Fix proxy setting',
  'settings-diff': 'Open settings diff',
};

export function canIssue(profile: Pick<ProfileSummaryDto, 'source' | 'pending'>): boolean {
  return !profile.pending && (profile.source === 'self-signed' || profile.source === 'local-ca');
}

export function fixActionFor(code: string, profile: Pick<ProfileSummaryDto, 'source' | 'pending'>): FixAction | null {
  switch (code) {
    case 'PROXY_SUPPORT_OVERRIDE':
      return 'fix-proxy';
    // A new certificate for the same key, with today's dates, our SANs, EKU and SHA-256.
    case 'EXPIRED':
    case 'EXPIRING_SOON':
    case 'NOT_YET_VALID':
    case 'NO_SAN':
    case 'NO_CLIENT_AUTH_EKU':
    case 'WEAK_SIGNATURE':
      return canIssue(profile) ? 'renew' : null;
    // The key itself is the problem: only a new key helps.
    case 'KEY_MISMATCH':
    case 'WEAK_KEY':
      return canIssue(profile) ? 'rotate' : null;
    default:
      // Settings drift (an editor not pointing at our files) is fixed by re-applying them.
      return /SETTINGS|EDITOR/.test(code) ? 'settings-diff' : null;
  }
}
