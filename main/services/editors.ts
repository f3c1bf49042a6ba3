/**
 * Editor settings: apply, preview, remove and show the coder.* values, detect editors, and
 * remember which settings files we wrote so that switch, remove and doctor find them again.
 * Which files a request means is the settings layer's selection (selectTargets).
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isUserError, UserError } from '../base/errors';
import { writeFileAtomic } from '../base/fs-atomic';
import type { Profile } from '../profiles/profile';
import type { EditorId, EditorStateDto, SettingsFileResultDto, SettingsRequest } from './app-service';
import { desiredValues, readProfile, type ServiceContext, type SettingsShape } from './context';
import { settingsDrift } from '../settings/drift';
import { applyCommandFor, fileFindings, pathContext, REPUBLISH_LEFT, settingFindings } from './drift-findings';
import { checkAltHost } from './identity-inputs';
import type { EditorTarget } from './ports';

/** `keptTheirs`: the user chose "Keep theirs" then (ISO), so the file is not managed (issue 17). */
type RememberedTarget = { id: EditorId | 'custom'; settingsPath: string; keptTheirs?: string };

/** The files a request names; with none named, every installed editor or (`whenNone: 'none'`) nothing. */
export function chooseTargets(ctx: ServiceContext, req: { editors?: readonly EditorId[] | undefined; settingsFiles?: readonly string[] | undefined }, whenNone: 'installed' | 'none'): EditorTarget[] {
  return ctx.settings.select({ ...(req.editors ? { editors: req.editors } : {}), ...(req.settingsFiles ? { settingsFiles: req.settingsFiles } : {}), whenNone });
}

const named = (req: SettingsRequest) => Boolean(req.editors?.length || req.settingsFiles?.length);

/** Files we wrote are managed from now on; one the user had kept is managed again once it is applied. */
export async function rememberTargets(ctx: ServiceContext, results: SettingsFileResultDto[]): Promise<void> {
  await changeTargets(ctx, (known) => {
    for (const r of results) {
      const k = known.find((x) => x.settingsPath === r.path);
      if (!k) known.push({ id: r.editor, settingsPath: r.path });
      else if (!r.error) delete k.keptTheirs;
    }
  });
}

/** `settings remove` took our keys out: nothing there to manage (or to call drift) any more. */
export async function forgetTargets(ctx: ServiceContext, paths: readonly string[]): Promise<void> {
  await changeTargets(ctx, (known) => known.splice(0, known.length, ...known.filter((k) => !paths.includes(k.settingsPath))));
}

/** Keep theirs: remembered, but not managed until applied again. */
export async function keepTargetTheirs(ctx: ServiceContext, t: Pick<EditorTarget, 'id' | 'settingsPath'>, since: string): Promise<void> {
  await changeTargets(ctx, (known) => {
    const k = known.find((x) => x.settingsPath === t.settingsPath);
    if (k) k.keptTheirs = since;
    else known.push({ id: t.id, settingsPath: t.settingsPath, keptTheirs: since });
  });
}

async function changeTargets(ctx: ServiceContext, change: (known: RememberedTarget[]) => void): Promise<void> {
  // Read and written under the writer lock, atomically, like every write in the data dir (recovery sweeps temp files).
  await ctx.store.withWriteLock('remember settings targets', async () => {
    const known = await knownTargets(ctx);
    change(known);
    await writeFileAtomic(ctx.targetsFile, `${JSON.stringify(known, null, 2)}\n`, 0o600);
  });
}

async function knownTargets(ctx: ServiceContext): Promise<RememberedTarget[]> {
  try {
    const v = JSON.parse(await readFile(ctx.targetsFile, 'utf8')) as unknown;
    return Array.isArray(v) ? v.filter((x): x is RememberedTarget => typeof x?.settingsPath === 'string' && typeof x?.id === 'string') : [];
  } catch {
    return [];
  }
}

/** Editors whose settings we wrote before (init, apply) and still manage, found again by path. */
export async function configuredTargets(ctx: ServiceContext): Promise<EditorTarget[]> {
  return (await rememberedTargets(ctx)).filter((t) => t.keptTheirs === null);
}

/** Every editor we wrote, with when the user kept its own values (null: managed). */
export async function rememberedTargets(ctx: ServiceContext): Promise<Array<EditorTarget & { keptTheirs: string | null }>> {
  const all = ctx.settings.discover();
  return (await knownTargets(ctx)).map((k) => ({
    ...(all.find((t) => t.settingsPath === k.settingsPath) ?? { id: k.id, name: 'settings file', settingsPath: k.settingsPath, userDataDir: dirname(dirname(k.settingsPath)), installed: true }),
    keptTheirs: k.keptTheirs ?? null,
  }));
}

function mergeTargets(a: EditorTarget[], b: EditorTarget[]): EditorTarget[] {
  const out = [...a];
  for (const t of b) if (!out.some((x) => x.settingsPath === t.settingsPath)) out.push(t);
  return out;
}

/**
 * Writes `p`'s values into each target. A real write runs under the writer lock (nested: the
 * caller's, when it holds it), so it cannot interleave with a switch: callers that apply the
 * active profile read it inside the same lock (switchProfile, applySettings).
 */
export async function applyTo(ctx: ServiceContext, p: SettingsShape, targets: EditorTarget[], opts: { proxyConsent: boolean; dryRun: boolean }): Promise<SettingsFileResultDto[]> {
  const desired = desiredValues(ctx, p);
  const run = async (): Promise<SettingsFileResultDto[]> => {
    const out: SettingsFileResultDto[] = [];
    for (const t of targets) out.push(await ctx.settings.apply(t, desired, opts));
    return out;
  };
  return opts.dryRun ? run() : ctx.store.withWriteLock('apply editor settings', run);
}

export async function applySettings(ctx: ServiceContext, req: SettingsRequest): Promise<SettingsFileResultDto[]> {
  // Editors the user kept their own values for are left alone unless named (issue 17).
  const kept = named(req) ? [] : (await rememberedTargets(ctx)).filter((t) => t.keptTheirs !== null);
  const targets = named(req) ? chooseTargets(ctx, req, 'installed') : mergeTargets(chooseTargets(ctx, {}, 'installed'), await configuredTargets(ctx)).filter((t) => !kept.some((k) => k.settingsPath === t.settingsPath));
  const apply = async () => {
    const p = await readProfile(ctx);
    // No certificate, no settings: the editors would point at files that do not exist yet.
    if (p.pending || (await ctx.store.currentNumber(p.id)) === null) {
      throw new UserError('PROFILE_PENDING', `Profile ${p.name} (${p.id}) has no certificate yet, so there is nothing for the editors to use`, `Send its certificate request to your CA, then run \`mtls-tray csr import-cert CERT.pem --profile ${p.id}\` (it applies the editor settings)`);
    }
    // The files the settings name are put back first where they drifted (issue 17): pointers,
    // copies, scripts. Only what differs is written.
    const left = req.dryRun ? [] : (await ctx.store.republish({ argv: [...ctx.cliCommand] })).remaining;
    const out = await applyTo(ctx, p, targets, { proxyConsent: Boolean(req.proxyConsent), dryRun: Boolean(req.dryRun) });
    const [first] = fileFindings(left);
    if (first) for (const r of out) r.notices.push(`${first.message}, and re-publishing could not fix it. ${REPUBLISH_LEFT}`);
    return out;
  };
  // The active profile is read under the lock that the write holds: a racing switch cannot slip between.
  const res = req.dryRun ? await apply() : await ctx.store.withWriteLock('settings apply', apply);
  if (!req.dryRun) await rememberTargets(ctx, res);
  return [...res, ...kept.map((k) => keptResult(k))];
}

function keptResult(k: EditorTarget & { keptTheirs: string | null }): SettingsFileResultDto {
  return { editor: k.id, path: k.settingsPath, changed: false, wrote: false, keys: [], reloadKeys: [], diff: '', notices: [`not managed: you kept this editor's own coder.* values (Keep theirs, ${k.keptTheirs}); \`${applyCommandFor(k)}\` manages it again`] };
}

export async function removeSettings(ctx: ServiceContext, req: SettingsRequest): Promise<SettingsFileResultDto[]> {
  const targets = named(req) ? chooseTargets(ctx, req, 'none') : await configuredTargets(ctx);
  const remove = async (): Promise<SettingsFileResultDto[]> => {
    const out: SettingsFileResultDto[] = [];
    const active = await ctx.store.getActive();
    const ownedValues = active ? desiredValues(ctx, await ctx.repo.read(active)) : undefined;
    for (const t of targets) out.push(await ctx.settings.remove(t, { dryRun: Boolean(req.dryRun), ...(ownedValues ? { ownedValues } : {}) }));
    return out;
  };
  const out = req.dryRun ? await remove() : await ctx.store.withWriteLock('settings remove', remove);
  if (!req.dryRun) await forgetTargets(ctx, out.filter((r) => !r.error).map((r) => r.path));
  // With coder.headerCommand gone the extension falls back to this variable (DESIGN §1).
  const fromEnv = ctx.env['CODER_HEADER_COMMAND']?.trim();
  if (fromEnv) {
    const note = `CODER_HEADER_COMMAND is set in this environment (${JSON.stringify(fromEnv)}): without coder.headerCommand the Coder extension runs it before every request when the editor starts with it; if it is not meant for this deployment, remove it from your shell profile (\`unset CODER_HEADER_COMMAND\`) and restart the editor.`;
    for (const r of out) if (!r.error) r.notices.push(note);
  }
  return out;
}

export async function showSettings(ctx: ServiceContext, req: SettingsRequest): Promise<Array<{ editor: EditorId | 'custom'; path: string; exists: boolean; values: Record<string, unknown> }>> {
  const targets = chooseTargets(ctx, req, 'installed');
  const out = [];
  for (const t of targets) out.push({ editor: t.id, path: t.settingsPath, ...(await ctx.settings.read(t)) });
  return out;
}

export async function detectEditors(ctx: ServiceContext): Promise<EditorStateDto[]> {
  const ids = await ctx.repo.ids();
  const p = ids.length ? await readProfile(ctx).catch(() => null) : null;
  return editorStates(ctx, p);
}

/**
 * Every editor we know or wrote, and whether its settings point at our files for `p`; for the
 * ones we manage, which keys drifted from the active profile's values (what the editors use).
 */
export async function editorStates(ctx: ServiceContext, p: Profile | null): Promise<EditorStateDto[]> {
  const remembered = await rememberedTargets(ctx);
  const targets = mergeTargets(ctx.settings.discover(), remembered);
  const out: EditorStateDto[] = [];
  const desired = p === null ? null : desiredValues(ctx, p);
  const active = await ctx.store.getActive();
  const activeProfile = active === null ? null : active === p?.id ? p : await ctx.repo.read(active).catch(() => null);
  const activeDesired = activeProfile && !activeProfile.pending ? desiredValues(ctx, activeProfile) : null;
  for (const t of targets) {
    const memo = remembered.find((r) => r.settingsPath === t.settingsPath);
    let values: Record<string, unknown> = {};
    let error: EditorStateDto['error'];
    try {
      values = (await ctx.settings.read(t)).values;
    } catch (err) {
      // Never "not configured" for a file we cannot read: say why, with line and column.
      if (!isUserError(err)) throw err;
      error = settingsReadError(err);
    }
    // One comparison (settings/drift.ts): "configured" says the file points at us; a racing
    // switch could leave the other keys (tlsCaFile, tlsAltHost) of another profile, so
    // `mismatched` compares every value we expect.
    const differ = desired === null ? [] : settingsDrift(values, desired, pathContext(ctx)).map((d) => d.key as string);
    const configured = desired !== null && !error && !differ.includes('coder.tlsCertFile') && !differ.includes('coder.headerCommand');
    const mismatched = configured ? differ : [];
    const managed = memo !== undefined && memo.keptTheirs === null;
    const drift = managed && activeDesired && !error ? settingFindings(ctx, t, values, activeDesired) : [];
    // VS Code's default for an unset http.proxySupport is "override".
    const proxy = values['http.proxySupport'] ?? 'override';
    out.push({ id: t.id, name: t.name, settingsPath: t.settingsPath, installed: t.installed, configured, mismatched, proxySupport: typeof proxy === 'string' ? proxy : null, ...(error ? { error } : {}), managed, keptTheirs: memo?.keptTheirs ?? null, drift });
  }
  return out;
}

/** "cannot read settings.json: <path>:<line>:<col>: <what>" and the parser's fix (open the file at that line and column). */
export function settingsReadError(err: UserError): { code: string; message: string; fix?: string } {
  const what = err.message.replace(/; the file was left unchanged$/, '');
  return { code: err.code, message: `cannot read settings.json: ${what}`, ...(err.fix !== undefined ? { fix: err.fix.replace(/,? and run this again\.$/, ', then check again with `mtls-tray status` (in the window: Test connection).') } : {}) };
}

/** Editors the doctor looks at: the ones we configured, else every installed one. */
export async function doctorTargets(ctx: ServiceContext): Promise<EditorTarget[]> {
  const targets = await configuredTargets(ctx);
  return targets.length ? targets : chooseTargets(ctx, {}, 'installed');
}

/** The exact diff per file for a profile that does not exist yet (the wizard's editors step). */
export async function previewSettings(ctx: ServiceContext, req: { editors: EditorId[]; altHost?: string; hasCaBundle: boolean; hasHeaders?: boolean; proxyConsent: boolean }): Promise<SettingsFileResultDto[]> {
  const altHost = checkAltHost(req.altHost);
  return applyTo(ctx, { hasCaBundle: req.hasCaBundle, headers: req.hasHeaders ? [true] : [], ...(altHost ? { altHost } : {}) }, chooseTargets(ctx, { editors: req.editors }, 'none'), { proxyConsent: req.proxyConsent, dryRun: true });
}
