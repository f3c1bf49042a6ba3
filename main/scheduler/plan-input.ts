/**
 * Turns the service's StatusDto into the inputs of planRenewal. The service already applies the
 * profile's policy and reports the planned renewal time (`renewal.renewAt`, jitter included);
 * we express that instant as a policy share with no jitter, so our plan fires at exactly the
 * time the window shows, while back-off and warning levels still come from the one policy code.
 */
import { DEFAULT_RENEWAL_POLICY, type RenewalPolicy } from '../profiles/profile';
import type { Validity } from '../profiles/renewal-policy';
import type { StatusDto } from '../services/app-service';

export interface PlanInput {
  profileId: string;
  name: string;
  validity: Validity;
  policy: RenewalPolicy;
  canRenew: boolean;
}

export function planInputFromStatus(status: StatusDto): PlanInput | null {
  const report = status.report;
  if (report === null || status.profile.pending) return null;
  const notBefore = new Date(report.notBefore);
  const notAfter = new Date(report.notAfter);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) return null;
  const canRenew = status.profile.canRenew;
  const lifetime = notAfter.getTime() - notBefore.getTime();
  let policy: RenewalPolicy = DEFAULT_RENEWAL_POLICY;
  const r = status.renewal;
  if (r !== null) {
    // The service says 'manual' for a renewable identity only when auto-renew is off.
    const auto = !(r.action === 'manual' && canRenew);
    const at = r.renewAt === null ? NaN : Date.parse(r.renewAt);
    policy =
      lifetime > 0 && Number.isFinite(at)
        ? { auto, renewAt: Math.min(Math.max((at - notBefore.getTime()) / lifetime, 0), 1), jitter: 0 }
        : { ...DEFAULT_RENEWAL_POLICY, auto };
  }
  return {
    profileId: status.profile.id,
    name: status.profile.name,
    validity: { notBefore, notAfter, serial: report.serial },
    policy,
    canRenew,
  };
}
