/**
 * Words for a profile's state, shared by the tray's status line, its tooltip and notifications,
 * so the three never disagree about how long a certificate has left.
 */
import type { ProfileSummaryDto } from '../services/app-service';

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

/** One line for a profile: "Acme prod: 12 days left". */
export function describeProfile(p: ProfileSummaryDto): string {
  if (p.pending) return `${p.name}: waiting for the certificate from your CA`;
  if (p.level === 'broken' || p.daysLeft === null) return `${p.name}: credentials missing or unreadable`;
  return `${p.name}: ${describeTimeLeft(p.daysLeft)}`;
}
