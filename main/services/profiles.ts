/**
 * The profiles as the user sees them: list, status (certificate report, renewal plan, files,
 * settings values, editors, history), switch, rename and delete.
 */
import { rm } from 'node:fs/promises';
import { isUserError, UserError } from '../base/errors';
import * as creds from '../credentials/reading';
import type { Profile } from '../profiles/profile';
import { FILE_NAMES } from '../store/layout';
import type { CurrentCredentials } from '../store/store';
import { proxySupportKeepsAgent } from '../settings/owned-keys';
import type { CertificateReportDto, DriftFindingDto, EditorStateDto, HistoryDto, ProfileSummaryDto, SettingsFileResultDto, StatusDto } from './app-service';
import { canRenewOnItsOwn, desiredValues, planFor, type ServiceContext } from './context';
import { fileFindings } from './drift-findings';
import { generationDto, renewalDto, reportDto, summaryDto } from './dtos';
import { applyTo, configuredTargets, editorStates } from './editors';
import { refuseTakenName } from './enrol';
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
  // These reads are independent: run them together (status is on the CLI's cold-start path).
  const [active, cur, editors, gens, unsafe, fileDrift] = await Promise.all([
    ctx.store.getActive(),
    // A generation whose files were changed by hand is drift, reported below with its fix.
    p.pending ? null : ctx.store.readCurrent(id).catch((err: unknown) => (isUserError(err) && err.code === 'GENERATION_DAMAGED' ? null : Promise.reject(err))),
    editorStates(ctx, p),
    p.pending ? [] : ctx.store.listGenerations(id),
    ctx.store.dataDirProblem(),
    publishedFindings(ctx),
  ]);
  // One clock reading for the report, the plan and the summary: one days-left number.
  const now = ctx.now();
  const ownFiles = filesOf(ctx, p, id === active, cur);
  let report: CertificateReportDto | null = null;
  let renewal: StatusDto['renewal'] = null;
  if (cur) {
    const localCa = p.source === 'local-ca' ? await ctx.repo.readLocalCa(id) : null;
    const r = creds.certificateReport(cur.cert, { keyPem: cur.key, now, ...(localCa ? { trustedCaPem: localCa.certPem } : {}), certFile: ownFiles.cert, keyFile: ownFiles.key });
    report = reportDto(r);
    adjustWarnings(ctx, p, report, editors);
    renewal = renewalDto(planFor(ctx, p, cur.info, now), p);
  }
  const values = desiredValues(ctx, p);
  let editorsUse: StatusDto['editorsUse'] = null;
  if (active !== null && active !== id) {
    const other = await ctx.repo.read(active).catch(() => null);
    editorsUse = { id: active, name: other?.name ?? active };
  }
  return {
    profile: await summaryDto(ctx, p, active, cur, now),
    report,
    renewal,
    files: ownFiles,
    editorsUse,
    settingsValues: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v ?? null])),
    editors,
    drift: [...editors.flatMap((e) => e.drift), ...fileDrift],
    generations: gens.slice(0, MAX_HISTORY).map(generationDto),
    dataDirProblem: unsafe ? { code: unsafe.code, message: unsafe.message, ...(unsafe.fix ? { fix: unsafe.fix } : {}) } : null,
  };
}

/** The published files that drifted; none while a writer is mid-swap (judged on the next look). */
export async function publishedFindings(ctx: ServiceContext): Promise<DriftFindingDto[]> {
  return (await ctx.store.writerBusy()) ? [] : fileFindings(await ctx.store.publishedDrift());
}

/**
 * The files of this profile: the active one's through `active/current/` (what the editors
 * read); another profile's through its own `profiles/<id>/current/` (links layout) or its
 * current generation's directory (fixed layout), never the active profile's.
 */
export function filesOf(ctx: ServiceContext, p: Profile, isActive: boolean, cur: CurrentCredentials | null): StatusDto['files'] {
  const paths = ctx.store.paths;
  if (isActive) return { cert: paths.cert, key: paths.key, ca: p.hasCaBundle ? paths.ca : null, headers: paths.headers, headerCommand: paths.headerCommand, refreshCommand: paths.refreshCommand };
  const layout = ctx.store.layout;
  const dir = ctx.store.layoutKind === 'links' ? layout.currentLink(p.id) : cur?.info.dir ?? layout.currentLink(p.id);
  return {
    cert: layout.p.join(dir, FILE_NAMES.cert),
    key: layout.p.join(dir, FILE_NAMES.key),
    ca: p.hasCaBundle ? layout.p.join(dir, FILE_NAMES.ca) : null,
    headers: layout.p.join(dir, FILE_NAMES.headers),
    headerCommand: paths.headerCommand,
    refreshCommand: paths.refreshCommand,
  };
}

/** The report's warnings in this profile's words, plus what the editors' settings add. */
function adjustWarnings(ctx: ServiceContext, p: Profile, report: CertificateReportDto, editors: EditorStateDto[]): void {
  if (!canRenewOnItsOwn(ctx, p)) {
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
  // The pointer and the settings move together under one writer lock: two racing switches
  // end with `active` and every settings file naming the same profile (issue 16 item 3).
  const settings = await ctx.store.withWriteLock(`switch ${id}`, async () => {
    const p = await ctx.repo.read(id);
    await ctx.store.setActive(id);
    // Only the keys that differ between profiles (tlsAltHost, tlsCaFile) can change; files
    // whose text stays the same are not written at all.
    return applyTo(ctx, p, await configuredTargets(ctx), { proxyConsent: false, dryRun: false });
  });
  return { profileId: id, settings };
}

export async function renameProfile(ctx: ServiceContext, profileId: string, name: string): Promise<ProfileSummaryDto> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.store.withWriteLock(`rename ${id}`, async () => {
    const next = { ...(await ctx.repo.read(id)), name: checkName(name) };
    // Like `edit --name`: display names are unique, so `switch NAME` means one profile.
    await refuseTakenName(ctx, next.name, id);
    await ctx.repo.write(next);
    return next;
  });
  return summaryDto(ctx, p, await ctx.store.getActive());
}

export async function deleteProfile(ctx: ServiceContext, profileId: string): Promise<void> {
  const id = await ctx.resolveId(profileId);
  await ctx.store.withWriteLock(`delete ${id}`, async () => {
    if ((await ctx.store.getActive()) === id) {
      const others = (await ctx.repo.ids()).filter((x) => x !== id);
      throw new UserError(
        'PROFILE_ACTIVE',
        `Profile ${id} is the active one (the editors use it) and cannot be deleted`,
        others.length ? `Switch to another profile first: mtls-tray switch ${others[0]}` : `It is the only profile: run \`mtls-tray settings remove\` to take it out of the editors, then remove the data directory ${ctx.dataDir}`,
      );
    }
    await rm(ctx.repo.dir(id), { recursive: true, force: true });
  });
}

export async function history(ctx: ServiceContext, profileId?: string): Promise<HistoryDto> {
  const id = await ctx.resolveId(profileId);
  const p = await ctx.repo.read(id);
  const gens = p.pending ? [] : await ctx.store.listGenerations(id);
  return { profileId: id, name: p.name, active: (await ctx.store.getActive()) === id, generations: gens.map(generationDto) };
}
