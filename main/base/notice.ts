/**
 * Notifications as data: what the scheduler and the tray actions want to tell the user. The
 * Electron notifier (main/app/notifier.ts) shows them. Both producers sit on the same layer, so
 * the shape lives here, below them.
 */
export type NoticeKind =
  | 'warning'
  | 'renew-failed'
  | 'renewed'
  | 'rotated'
  | 'rotate-failed'
  | 'switched'
  | 'switch-failed'
  | 'test-ok'
  | 'test-failed'
  | 'exported'
  | 'reenrol'
  | 'drift'
  | 'error';

export interface AppNotice {
  kind: NoticeKind;
  title: string;
  body: string;
  profileId?: string;
  /** Offer a "Remind me tomorrow" action that snoozes this profile's warnings. */
  snoozable?: boolean;
  /** Critical urgency where the platform has it (Linux): expired credentials, failed rotation. */
  urgent?: boolean;
  /** An action the notice offers (a button where the platform shows them): re-enrol a CA-issued profile. */
  action?: { kind: 'reenrol'; label: string };
  /**
   * Issue 17, something changed outside mtls-tray: "Restore" these sources (an editor's
   * settings.json path, or "files"; empty: not offered) and "Keep theirs" for one editor. The
   * window offers both too, for platforms whose notifications show no buttons.
   */
  drift?: { restore: string[]; keepTheirs: string | null };
}

/** Ends a message as a sentence, so notices read well whatever punctuation an error had. */
export function sentence(s: string): string {
  const t = s.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}
