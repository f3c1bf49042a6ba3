/**
 * Words for a profile's state, shared by the tray's status line, its tooltip and notifications,
 * so the three never disagree about how long a certificate has left.
 */
import { describeTimeLeft } from '../base/time-left';
import type { ProfileSummaryDto } from '../services/app-service';

/** One line for a profile: "Acme prod: 12 days left". */
export function describeProfile(p: ProfileSummaryDto): string {
  if (p.pending) return `${p.name}: waiting for the certificate from your CA`;
  if (p.level === 'broken' || p.daysLeft === null) return `${p.name}: credentials missing or unreadable`;
  return `${p.name}: ${describeTimeLeft(p.daysLeft)}`;
}
