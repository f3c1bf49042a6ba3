/**
 * The service's own records mapped to the plain-JSON shapes of app-service.ts: no private
 * keys, dates as ISO strings.
 */
import * as creds from '../credentials/reading';
import { canRenewUnattended, isCaIssued, type Profile } from '../profiles/profile';
import type { RenewalPlan } from '../profiles/renewal-policy';
import type { CurrentCredentials, GenerationInfo } from '../store/store';
import type { CertificateReportDto, GenerationDto, ProfileSummaryDto, RenewalDto } from './app-service';
import { canRenewOnItsOwn, planFor, type ServiceContext } from './context';
import { reenrolmentAdvice } from './reenrol';

/** `cur`: the current generation when the caller has read it already (status); else it is read here. `now`: the caller's clock reading, so its report and this summary show the same days left. */
export async function summaryDto(ctx: ServiceContext, p: Profile, active: string | null, cur?: CurrentCredentials | null, now?: Date): Promise<ProfileSummaryDto> {
  let notAfter: string | null = null;
  let daysLeft: number | null = null;
  let level: ProfileSummaryDto['level'] = p.pending ? 'pending' : 'broken';
  if (!p.pending) {
    try {
      const current = cur === undefined ? await ctx.store.readCurrent(p.id) : cur;
      if (current) {
        notAfter = current.info.notAfter;
        const plan = planFor(ctx, p, current.info, now);
        daysLeft = plan.daysLeft;
        level = levelOf(plan);
      }
    } catch {
      level = 'broken';
    }
  }
  return { id: p.id, name: p.name, url: p.url, altHost: p.altHost ?? null, source: p.source, pending: p.pending, active: p.id === active, canRenew: canRenewOnItsOwn(ctx, p), canRotate: canRenewUnattended(p), sans: [...p.sans], notAfter, daysLeft, level, ...(await reenrolmentDto(ctx, p)) };
}

/** A re-enrolment waiting for the CA (`csr new`), with what to send where; {} when none. */
async function reenrolmentDto(ctx: ServiceContext, p: Profile): Promise<Pick<ProfileSummaryDto, 'reenrolment' | 'issuerCommand'>> {
  const out: Pick<ProfileSummaryDto, 'reenrolment' | 'issuerCommand'> = {};
  if (isCaIssued(p)) out.issuerCommand = ctx.repo.hasIssuerCommand(p.id);
  if (p.pending) return out;
  const r = await ctx.repo.readReenrolment(p.id).catch(() => null);
  if (r) out.reenrolment = { since: r.since, newKey: r.keyPem !== null, csrFile: ctx.repo.pendingCsrFile(p.id), next: reenrolmentAdvice(p.id, ctx.repo.pendingCsrFile(p.id)) };
  return out;
}

function levelOf(plan: RenewalPlan): ProfileSummaryDto['level'] {
  switch (plan.warning) {
    case 'expired':
    case 'not-yet-valid':
      return 'expired';
    case 'days-7':
    case 'days-1':
    case 'lifetime-80':
      return 'expiring';
    default:
      return 'ok';
  }
}

export function renewalDto(plan: RenewalPlan, p: Profile): RenewalDto {
  return {
    action: plan.next.action,
    at: plan.next.at?.toISOString() ?? null,
    renewAt: plan.renewAt.toISOString(),
    reason: plan.next.reason,
    warning: plan.warning,
    policy: { auto: p.renewal.auto, renewAt: p.renewal.renewAt, jitter: p.renewal.jitter },
  };
}

export function generationDto(g: GenerationInfo): GenerationDto {
  return { number: g.number, current: g.current, createdAt: g.createdAt, serial: g.serial, fingerprintSha256: g.fingerprintSha256, notAfter: g.notAfter, notBefore: g.notBefore, operation: g.operation };
}

export function reportDto(r: ReturnType<typeof creds.certificateReport>): CertificateReportDto {
  return {
    subject: r.subject,
    issuer: r.issuer,
    serial: r.serial,
    fingerprintSha256: r.fingerprintSha256,
    notBefore: r.notBefore,
    notAfter: r.notAfter,
    daysLeft: r.daysLeft,
    lifetimeUsed: r.lifetimeUsed,
    key: { algorithm: r.key.algorithm, ...(r.key.size ? { size: r.key.size } : {}), ...(r.key.curve ? { curve: r.key.curve } : {}) },
    sans: r.sans.map((s) => creds.formatSan(s)),
    keyUsages: r.keyUsages,
    extKeyUsages: r.extKeyUsages,
    isCa: r.isCa,
    selfSigned: r.selfSigned,
    warnings: r.warnings.map((w) => ({ code: w.code, severity: w.severity, message: w.message, fix: w.fix })),
  };
}
