/**
 * The profiles as the user sees them: list, status (certificate report, renewal plan, files,
 * settings values, editors, history), switch, rename and delete.
 */
import { rm } from 'node:fs/promises';
import { UserError } from '../base/errors';
import * as creds from '../credentials/reading';
import { canRenewUnattended, type Profile } from '../profiles/profile';
import { proxySupportKeepsAgent } from '../settings/owned-keys';
import type { CertificateReportDto, EditorStateDto, ProfileSummaryDto, SettingsFileResultDto, StatusDto } from './app-service';
import { desiredValues, planFor, type ServiceContext } from './context';
import { generationDto, renewalDto, reportDto, summaryDto } from './dtos';
import { applyTo, configuredTargets, editorStates } from './editors';
import { checkName } from './identity-inputs';
import { reenrolHint } from './reenrol';

const MAX_HISTORY = 10;

export async function listProfiles(ctx: ServiceContext): Promise<ProfileSummaryDto[]> {
  const active = await ctx.store.getActive();
  const out: ProfileSummaryDto[] = [];
  for (const id of await ctx.repo.ids()) out.push(await summaryDto(ctx, await ctx.repo.read(id), active));
  return out;
}

export async function status(ctx: ServiceContext, profileId?: string): Promise<StatusDto | null> {
  if (profileId === undefined && (await ctx.repo.ids()).length === 0) return null;
  const id = await ctx.resolveId(profileId);
  const p = await ctx.repo.read(id);
  const active = await ctx.store.getActive();
  const cur = p.pending ? null : await ctx.store.readCurrent(id);
  const editors = await editorStates(ctx, p);
  let report: CertificateReportDto | null = null;
  let renewal: StatusDto['renewal'] = null;
  if (cur) {
    const localCa = p.source === 'local-ca' ? await ctx.repo.readLocalCa(id) : null;
    const r = creds.certificateReport(cur.cert, { keyPem: cur.key, now: ctx.now(), ...(localCa ? { trustedCaPem: localCa.certPem } : {}), certFile: ctx.store.paths.cert, keyFile: ctx.store.paths.key });
    report = reportDto(r);
    adjustWarnings(ctx, p, report, editors);
    renewal = renewalDto(planFor(ctx, p, cur.info), p);
  }
  const gens = p.pending ? [] : await ctx.store.listGenerations(id);
  const paths = ctx.store.paths;
  const values = desiredValues(ctx, p);
  return {
    profile: await summaryDto(ctx, p, active, cur),
    report,
    renewal,
    files: { cert: paths.cert, key: paths.key, ca: p.hasCaBundle ? paths.ca : null, headers: paths.headers, headerCommand: paths.headerCommand, refreshCommand: paths.refreshCommand },
    settingsValues: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v ?? null])),
    editors,
    generations: gens.slice(0, MAX_HISTORY).map(generationDto),
  };
}

/** The report's warnings in this profile's words, plus what the editors' settings add. */
function adjustWarnings(ctx: ServiceContext, p: Profile, report: CertificateReportDto, editors: EditorStateDto[]): void {
  if (!canRenewUnattended(p, ctx.repo.hasIssuerCommand(p.id))) {
    // The engine's fix says "renew"; a CA-issued certificate is re-enrolled with its CA.
    const fix = `${reenrolHint(p.id).replace(/^run/, 'Run')}.`;
    for (const w of report.warnings) if (w.code === 'EXPIRED' || w.code === 'EXPIRING_SOON') w.fix = fix;
  }
  const dropping = editors.filter((e) => e.configured && !proxySupportKeepsAgent(e.proxySupport));
  if (dropping.length) {
    const w = creds.makeWarning('PROXY_SUPPORT_OVERRIDE', { value: dropping[0]!.proxySupport ?? 'override', editors: dropping.map((e) => e.name) });
    report.warnings.push({ code: w.code, severity: w.severity, message: w.message, fix: w.fix });
  }
}

export async function switchProfile(ctx: ServiceContext, profileId: string): Promise<{ profileId: string; settings: SettingsFileResultDto[] }> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.repo.read(id);
  await ctx.store.setActive(id);
  // Only the keys that differ between profiles (tlsAltHost, tlsCaFile) can change; files
  // whose text stays the same are not written at all.
  const settings = await applyTo(ctx, p, await configuredTargets(ctx), { proxyConsent: false, dryRun: false });
  return { profileId: id, settings };
}

export async function renameProfile(ctx: ServiceContext, profileId: string, name: string): Promise<ProfileSummaryDto> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.store.withWriteLock(`rename ${id}`, async () => {
    const next = { ...(await ctx.repo.read(id)), name: checkName(name) };
    await ctx.repo.write(next);
    return next;
  });
  return summaryDto(ctx, p, await ctx.store.getActive());
}

export async function deleteProfile(ctx: ServiceContext, profileId: string): Promise<void> {
  const id = await ctx.resolveId(profileId);
  await ctx.store.withWriteLock(`delete ${id}`, async () => {
    if ((await ctx.store.getActive()) === id) throw new UserError('PROFILE_ACTIVE', `Profile ${id} is the active one and cannot be deleted`, 'Switch to another profile first');
    await rm(ctx.repo.dir(id), { recursive: true, force: true });
  });
}
