// What the editors read from the data dir, checked against what the store published (issue
// 17): the four files under `<data>/active/current/` must be byte for byte the active
// profile's current generation (its generation.json lists their SHA-256), the two pointers
// must lead there, and the two scripts must be ours and executable. Anything else was changed
// outside mtls-tray (a dotfiles script, a hand copy, a cleanup): "drift".
//
// Read-only, no lock. A generation swap in progress can look like drift for an instant in the
// fixed layout (per-file renames), so callers check while no writer holds the lock
// (CredentialStore.writerBusy) and look again after a quiet moment.
//
// In the links layout `active/current/client.crt` IS the generation's own file: a file
// replaced there changes the generation itself, whose bytes are then gone. Re-publishing
// (CredentialStore.republish: recovery) then makes the newest intact generation current; in
// the fixed layout it copies the current generation again.
import { promises as fsp } from 'node:fs';
import { quoteCmdInBatch, quotePosix } from '../base/shell-quote';
import { MIRROR_ORDER } from './active-mirror';
import { isProfileId } from '../base/profile-id';
import { FILE_NAMES, isGenerationName, type Layout } from './layout';
import { sha256Hex, type GenerationManifest } from './manifest';
import type { Pointers } from './pointers';
import { headerCommandScriptCmd, headerCommandScriptSh } from './scripts';

export type PublishedItem = (typeof MIRROR_ORDER)[number] | 'header-script' | 'refresh-script' | 'active' | 'current';
export type PublishedProblem = 'changed' | 'missing' | 'unexpected' | 'not-executable' | 'not-ours';

export interface PublishedDrift {
  /** The path at fault, as the editors (or the pointer) name it. */
  path: string;
  item: PublishedItem;
  problem: PublishedProblem;
  profileId: string | null;
  generation: number | null;
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await fsp.readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ELOOP') return null;
    throw err;
  }
}

async function readManifest(layout: Layout, id: string, n: number): Promise<GenerationManifest | null> {
  const text = await readOrNull(layout.p.join(layout.generationDir(id, n), FILE_NAMES.manifest));
  try {
    const m = text === null ? null : (JSON.parse(text.toString('utf8')) as GenerationManifest);
    return m && m.number === n && typeof m.files === 'object' && m.files !== null ? m : null;
  } catch {
    return null;
  }
}

async function names(dir: string): Promise<string[]> {
  return fsp.readdir(dir).catch(() => []);
}

async function generationNames(layout: Layout, id: string): Promise<string[]> {
  return (await names(layout.generationsDir(id))).filter(isGenerationName);
}

/** Some profile has a current generation: the store has published something. */
async function anyPublished(layout: Layout, pointers: Pointers): Promise<boolean> {
  for (const id of (await names(layout.profilesDir)).filter(isProfileId)) {
    if ((await pointers.readCurrent(id)).value !== null) return true;
  }
  return false;
}

/** The header script's text as the store writes it for this layout. */
export function headerScriptText(layout: Layout): string {
  const headers = layout.stablePaths().headers;
  return layout.platform === 'win32' ? headerCommandScriptCmd(headers) : headerCommandScriptSh(headers);
}

/** Our refresh script names how it was started (the CLI's path), which differs between the
 *  app and a CLI: it counts as ours when it carries our marker and runs `refresh` on this data dir. */
export function isOurRefreshScript(layout: Layout, text: string): boolean {
  const dataDir = layout.platform === 'win32' ? quoteCmdInBatch(layout.dataDir) : quotePosix(layout.dataDir);
  return text.includes('mtls-tray: renews the active client certificate') && text.includes(`refresh --data-dir ${dataDir}`);
}

async function scriptDrift(layout: Layout, path: string, item: 'header-script' | 'refresh-script', ok: (text: string) => boolean): Promise<PublishedDrift | null> {
  const base = { path, item, profileId: null, generation: null };
  const bytes = await readOrNull(path);
  if (bytes === null) return { ...base, problem: 'missing' };
  if (!ok(bytes.toString('utf8'))) return { ...base, problem: item === 'header-script' ? 'changed' : 'not-ours' };
  if (layout.platform !== 'win32' && process.platform !== 'win32' && ((await fsp.stat(path)).mode & 0o100) === 0) return { ...base, problem: 'not-executable' };
  return null;
}

/** The scripts that are not as the store would write them (missing, changed, not executable). */
export async function scriptsDrift(layout: Layout): Promise<PublishedDrift[]> {
  const header = await scriptDrift(layout, layout.headerScript(), 'header-script', (t) => t === headerScriptText(layout));
  const refresh = await scriptDrift(layout, layout.refreshScript(), 'refresh-script', (t) => isOurRefreshScript(layout, t));
  return [header, refresh].filter((d): d is PublishedDrift => d !== null);
}

/**
 * Everything the editors read that is no longer what the store published. Empty when all is
 * in place, and when nothing was published yet (no profile with a certificate).
 */
export async function checkPublished(layout: Layout, pointers: Pointers): Promise<PublishedDrift[]> {
  const active = await pointers.readActive();
  const activePath = pointers.kind === 'fixed' ? layout.activeProfileFile : layout.activeLink;
  if (active.value === null) {
    // Missing while no profile has a certificate yet: nothing was published, nothing drifted.
    if (active.raw === null && !active.foreign && !(await anyPublished(layout, pointers))) return [];
    return [{ path: activePath, item: 'active', problem: active.raw === null && !active.foreign ? 'missing' : 'not-ours', profileId: null, generation: null }];
  }
  const id = active.value;
  const current = await pointers.readCurrent(id);
  const at = { profileId: id, generation: current.value };
  if (current.value === null) {
    const none = current.raw === null && !current.foreign;
    if (none && (await generationNames(layout, id)).length === 0) return []; // a CSR profile waiting for its certificate
    return [{ path: layout.currentLink(id), item: 'current', problem: none ? 'missing' : 'not-ours', ...at }];
  }
  const manifest = await readManifest(layout, id, current.value);
  if (manifest === null) return [{ path: layout.currentLink(id), item: 'current', problem: 'missing', ...at }];
  const out: PublishedDrift[] = [];
  for (const name of MIRROR_ORDER) {
    const path = layout.p.join(layout.activeCurrentDir, name);
    const bytes = await readOrNull(path);
    const have = bytes === null ? null : sha256Hex(bytes);
    const want = manifest.files[name] ?? null;
    if (have === want) continue;
    out.push({ path, item: name, problem: want === null ? 'unexpected' : have === null ? 'missing' : 'changed', ...at });
  }
  return [...out, ...(await scriptsDrift(layout))];
}

const SCRIPT_ROLE = { 'header-script': 'the script coder.headerCommand runs', 'refresh-script': 'the script coder.tlsCertRefreshCommand runs' } as const;

/** One line for one drifted path, e.g. "…/active/current/client.crt was changed outside mtls-tray: it no longer matches generation 3 of profile work". */
export function describePublishedDrift(d: PublishedDrift): string {
  const gen = d.generation !== null && d.profileId !== null ? `generation ${d.generation} of profile ${d.profileId}` : 'the current generation';
  switch (d.item) {
    case 'header-script':
    case 'refresh-script': {
      const what = `${d.path} (${SCRIPT_ROLE[d.item]})`;
      if (d.problem === 'missing') return `${what} is missing`;
      if (d.problem === 'not-executable') return `${what} is no longer executable`;
      return `${what} was changed outside mtls-tray`;
    }
    case 'active':
      return d.problem === 'missing'
        ? `${d.path} is missing, so the editors' files under active/current lead nowhere`
        : `${d.path} no longer names an mtls-tray profile, so the editors' files under active/current lead elsewhere`;
    case 'current':
      if (d.generation === null) return d.problem === 'missing' ? `${d.path} is missing: profile ${d.profileId} has no current generation` : `${d.path} is no longer mtls-tray's pointer to a generation of profile ${d.profileId}`;
      return `${d.path} points at ${gen}, which is missing or incomplete`;
    default:
      if (d.problem === 'missing') return `${d.path} is missing: ${gen} has it`;
      if (d.problem === 'unexpected') return `${d.path} should not be there: ${gen} has no ${d.item}`;
      return `${d.path} was changed outside mtls-tray: it no longer matches ${gen}`;
  }
}
