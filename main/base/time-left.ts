/**
 * How long a certificate has left, in words: one formatter for the tray's status line, its
 * tooltip and notifications, so they never disagree. Pure; the window may import it too.
 */
/** "12 days left", "5 hours left", "expired 3 days ago"; daysLeft may be fractional. */
export function describeTimeLeft(daysLeft: number): string {
  if (daysLeft <= 0) {
    const ago = -daysLeft;
    if (ago < 1) {
      const h = Math.floor(ago * 24);
      return h < 1 ? 'expired just now' : `expired ${h} hour${h === 1 ? '' : 's'} ago`;
    }
    const d = Math.floor(ago);
    return `expired ${d} day${d === 1 ? '' : 's'} ago`;
  }
  if (daysLeft < 1) {
    const h = Math.floor(daysLeft * 24);
    return h < 1 ? 'less than an hour left' : `${h} hour${h === 1 ? '' : 's'} left`;
  }
  const d = Math.floor(daysLeft);
  return `${d} day${d === 1 ? '' : 's'} left`;
}
