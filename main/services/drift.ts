/**
 * Drift (issue 17): after our one settings write anything may change `coder.*` in a managed
 * editor's settings.json (another extension key by key, Settings Sync, a dotfiles script, the
 * user), and anything may replace a file under the data dir that the editors read. This use
 * case finds it (the same findings status and doctor show), restores it (one settings write
 * per editor; re-publishing the active generation), or keeps theirs (that editor is not
 * managed until `settings apply` names it). The restore-loop guard (drift-guard.ts) lives as
 * long as the AppService: the tray's, for the app's lifetime.
 */
import { realpath } from 'node:fs/promises';
import { isUserError, UserError } from '../base/errors';
import type { Profile } from '../profiles/profile';
import { FILE_NAMES } from '../store/layout';
import type { DriftActionResultDto, DriftNoticeDto, DriftReportDto, DriftSourceDto } from './app-service';
import { desiredValues, type ServiceContext } from './context';
import type { DriftGuard, GuardDecision, GuardObservation, Stopped } from './drift-guard';
import { applyCommandFor, fileFindings, FILES_SOURCE, REPUBLISH_LEFT, settingFindings } from './drift-findings';
import { applyTo, keepTargetTheirs, rememberedTargets } from './editors';
import { publishedFindings } from './profiles';
import type { EditorTarget } from './ports';

type Managed = EditorTarget & { keptTheirs: string | null };

/** The active profile when it has a certificate (the editors use it); else null: nothing to drift from. */
async function activeProfile(ctx: ServiceContext): Promise<Profile | null> {
  const id = await ctx.store.getActive();
  const p = id === null ? null : await ctx.repo.read(id).catch(() => null);
  return p && !p.pending ? p : null;
}

async function settingsOf(ctx: ServiceContext, t: EditorTarget): Promise<Record<string, unknown> | null> {
  try {
    return (await ctx.settings.read(t)).values;
  } catch (err) {
    // An unreadable file (invalid JSONC) is not drift: status and doctor report it as such.
    if (isUserError(err)) return null;
    throw err;
  }
}

const seconds = (ms: number) => (ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

function stoppedWhy(name: string, s: Stopped): string {
  const when = s.undoneAfterMs === 0 ? 'right after Restore' : `${seconds(s.undoneAfterMs)} after Restore`;
  return `${name} changed back ${when}: something keeps rewriting it (Settings Sync, another extension, a dotfiles script), so mtls-tray stopped restoring it rather than fight it.`;
}

const stoppedFix = (fixCommand: string) => `Find what writes it, then run \`${fixCommand}\`; \`mtls-tray doctor\` shows what differs.`;

function stoppedText(name: string, s: Stopped, fixCommand: string): string {
  return `${stoppedWhy(name, s)} ${stoppedFix(fixCommand)}`;
}

function filesName(ctx: ServiceContext): string {
  return `the files in ${ctx.store.layout.dataDir}`;
}

async function watchList(ctx: ServiceContext, managed: readonly Managed[], active: Profile | null): Promise<string[]> {
  const l = ctx.store.layout;
  const out = [ctx.targetsFile, l.activeLink, l.activeProfileFile, ctx.store.paths.headerCommand, ctx.store.paths.refreshCommand];
  for (const t of managed) out.push(t.settingsPath, await realpath(t.settingsPath).catch(() => t.settingsPath));
  if (active) {
    out.push(l.currentLink(active.id));
    // Links layout: the generation directory the editors' paths resolve to (re-armed after a swap).
    const dir = await realpath(l.activeCurrentDir).catch(() => l.activeCurrentDir);
    for (const name of [FILE_NAMES.cert, FILE_NAMES.key, FILE_NAMES.ca, FILE_NAMES.headers]) out.push(l.p.join(dir, name));
  }
  return [...new Set(out)];
}

/** What the terminal's way back is for a source, and what to call it in a sentence. */
function sourceWords(ctx: ServiceContext, s: Pick<DriftSourceDto, 'kind' | 'name' | 'editor' | 'source'>): { name: string; command: string } {
  return s.kind === 'files' ? { name: filesName(ctx), command: 'mtls-tray settings apply' } : { name: `${s.name}'s settings.json`, command: applyCommandFor({ id: s.editor ?? 'custom', settingsPath: s.source }) };
}

/** The source with the guard's stop, if any, said in words. */
function withStopped(ctx: ServiceContext, guard: DriftGuard, s: DriftSourceDto): DriftSourceDto {
  const stopped = guard.stopped(s.source);
  const w = sourceWords(ctx, s);
  return { ...s, stopped: stopped ? stoppedText(w.name, stopped, w.command) : null };
}

export async function driftReport(ctx: ServiceContext, guard: DriftGuard): Promise<DriftReportDto> {
  const checkedAt = ctx.now().toISOString();
  const remembered = await rememberedTargets(ctx);
  const managed = remembered.filter((t) => t.keptTheirs === null);
  const p = await activeProfile(ctx);
  const sources: DriftSourceDto[] = [];
  if (p) {
    const desired = desiredValues(ctx, p);
    for (const t of managed) {
      const values = await settingsOf(ctx, t);
      const findings = values === null ? [] : settingFindings(ctx, t, values, desired);
      if (findings.length === 0) continue;
      sources.push(withStopped(ctx, guard, { source: t.settingsPath, kind: 'settings', editor: t.id, name: t.name, findings, stopped: null, canKeepTheirs: true }));
    }
  }
  const filesBusy = await ctx.store.writerBusy();
  const files = filesBusy ? [] : await publishedFindings(ctx);
  if (files.length) {
    sources.push(withStopped(ctx, guard, { source: FILES_SOURCE, kind: 'files', editor: null, name: filesName(ctx), findings: files, stopped: null, canKeepTheirs: false }));
  }
  const kept = remembered.filter((t) => t.keptTheirs !== null).map((t) => ({ editor: t.id, name: t.name, settingsPath: t.settingsPath, since: t.keptTheirs! }));
  return { checkedAt, sources, kept, filesBusy, watch: await watchList(ctx, managed, p) };
}

/** The tray's check: the report, and what the guard says is worth a notice. */
export async function observeDrift(ctx: ServiceContext, guard: DriftGuard): Promise<{ report: DriftReportDto; notices: DriftNoticeDto[] }> {
  const found = await driftReport(ctx, guard);
  const seen: GuardObservation[] = found.sources.map((s) => ({ source: s.source, drifted: true }));
  // Files not judged this time (a swap in progress) neither start nor end an episode.
  if (found.filesBusy) seen.push({ source: FILES_SOURCE, drifted: null });
  const decisions = guard.observe(ctx.now().getTime(), seen);
  // A stop decided just now is part of what the report says.
  const report = { ...found, sources: found.sources.map((s) => withStopped(ctx, guard, s)) };
  return { report, notices: decisions.map((d) => noticeFor(d, report)).filter((n): n is DriftNoticeDto => n !== null) };
}

function noticeFor(d: GuardDecision, report: DriftReportDto): DriftNoticeDto | null {
  if (d.kind === 'loop') {
    const s = report.sources.find((x) => x.source === d.source);
    if (!s) return null;
    return { kind: 'loop', title: `mtls-tray stopped restoring ${s.kind === 'files' ? 'its files' : `${s.name}'s settings`}`, body: s.stopped ?? '', restore: [], keepTheirs: s.canKeepTheirs ? s.source : null };
  }
  const listed = report.sources.filter((s) => d.sources.includes(s.source));
  if (listed.length === 0) return null;
  const first = (s: DriftSourceDto) => `${s.findings[0]!.message}${s.findings.length > 1 ? ` (and ${s.findings.length - 1} more)` : ''}.`;
  const editors = listed.filter((s) => s.kind === 'settings');
  const title = listed.length > 1 ? 'Settings or files changed outside mtls-tray' : listed[0]!.kind === 'files' ? "mtls-tray's files changed" : `${listed[0]!.name}'s settings changed outside mtls-tray`;
  const then = editors.length === 1 && listed.length === 1
    ? `Restore puts mtls-tray's values back (one write); Keep theirs leaves ${editors[0]!.name} alone until \`${applyCommandFor({ id: editors[0]!.editor!, settingsPath: editors[0]!.source })}\`.`
    : listed.length === 1 ? 'Restore re-publishes the active generation.' : 'Restore puts them back; open mtls-tray to keep an editor\'s own values.';
  return { kind: 'drift', title, body: `${listed.map(first).join(' ')} ${then}`, restore: listed.filter((s) => !s.stopped).map((s) => s.source), keepTheirs: editors.length === 1 && listed.length === 1 ? editors[0]!.source : null };
}

async function managedTarget(ctx: ServiceContext, source: string): Promise<Managed> {
  const t = (await rememberedTargets(ctx)).find((x) => x.settingsPath === source);
  // The window is untrusted: only a file we wrote before is ever written here.
  if (!t) throw new UserError('DRIFT_UNKNOWN_SOURCE', `${source} is not a settings file mtls-tray manages`, 'Reload the window; `mtls-tray status` lists the editors mtls-tray manages');
  return t;
}

function refuseStopped(guard: DriftGuard, source: string, name: string, fixCommand: string): void {
  const s = guard.stopped(source);
  if (s) throw new UserError('DRIFT_RESTORE_STOPPED', stoppedWhy(name, s), stoppedFix(fixCommand));
}

export async function restoreDrift(ctx: ServiceContext, guard: DriftGuard, source: string): Promise<DriftActionResultDto> {
  if (source === FILES_SOURCE) return restoreFiles(ctx, guard);
  const t = await managedTarget(ctx, source);
  if (t.keptTheirs !== null) throw new UserError('DRIFT_KEPT_THEIRS', `${t.name}'s settings are not managed: you kept its own values`, `Run \`${applyCommandFor(t)}\` to manage them again`);
  refuseStopped(guard, source, `${t.name}'s settings.json`, applyCommandFor(t));
  const p = await activeProfile(ctx);
  if (!p) throw new UserError('NO_PROFILE', 'No profile with a certificate is active, so there are no values to restore', 'Run `mtls-tray status` to see the profiles');
  // One write of every key (applyTo: the settings writer, under the writer lock).
  const [res] = await applyTo(ctx, p, [t], { proxyConsent: false, dryRun: false });
  if (res!.error) return { source, ok: false, message: `${t.name}: ${res!.error.message}`, settings: res! };
  // Look again at once: a writer that undoes it before the watch could even see it counts as a loop.
  const values = await settingsOf(ctx, t);
  const left = values === null ? [] : settingFindings(ctx, t, values, desiredValues(ctx, p));
  const loop = guard.restored(ctx.now().getTime(), source, left.length === 0);
  if (loop) return { source, ok: false, message: stoppedText(`${t.name}'s settings.json`, guard.stopped(source)!, applyCommandFor(t)), settings: res! };
  return { source, ok: true, message: res!.wrote ? `Restored mtls-tray's values in ${t.name}'s settings.json (${res!.keys.join(', ')}; one write).` : `${t.name}'s settings.json already holds mtls-tray's values.`, settings: res! };
}

async function restoreFiles(ctx: ServiceContext, guard: DriftGuard): Promise<DriftActionResultDto> {
  refuseStopped(guard, FILES_SOURCE, filesName(ctx), 'mtls-tray settings apply');
  const r = await ctx.store.republish({ argv: [...ctx.cliCommand] });
  if (r.remaining.length) {
    // Not a writer fighting us: what is left cannot be re-published (e.g. no intact generation).
    const [left] = fileFindings(r.remaining);
    return { source: FILES_SOURCE, ok: false, message: `Could not re-publish everything: ${left!.message}. ${REPUBLISH_LEFT}` };
  }
  guard.restored(ctx.now().getTime(), FILES_SOURCE, true);
  const rec = r.recovery;
  const what = [
    ...(rec.recopiedActive ? [`copied ${rec.recopiedActive.files.join(', ')} of generation ${rec.recopiedActive.generation} again`] : []),
    ...rec.restoredCurrent.map((c) => `made generation ${c.to} of profile ${c.profileId} current, because ${c.reason}`),
    ...(rec.restoredActive ? [`made profile ${rec.restoredActive.to} active, because ${rec.restoredActive.reason}`] : []),
    ...(r.scripts.length ? [`rewrote ${r.scripts.join(', ')}`] : []),
  ];
  return { source: FILES_SOURCE, ok: true, message: what.length ? `Re-published: ${what.join('; ')}.` : 'The files the editors read are already the active generation\'s.' };
}

export async function keepTheirs(ctx: ServiceContext, guard: DriftGuard, source: string): Promise<DriftActionResultDto> {
  if (source === FILES_SOURCE) throw new UserError('DRIFT_UNKNOWN_SOURCE', 'The data directory\'s files cannot be kept as they are: the editors read them as mtls-tray\'s', 'Use Restore, or run `mtls-tray settings apply`');
  const t = await managedTarget(ctx, source);
  await keepTargetTheirs(ctx, t, t.keptTheirs ?? ctx.now().toISOString());
  guard.forget(source);
  return { source, ok: true, message: `mtls-tray no longer manages ${t.name}'s coder.* settings; its own values stay. \`${applyCommandFor(t)}\` manages it again.` };
}
