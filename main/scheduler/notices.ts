/**
 * Notifications as data: what the scheduler and the tray actions want to tell the user. The
 * Electron notifier (main/app/notifier.ts) shows them; a click always opens the window, and
 * warnings offer "Remind me tomorrow". Keeping the words here lets tests read them on Node.
 */
import type { WarningLevel } from '../profiles/renewal-policy';
import type { AppNotice } from '../base/notice';
import { describeTimeLeft } from '../base/time-left';

export type { AppNotice, NoticeKind } from '../base/notice';

export const SNOOZE_MS = 24 * 3_600_000;

/** The notice for a warning level; null for levels that are not worth interrupting anyone. */
export function warningNotice(
  profile: { id: string; name: string },
  level: WarningLevel,
  daysLeft: number,
  autoRenews: boolean,
  /** A CA-issued profile without an issuer command: the way out is re-enrolment, offered as the action. */
  reenrol = false,
): AppNotice | null {
  const next = autoRenews
    ? 'Automatic renewal has not succeeded yet: open mtls-tray to see why, or renew now.'
    : reenrol
      ? `It comes from your CA: re-enrol it with “Request a new certificate…” (or \`mtls-tray csr new --profile ${profile.id} --out ${profile.id}.csr\`), send the request to your CA, then “Import issued certificate…”. “Set up automatic renewal…” does this for you from now on.`
      : 'This certificate is not renewed automatically: renew it with your CA, or rotate it if mtls-tray issues it.';
  const base = { kind: 'warning' as const, profileId: profile.id, snoozable: true, ...(reenrol && !autoRenews ? { action: { kind: 'reenrol' as const, label: 'Request a new certificate…' } } : {}) };
  switch (level) {
    case 'ok':
    case 'not-yet-valid':
      return null;
    case 'lifetime-80':
      return { ...base, title: `${profile.name}: certificate 80% through its lifetime`, body: `${describeTimeLeft(daysLeft)}. ${next}` };
    case 'days-7':
      return { ...base, title: `${profile.name}: certificate expires within a week`, body: `${describeTimeLeft(daysLeft)}. ${next}` };
    case 'days-1':
      return { ...base, title: `${profile.name}: certificate expires within a day`, body: `${describeTimeLeft(daysLeft)}. ${next}`, urgent: true };
    case 'expired':
      return {
        ...base,
        title: `${profile.name}: certificate has expired`,
        body: `Connections to the deployment fail until it is renewed. ${next}`,
        urgent: true,
      };
  }
}

/** Severity order of the levels, for "notify only when it gets worse". */
export const LEVEL_SEVERITY: Record<WarningLevel, number> = {
  ok: 0,
  'not-yet-valid': 0,
  'lifetime-80': 1,
  'days-7': 2,
  'days-1': 3,
  expired: 4,
};

/**
 * Whether a warning at `level` for the certificate `serial` is news, given what was last shown
 * for the profile (`${serial}/${level}` or undefined). A new certificate starts afresh.
 */
export function isNewWarning(shown: string | undefined, serial: string, level: WarningLevel): boolean {
  if (LEVEL_SEVERITY[level] === 0) return false;
  if (shown === undefined) return true;
  const slash = shown.lastIndexOf('/');
  const shownSerial = shown.slice(0, slash);
  const shownLevel = shown.slice(slash + 1) as WarningLevel;
  if (shownSerial !== serial) return true;
  return LEVEL_SEVERITY[level] > (LEVEL_SEVERITY[shownLevel] ?? 0);
}
