/**
 * Which button fixes which certificate warning. A button appears only where pressing it
 * really fixes the problem: renewing needs a key we sign with ourselves (self-signed or local
 * CA); a CA-issued or imported certificate can only be replaced by its issuer, so those
 * warnings keep their written fix and no button. Also: the words of the fix as the window
 * says them (the service writes them for the CLI), and when "Remind me tomorrow" is offered
 * instead of a button. Pure: unit-tested on Node.
 */
import type { ProfileSummaryDto, WarningDto } from '../main/ipc/contract';

export type FixAction = 'renew' | 'rotate' | 'fix-proxy' | 'settings-diff';

export const FIX_LABELS: Record<FixAction, string> = {
  renew: 'Renew',
  rotate: 'Rotate',
  'fix-proxy': 'Fix proxy setting',
  'settings-diff': 'Open settings diff',
};

/** What the service says it can do for the profile: the window asks, it never classifies. */
type Capabilities = Pick<ProfileSummaryDto, 'canRenew' | 'canRotate'>;

export function fixActionFor(code: string, profile: Capabilities): FixAction | null {
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
      return profile.canRenew ? 'renew' : null;
    // The key itself is the problem: only a new key helps.
    case 'KEY_MISMATCH':
    case 'WEAK_KEY':
      return profile.canRotate ? 'rotate' : null;
    default:
      // Settings drift (an editor not pointing at our files) is fixed by re-applying them.
      return /SETTINGS|EDITOR/.test(code) ? 'settings-diff' : null;
  }
}

/**
 * The fix as the window says it. The service's `fix` is written for a terminal ("Run
 * `mtls-tray renew`"); where the window shows a button for it, the text points at the button
 * and the commands move to a small "From a terminal:" line. Without a button the service's
 * text stays: it is the only way there is.
 */
export interface FixText {
  text: string;
  /** The mtls-tray commands of the service's fix, for a terminal; null when it names none. */
  terminal: string | null;
}

const WINDOW_FIX: Record<FixAction, (code: string) => string> = {
  renew: (code) => {
    switch (code) {
      case 'EXPIRED':
        return 'Renew now with the button below: the same key gets a new certificate, valid from today.';
      case 'EXPIRING_SOON':
        return 'Renew now with the button below; mtls-tray also renews automatically.';
      case 'NOT_YET_VALID':
        return "Check this computer's clock first; if it is right, Renew below issues a certificate valid from now.";
      default:
        // NO_SAN, NO_CLIENT_AUTH_EKU, WEAK_SIGNATURE: a renewal is issued the way this profile asks.
        return "Renew with the button below: the new certificate carries this profile's names, the clientAuth usage and a SHA-256 signature.";
    }
  },
  rotate: () => 'Rotate the key with the button below: a new private key and a certificate that matches it.',
  'fix-proxy': () => 'Press "Fix proxy setting" below: it shows the change to each settings file before writing it.',
  'settings-diff': () => 'Open the settings diff below to see the change and apply it.',
};

/** Commands that act on one profile and take --profile (its id is accepted). */
const PER_PROFILE = /^mtls-tray (renew|rotate|status|doctor|rollback)$/;

export function fixTextFor(
  warning: Pick<WarningDto, 'code' | 'fix'>,
  profile: Pick<ProfileSummaryDto, 'id' | 'active'> & Capabilities,
): FixText {
  const action = fixActionFor(warning.code, profile);
  if (action === null) return { text: warning.fix, terminal: null };
  const commands = [...warning.fix.matchAll(/`(mtls-tray [^`]+)`/g)].map((m) => {
    const cmd = m[1]!;
    // Without --profile the CLI acts on the active profile, which is not the one shown here.
    return !profile.active && PER_PROFILE.test(cmd) ? `${cmd} --profile ${profile.id}` : cmd;
  });
  return { text: WINDOW_FIX[action](warning.code), terminal: commands.length ? commands.join('; ') : null };
}

/**
 * "Remind me tomorrow" for an expiry warning the window cannot fix (a CSR or imported
 * certificate waits for its issuer): the user can at least silence the notifications for a
 * day. Where Renew fixes it, the button is the answer, not a reminder.
 */
export function offersSnooze(code: string, profile: Capabilities): boolean {
  return (code === 'EXPIRED' || code === 'EXPIRING_SOON') && fixActionFor(code, profile) === null;
}

/** How long "Remind me tomorrow" silences the notifications. */
export const SNOOZE_HOURS = 24;
