/**
 * How long a certificate has left: one rule and one formatter for the CLI (`status`, `list`),
 * the JSON, the tray, its notifications and the window, so they never disagree. Pure; the
 * window imports it too.
 *
 * The rule: days left = (notAfter - now) / 24 h, a fraction, in the JSON exactly as computed
 * (`report.daysLeft` and `profile.daysLeft` come from the same `now`). In words it is counted
 * down like a clock, never rounded up: whole days while a day or more is left ("29 days left"
 * for a fresh 30-day certificate, which has 29 days 23 h 59 min), hours in the last day,
 * whole days ago once expired ("expired 10 days ago" from -10.4). 0 or less reads as expired.
 */

export const DAY_MS = 86_400_000;

/** The one number: fractional days from `now` until `notAfter`; negative once expired. */
export function daysLeftAt(notAfter: Date | string, now: Date): number {
  const end = typeof notAfter === 'string' ? Date.parse(notAfter) : notAfter.getTime();
  return (end - now.getTime()) / DAY_MS;
}

export interface TimeLeftStyle {
  /** "29d", "5h", "-10d": for columns (`mtls-tray list`). */
  short?: boolean;
}

/** "12 days left", "5 hours left", "expired 3 days ago"; daysLeft may be fractional. */
export function describeTimeLeft(daysLeft: number, style: TimeLeftStyle = {}): string {
  if (daysLeft <= 0) {
    const ago = -daysLeft;
    if (ago < 1) {
      const h = Math.floor(ago * 24);
      if (style.short) return 'expired';
      return h < 1 ? 'expired just now' : `expired ${h} hour${h === 1 ? '' : 's'} ago`;
    }
    const d = Math.floor(ago);
    return style.short ? `-${d}d` : `expired ${d} day${d === 1 ? '' : 's'} ago`;
  }
  if (daysLeft < 1) {
    const h = Math.floor(daysLeft * 24);
    if (style.short) return `${h}h`;
    return h < 1 ? 'less than an hour left' : `${h} hour${h === 1 ? '' : 's'} left`;
  }
  const d = Math.floor(daysLeft);
  return style.short ? `${d}d` : `${d} day${d === 1 ? '' : 's'} left`;
}

/** The same count as a distance from `now`: "in 3 days", "10 days ago", "in 5 hours". */
export function describeDistance(now: Date, when: Date): string {
  const ms = when.getTime() - now.getTime();
  const abs = Math.abs(ms);
  const [n, unit] = abs >= DAY_MS ? [Math.floor(abs / DAY_MS), 'day'] : abs >= 3_600_000 ? [Math.floor(abs / 3_600_000), 'hour'] : [Math.max(1, Math.floor(abs / 60_000)), 'minute'];
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}
