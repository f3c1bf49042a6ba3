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
import { checkAltHost } from './identity-inputs';
import type { EditorTarget } from './ports';

type RememberedTarget = { id: EditorId | 'custom'; settingsPath: string };

/** The files a request names; with none named, every installed editor or (`whenNone: 'none'`) nothing. */
export function chooseTargets(ctx: ServiceContext, req: { editors?: readonly EditorId[] | undefined; settingsFiles?: readonly string[] | undefined }, whenNone: 'installed' | 'none'): EditorTarget[] {
  return ctx.settings.select({ ...(req.editors ? { editors: req.editors } : {}), ...(req.settingsFiles ? { settingsFiles: req.settingsFiles } : {}), whenNone });
}

const named = (req: SettingsRequest) => Boolean(req.editors?.length || req.settingsFiles?.length);

export async function rememberTargets(ctx: ServiceContext, results: SettingsFileResultDto[]): Promise<void> {
  const known = await knownTargets(ctx);
  for (const r of results) if (!known.some((k) => k.settingsPath === r.path)) known.push({ id: r.editor, settingsPath: r.path });
  // Atomic and under the writer lock, like every write in the data dir (recovery sweeps temp files).
  await ctx.store.withWriteLock('remember settings targets', () => writeFileAtomic(ctx.targetsFile, `${JSON.stringify(known, null, 2)}\n`, 0o600));
}

async function knownTargets(ctx: ServiceContext): Promise<RememberedTarget[]> {
  try {
    const v = JSON.parse(await readFile(ctx.targetsFile, 'utf8')) as unknown;
    return Array.isArray(v) ? v.filter((x): x is RememberedTarget => typeof x?.settingsPath === 'string' && typeof x?.id === 'string') : [];
  } catch {
    return [];
  }
}

/** Editors whose settings we wrote before (init, apply), found again by path. */
export async function configuredTargets(ctx: ServiceContext): Promise<EditorTarget[]> {
  const all = ctx.settings.discover();
  return (await knownTargets(ctx)).map(
    (k) => all.find((t) => t.settingsPath === k.settingsPath) ?? { id: k.id, name: 'settings file', settingsPath: k.settingsPath, userDataDir: dirname(dirname(k.settingsPath)), installed: true },
  );
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
  const targets = named(req) ? chooseTargets(ctx, req, 'installed') : mergeTargets(chooseTargets(ctx, {}, 'installed'), await configuredTargets(ctx));
  const apply = async () => {
    const p = await readProfile(ctx);
    // No certificate, no settings: the editors would point at files that do not exist yet.
    if (p.pending || (await ctx.store.currentNumber(p.id)) === null) {
      throw new UserError('PROFILE_PENDING', `Profile ${p.name} (${p.id}) has no certificate yet, so there is nothing for the editors to use`, `Send its certificate request to your CA, then run \`mtls-tray csr import-cert CERT.pem --profile ${p.id}\` (it applies the editor settings)`);
    }
    return applyTo(ctx, p, targets, { proxyConsent: Boolean(req.proxyConsent), dryRun: Boolean(req.dryRun) });
  };
  // The active profile is read under the lock that the write holds: a racing switch cannot slip between.
  const res = req.dryRun ? await apply() : await ctx.store.withWriteLock('settings apply', apply);
  if (!req.dryRun) await rememberTargets(ctx, res);
  return res;
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

/** Every editor we know or wrote, and whether its settings point at our files for `p`. */
export async function editorStates(ctx: ServiceContext, p: Profile | null): Promise<EditorStateDto[]> {
  const targets = mergeTargets(ctx.settings.discover(), await configuredTargets(ctx));
  const out: EditorStateDto[] = [];
  const desired = p === null ? null : desiredValues(ctx, p);
  const expectedHeaderCommand = desired?.['coder.headerCommand'];
  for (const t of targets) {
    let values: Record<string, unknown> = {};
    let error: EditorStateDto['error'];
    try {
      values = (await ctx.settings.read(t)).values;
    } catch (err) {
      // Never "not configured" for a file we cannot read: say why, with line and column.
      if (!isUserError(err)) throw err;
      error = settingsReadError(err);
    }
    const configured = p !== null && values['coder.tlsCertFile'] === ctx.store.paths.cert && values['coder.headerCommand'] === expectedHeaderCommand;
    // "Configured" only says the file points at us; a racing switch could leave the other keys
    // (tlsCaFile, tlsAltHost) of another profile, so compare every value we expect.
    const mismatched = configured && desired !== null ? Object.entries(desired).filter(([k, v]) => (values[k] ?? null) !== (v ?? null)).map(([k]) => k) : [];
    // VS Code's default for an unset http.proxySupport is "override".
    const proxy = values['http.proxySupport'] ?? 'override';
    out.push({ id: t.id, name: t.name, settingsPath: t.settingsPath, installed: t.installed, configured, mismatched, proxySupport: typeof proxy === 'string' ? proxy : null, ...(error ? { error } : {}) });
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
