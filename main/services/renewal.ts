/**
 * Renewal: renew (same key), rotate (new key), rollback, the editor's refresh hook, and the
 * completion of a CSR profile with its CA-issued certificate. Every one is a generation swap:
 * no settings write, except the first configuration of a CSR profile's editors.
 */
import { UserError } from '../base/errors';
import { canRenewUnattended, isCaIssued, type Profile } from '../profiles/profile';
import type { OperationResultDto, RefreshResultDto, SettingsFileResultDto, SettingsRequest } from './app-service';
import { canRenewOnItsOwn, making, type ServiceContext } from './context';
import { doctor } from './doctor';
import { applySettings } from './editors';
import { sansOfCert, writeIdentity } from './enrol';
import { parseSan } from '../credentials/reading';
import { issuerFor } from './local-ca';
import { refreshActive, type RefreshDeps, type RefreshProblem } from './refresh';
import { importReenrolment, reenrolHint, renewThroughIssuer } from './reenrol';
import { renewProfile, rotateProfile } from './reissue';

function requireRenewable(p: Profile, verb: string): void {
  if (p.pending) throw new UserError('PROFILE_PENDING', `Profile ${p.id} is still waiting for its certificate`, `Run: mtls-tray csr import-cert CERT.pem --profile ${p.id}`);
  if (!canRenewUnattended(p)) {
    const fix = verb === 'rotate'
      ? `Re-enrol with a new key: run \`mtls-tray csr new --profile ${p.id} --new-key --out ${p.id}.csr\`, have your CA sign it, then \`mtls-tray csr import-cert CERT.pem --profile ${p.id}\``
      : reenrolHint(p.id).replace(/^run/, 'Run');
    throw new UserError('CANNOT_RENEW', `Profile ${p.id} uses a certificate issued by your CA and has no issuer command, so mtls-tray cannot ${verb} it by itself`, fix);
  }
}

/** The profile, checked to be one we renew ourselves, and its issuer (local CA, else none: self-signed). */
async function renewable(ctx: ServiceContext, profileId: string | undefined, verb: string) {
  const p = await ctx.repo.read(await ctx.resolveId(profileId));
  requireRenewable(p, verb);
  const issuer = await issuerFor(ctx, p);
  // The profile's SANs, which `edit --san` may have changed since the current certificate.
  const sans = p.source === 'imported' || p.source === 'csr' ? [] : p.sans.map((s) => parseSan(s));
  return { p, o: { days: p.validityDays, headers: p.headers, now: ctx.now(), sans, ...(issuer ? { issuer } : {}) } };
}

/** How renew, rotate, rollback and refresh name a profile: its display name, and its id when that differs. */
export function profileLabel(p: { id: string; name: string }): string {
  return p.name === p.id ? p.name : `${p.name} (${p.id})`;
}

export async function renew(ctx: ServiceContext, profileId?: string): Promise<OperationResultDto> {
  const caIssued = await ctx.repo.read(await ctx.resolveId(profileId));
  if (!caIssued.pending && isCaIssued(caIssued)) {
    // A CA-issued identity renews in place through its issuer command (DESIGN §2.1).
    const issuer = await ctx.repo.readIssuerCommand(caIssued.id);
    if (issuer) return renewThroughIssuer(ctx, caIssued, issuer);
  }
  const { p, o } = await renewable(ctx, profileId, 'renew');
  const g = await renewProfile(ctx.store, p.id, o);
  return { ok: true, profileId: p.id, generation: g.number, message: `Renewed ${profileLabel(p)}: same key, new certificate valid until ${g.notAfter} (generation ${g.number}).` };
}

export async function rotate(ctx: ServiceContext, profileId?: string): Promise<OperationResultDto> {
  const { p, o } = await renewable(ctx, profileId, 'rotate');
  const g = await rotateProfile(ctx.store, p.id, { ...o, keyAlgorithm: p.keyAlgorithm });
  return { ok: true, profileId: p.id, generation: g.number, message: `Rotated ${profileLabel(p)}: new ${p.keyAlgorithm} key and certificate valid until ${g.notAfter} (generation ${g.number}).` };
}

export async function rollback(ctx: ServiceContext, profileId?: string): Promise<OperationResultDto> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.repo.read(id);
  const g = await ctx.store.rollback(id);
  return { ok: true, profileId: id, generation: g.number, message: `Rolled back ${profileLabel(p)} to generation ${g.number} (certificate valid until ${g.notAfter}).` };
}

/** For coder.tlsCertRefreshCommand: renew per the active profile's own policy, or say what to do. */
export async function refresh(ctx: ServiceContext): Promise<RefreshResultDto> {
  // The editor runs the hook after the server refused the certificate.
  const res = await refreshActive(ctx.store, refreshDeps(ctx, true));
  return { ok: res.ok, renewed: res.ok && res.action === 'renewed', message: res.message };
}

/** What the refresh logic reads from the profiles: each answer is read when it is asked for. */
export function refreshDeps(ctx: ServiceContext, rejected: boolean): RefreshDeps {
  const now = ctx.now();
  // The CLI process started when the extension ran the hook: a certificate made after that is
  // not the one the server refused. (A long-running process, or a test clock, uses `now`.)
  const origin = performance.timeOrigin;
  const startedAt = Math.abs(now.getTime() - origin) < 10 * 60_000 ? new Date(Math.min(origin, now.getTime())) : now;
  return {
    now,
    startedAt,
    rejected,
    policy: async (id) => (await ctx.repo.read(id)).renewal,
    canRenew: async (id) => canRenewOnItsOwn(ctx, await ctx.repo.read(id)),
    renew: (id) => renew(ctx, id),
    describeManualFix: async (id, problem) => manualFix(id, problem, await ctx.repo.read(id).catch(() => null), ctx.repo.hasIssuerCommand(id)),
    diagnose: (id) => mtlsDiagnosis(ctx, id),
  };
}

/** One line from the doctor's mTLS check (the request the extension makes, with our certificate). */
async function mtlsDiagnosis(ctx: ServiceContext, id: string): Promise<string | undefined> {
  const report = await doctor(ctx, id);
  const c = report.checks.find((x) => x.id === 'mtls-handshake');
  if (!c) return undefined;
  if (c.status === 'pass') return `the doctor's mTLS check passes right now (${c.detail}); run \`mtls-tray doctor\` for the other checks`;
  return `${c.detail}${c.fix ? `; fix: ${c.fix}` : ''}`;
}

function manualFix(id: string, problem: RefreshProblem, p: Profile | null, hasIssuer: boolean): string {
  if (problem === 'no-active' || problem === 'missing') return 'run `mtls-tray init` to create a profile';
  if (p?.source === 'self-signed' || p?.source === 'local-ca') return `run \`mtls-tray doctor\` to see why the server refuses the certificate of ${id}`;
  if (problem === 'rejected' && hasIssuer) return `profile ${id} renews through its issuer command; run \`mtls-tray doctor\` to see why the server refuses its certificate`;
  return `profile ${id} holds a certificate from your CA: ${reenrolHint(id)}`;
}

export async function pendingCsr(ctx: ServiceContext, profileId?: string): Promise<string> {
  const id = await ctx.resolveId(profileId);
  const pend = (await ctx.repo.read(id)).pending ? await ctx.repo.readPending(id) : await ctx.repo.readReenrolment(id);
  if (!pend) throw new UserError('NOT_PENDING', `Profile ${id} has no pending certificate request`, `Make one with: mtls-tray csr new --profile ${id} --out ${id}.csr`);
  return pend.csrPem;
}

/** Publishes the CA-issued certificate of a pending CSR profile as its first generation. */
export async function csrImportCert(ctx: ServiceContext, certPem: string, profileId?: string, settingsReq: SettingsRequest & { noSettings?: boolean; chainPem?: string } = {}): Promise<OperationResultDto & { settings: SettingsFileResultDto[] }> {
  const id = await ctx.resolveId(profileId ?? (await onlyPendingProfile(ctx)));
  const p = await ctx.repo.read(id);
  if (!p.pending) {
    // A re-enrolment: the next generation of a profile that is serving already. No settings write.
    if (!isCaIssued(p)) throw new UserError('NOT_CA_ISSUED', `Profile ${id} is ${p.source}: renew it with \`mtls-tray renew --profile ${id}\``);
    const g = await importReenrolment(ctx, p, certPem, settingsReq.chainPem, 'the issued certificate');
    return { ok: true, profileId: id, generation: g.number, message: `Imported the CA-issued certificate for ${p.name} as generation ${g.number} (${g.rotated ? 'new key: a rotation' : 'same key: a renewal'}); valid until ${g.notAfter}. No editor settings changed; \`mtls-tray rollback --profile ${id}\` goes back.`, settings: [] };
  }
  const pend = await ctx.repo.readPending(id);
  if (!pend) throw new UserError('NOT_PENDING', `Profile ${id} is not waiting for a certificate`);
  const accepted = (await making()).acceptIssuedCertificate(certPem, pend.keyPem, { ...(settingsReq.chainPem !== undefined ? { chainPem: settingsReq.chainPem } : {}), now: ctx.now() });
  const caBundle = p.hasCaBundle ? await ctx.repo.readCaBundle(id) : null;
  const next: Profile = { ...p, pending: false, sans: sansOfCert(accepted.certPem) };
  const g = await ctx.store.withWriteLock(`complete ${id}`, async () => {
    const gen = await writeIdentity(ctx, next, { certPem: accepted.certPem, keyPem: pend.keyPem, chainPem: accepted.chainPem }, caBundle, 'csr-complete');
    await ctx.repo.write(next);
    await ctx.repo.clearPending(id);
    if ((await ctx.store.getActive()) === null) await ctx.store.setActive(id);
    return gen;
  });
  // The profile had no credentials until now, so its editors were not configured at init.
  const settings = settingsReq.noSettings || (await ctx.store.getActive()) !== id ? [] : await applySettings(ctx, settingsReq);
  return { ok: true, profileId: id, generation: g.number, message: `Imported the certificate for ${p.name}; valid until ${g.notAfter}.`, settings };
}

async function onlyPendingProfile(ctx: ServiceContext): Promise<string | undefined> {
  const pendingIds: string[] = [];
  for (const id of await ctx.repo.ids()) if ((await ctx.repo.read(id)).pending) pendingIds.push(id);
  return pendingIds.length === 1 ? pendingIds[0] : undefined;
}
