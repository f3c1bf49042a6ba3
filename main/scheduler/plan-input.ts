/**
 * The inputs of planRenewal, as the service reports them in its StatusDto: the certificate's
 * validity, whether mtls-tray can renew it, and the profile's own renewal policy. The scheduler
 * adds only what the service cannot know, its record of failed attempts (back-off), so its plan
 * is the service's plan (same policy, same jitter from the serial).
 */
import type { RenewalPolicy } from '../profiles/profile';
import type { Validity } from '../profiles/renewal-policy';
import type { StatusDto } from '../services/app-service';

export interface PlanInput {
  profileId: string;
  name: string;
  validity: Validity;
  policy: RenewalPolicy;
  canRenew: boolean;
  /** CA-issued without an issuer command: reminded with the re-enrolment action. */
  reenrol?: boolean;
}

export function planInputFromStatus(status: StatusDto): PlanInput | null {
  const { report, renewal } = status;
  if (report === null || renewal === null || status.profile.pending) return null;
  const notBefore = new Date(report.notBefore);
  const notAfter = new Date(report.notAfter);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) return null;
  return {
    profileId: status.profile.id,
    name: status.profile.name,
    validity: { notBefore, notAfter, serial: report.serial },
    policy: renewal.policy,
    canRenew: status.profile.canRenew,
    reenrol: status.profile.issuerCommand === false,
  };
}
