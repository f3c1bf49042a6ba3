/**
 * When to renew, and how loudly to warn: one pure function of (certificate validity, policy,
 * now, last attempt). The tray's scheduler and the CLI call it; tests drive it with fixed clocks.
 *
 * Anchors: step-ca and cert-manager renew at two thirds of the *actual* lifetime (a 90-day and
 * a 24-hour certificate both renew with a third of their life left). We subtract a random
 * jitter of up to 1/20 of the lifetime so a team whose certificates were issued together does
 * not renew in the same minute. After a failed attempt we retry in 1 minute, doubling up to
 * 1 hour, so a laptop coming back online recovers fast without hammering a broken CA.
 */
import { createHash } from 'node:crypto';
import { daysLeftAt } from '../base/time-left';
import type { RenewalPolicy } from './profile';

export const RETRY_MIN_MS = 60_000;
export const RETRY_MAX_MS = 3_600_000;
const DAY_MS = 86_400_000;

export type WarningLevel = 'ok' | 'lifetime-80' | 'days-7' | 'days-1' | 'expired' | 'not-yet-valid';

export interface Validity {
  notBefore: Date;
  notAfter: Date;
  /** Hex serial; seeds the default jitter so the schedule is the same after a restart. */
  serial: string;
}

export interface LastAttempt {
  at: Date;
  ok: boolean;
  /** Failures in a row, counting this one when !ok. */
  failures: number;
}

export type RenewalAction =
  /** Renew now: the renewal time has passed (and no back-off is pending). */
  | { action: 'renew'; at: Date; reason: string }
  /** Nothing to do until `at`, the planned renewal time. */
  | { action: 'wait'; at: Date; reason: string }
  /** A previous attempt failed: try again at `at`. */
  | { action: 'retry'; at: Date; reason: string }
  /** We cannot renew on our own (CSR or imported identity, or auto-renew off): only warn. */
  | { action: 'manual'; at: Date | null; reason: string };

export interface RenewalPlan {
  next: RenewalAction;
  /** The planned renewal time before any back-off, for display ("renews on ..."). */
  renewAt: Date;
  warning: WarningLevel;
  /** When the warning level next gets worse (for scheduling a notification), if ever. */
  nextWarningAt: Date | null;
  lifetimeUsed: number;
  daysLeft: number;
}

/** Deterministic fraction in [0, 1) from the certificate's serial. */
export function jitterFromSerial(serial: string): number {
  const h = createHash('sha256').update(serial.toLowerCase()).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

export function backoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(RETRY_MIN_MS * 2 ** Math.min(failures - 1, 30), RETRY_MAX_MS);
}

/** The warning thresholds as instants, in the order they are reached. */
function warningInstants(v: Validity): Array<[WarningLevel, number]> {
  const nb = v.notBefore.getTime();
  const na = v.notAfter.getTime();
  const list: Array<[WarningLevel, number]> = [
    ['lifetime-80', nb + 0.8 * (na - nb)],
    ['days-7', na - 7 * DAY_MS],
    ['days-1', na - DAY_MS],
    ['expired', na],
  ];
  return list.sort((a, b) => a[1] - b[1]);
}

const SEVERITY: Record<WarningLevel, number> = {
  ok: 0,
  'lifetime-80': 1,
  'days-7': 2,
  'days-1': 3,
  expired: 4,
  'not-yet-valid': 4,
};

export function warningLevel(v: Validity, now: Date): { level: WarningLevel; next: Date | null } {
  const t = now.getTime();
  if (t < v.notBefore.getTime()) return { level: 'not-yet-valid', next: v.notBefore };
  let level: WarningLevel = 'ok';
  let next: Date | null = null;
  for (const [name, at] of warningInstants(v)) {
    if (t >= at) {
      if (SEVERITY[name] > SEVERITY[level]) level = name;
    } else if (next === null) {
      next = new Date(at);
    }
  }
  return { level, next };
}

export function planRenewal(input: {
  validity: Validity;
  policy: RenewalPolicy;
  now: Date;
  canRenew: boolean;
  last?: LastAttempt | null;
  /** Jitter fraction in [0,1); defaults to one derived from the serial. */
  random?: number;
}): RenewalPlan {
  const { validity, policy, now, canRenew } = input;
  const nb = validity.notBefore.getTime();
  const na = validity.notAfter.getTime();
  const lifetime = Math.max(na - nb, 0);
  const u = input.random ?? jitterFromSerial(validity.serial);
  const renewAt = new Date(nb + lifetime * policy.renewAt - lifetime * policy.jitter * u);
  const t = now.getTime();
  const { level, next: nextWarningAt } = warningLevel(validity, now);
  const lifetimeUsed = lifetime === 0 ? 1 : Math.min(Math.max((t - nb) / lifetime, 0), 1);
  const daysLeft = daysLeftAt(validity.notAfter, now);
  const base = { renewAt, warning: level, nextWarningAt, lifetimeUsed, daysLeft };

  if (!canRenew || !policy.auto) {
    const reason = !canRenew
      ? 'mtls-tray cannot renew this identity by itself (it was imported, or your CA issues it) and it has no issuer command: re-enrol it (a new certificate request, then import what the CA issues), or set up automatic renewal'
      : 'automatic renewal is off for this profile';
    return { ...base, next: { action: 'manual', at: nextWarningAt, reason } };
  }
  const last = input.last;
  if (t >= renewAt.getTime() || level === 'expired' || level === 'not-yet-valid') {
    if (last && !last.ok && last.at.getTime() <= t) {
      const retryAt = last.at.getTime() + backoffMs(last.failures);
      if (retryAt > t) {
        return { ...base, next: { action: 'retry', at: new Date(retryAt), reason: `renewal failed ${last.failures} time(s); retrying with back-off` } };
      }
    }
    return { ...base, next: { action: 'renew', at: now, reason: level === 'expired' ? 'the certificate has expired' : 'the renewal time has passed' } };
  }
  return { ...base, next: { action: 'wait', at: renewAt, reason: 'renews at two thirds of its lifetime' } };
}
