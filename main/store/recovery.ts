// Start-up recovery, run under the writer lock when a store is first used for writing and
// whenever a dead writer's lock was broken. Under the lock no other writer is active, so
// every temp entry (`.tmp-*`) belongs to a writer that died: half-built generations, temp
// files, temp symlinks. They are removed. Then each profile's `current` and the `active`
// link are checked; one that is missing or points at something incomplete (it never should)
// is pointed at the newest complete generation again, and the event is logged. In the fixed
// layout (pointers.ts) the same holds for the `current` and `active-profile` files, and then
// `active/current/` is compared file by file with the active generation and copied again
// where it differs (a writer that died between two of its per-file renames).
import { promises as fsp } from 'node:fs';
import { join, relative } from 'node:path';
import { mirrorDiff, syncMirror } from './active-mirror';
import { TEMP_PREFIX } from '../base/fs-atomic';
import { isGenerationName, type Layout } from './layout';
import { verifyGeneration, type GenerationManifest } from './manifest';
import { linkPointers, type Pointers } from './pointers';
import { isProfileId } from '../base/profile-id';

export interface StoreLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

export const silentLogger: StoreLogger = { info() {}, warn() {} };

export interface RecoveryReport {
  /** Temp entries removed, relative to the data dir (or absolute when outside it). */
  removedTemp: string[];
  restoredCurrent: Array<{ profileId: string; from: string | null; to: number; reason: string }>;
  restoredActive: { from: string | null; to: string; reason: string } | null;
  /** Fixed layout: files of active/current/ copied again (or removed) because they differed from the active generation. */
  recopiedActive: { profileId: string; generation: number | null; files: string[] } | null;
  /** Numbered generations that fail verification; left in place (never current, never rolled back to). */
  damaged: Array<{ profileId: string; generation: number; reason: string }>;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

async function sweepTemp(dir: string, report: RecoveryReport, base: string): Promise<void> {
  for (const name of await listDir(dir)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const path = join(dir, name);
    await fsp.rm(path, { recursive: true, force: true });
    const rel = relative(base, path);
    report.removedTemp.push(rel.startsWith('..') ? path : rel);
  }
}

/** Complete generations of a profile, newest first, plus the damaged ones. */
export async function scanGenerations(layout: Layout, id: string): Promise<{ complete: Array<{ n: number; manifest: GenerationManifest }>; damaged: Array<{ n: number; reason: string }> }> {
  const dir = layout.generationsDir(id);
  const numbers = (await listDir(dir)).filter(isGenerationName).map(Number).sort((a, b) => b - a);
  const complete: Array<{ n: number; manifest: GenerationManifest }> = [];
  const damaged: Array<{ n: number; reason: string }> = [];
  for (const n of numbers) {
    const v = await verifyGeneration(join(dir, String(n)), n);
    if (v.ok) complete.push({ n, manifest: v.manifest });
    else damaged.push({ n, reason: v.reason });
  }
  return { complete, damaged };
}

export async function recoverStore(layout: Layout, log: StoreLogger, pointers: Pointers = linkPointers(layout)): Promise<RecoveryReport> {
  const report: RecoveryReport = { removedTemp: [], restoredCurrent: [], restoredActive: null, recopiedActive: null, damaged: [] };
  const fixed = pointers.kind === 'fixed';
  const base = layout.dataDir;
  await sweepTemp(base, report, base);
  await sweepTemp(layout.binDir, report, base);
  if (layout.scriptDir !== layout.binDir) await sweepTemp(layout.scriptDir, report, base);
  await sweepTemp(layout.profilesDir, report, base);
  if (fixed) {
    // Real directories here (in the links layout `active` leads into a profile, swept below).
    await sweepTemp(layout.activeLink, report, base);
    await sweepTemp(layout.activeCurrentDir, report, base);
  }

  const healthy = new Map<string, GenerationManifest>(); // profile -> manifest of its current
  for (const id of (await listDir(layout.profilesDir)).filter(isProfileId)) {
    await sweepTemp(layout.profileDir(id), report, base);
    await sweepTemp(layout.generationsDir(id), report, base);
    const { complete, damaged } = await scanGenerations(layout, id);
    for (const d of damaged) report.damaged.push({ profileId: id, generation: d.n, reason: d.reason });

    const { value: n, raw: target, foreign } = await pointers.readCurrent(id);
    const good = n === null ? undefined : complete.find((g) => g.n === n);
    if (good) {
      healthy.set(id, good.manifest);
      continue;
    }
    if (foreign) {
      log.warn(`profile ${id}: "current" is not a ${fixed ? 'generation number file' : 'symbolic link'}; leaving it alone`, { profileId: id });
      continue;
    }
    const newest = complete[0];
    if (!newest) {
      if (target !== null) log.warn(`profile ${id}: "current" points at ${target}, which is not usable, and no complete generation is left`, { profileId: id });
      continue;
    }
    const reason = target === null ? 'current was missing'
      : n === null ? `current pointed at ${target}, which is not a generation`
      : damaged.some((d) => d.n === n) ? `current pointed at generation ${n}, which is incomplete (${damaged.find((d) => d.n === n)!.reason})`
      : `current pointed at generation ${n}, which does not exist`;
    await pointers.writeCurrent(id, newest.n);
    report.restoredCurrent.push({ profileId: id, from: target, to: newest.n, reason });
    log.warn(`recovery: profile ${id}: ${reason}; restored generation ${newest.n}`, { profileId: id, generation: newest.n });
    healthy.set(id, newest.manifest);
  }

  const activeState = await pointers.readActive();
  const activeTarget = activeState.raw;
  let activeId = activeState.value;
  const activeExists = activeId !== null && (await fsp.stat(layout.profileDir(activeId)).then((st) => st.isDirectory(), () => false));
  if (activeId !== null && activeExists && !healthy.has(activeId)) {
    // The chosen profile exists but has nothing usable: switching the user to another
    // deployment's identity behind their back would be worse than telling them.
    log.warn(`recovery: the active profile ${activeId} has no usable generation; leaving it active`, { profileId: activeId });
  } else if (activeState.foreign) {
    log.warn(`recovery: ${fixed ? layout.activeProfileFile : layout.activeLink} is not ${fixed ? 'a profile name file' : 'a symbolic link'}; leaving it alone`);
  } else if (!activeExists && healthy.size > 0) {
    // Prefer the profile whose current generation is newest: the one last worked on.
    const [to] = [...healthy.entries()].sort((a, b) => b[1].createdAt.localeCompare(a[1].createdAt))[0]!;
    const reason = activeTarget === null ? 'active was missing' : `active pointed at ${activeTarget}, which does not exist`;
    await pointers.writeActive(to);
    activeId = to;
    report.restoredActive = { from: activeTarget, to, reason };
    log.warn(`recovery: ${reason}; made profile ${to} active`, { profileId: to });
  }
  if (fixed && activeId !== null && !activeState.foreign) {
    // The editor's copy must be the active generation, file for file (active-mirror.ts).
    const m = healthy.get(activeId);
    const source = m ? { dir: layout.generationDir(activeId, m.number), manifest: m } : null;
    if ((await mirrorDiff(layout, source)).length > 0) {
      const files = await syncMirror(layout, source);
      report.recopiedActive = { profileId: activeId, generation: m?.number ?? null, files };
      log.warn(m
        ? `recovery: ${layout.activeCurrentDir} did not match generation ${m.number} of profile ${activeId} (an interrupted copy); copied ${files.join(', ')} again`
        : `recovery: the active profile ${activeId} has no usable generation; removed ${files.join(', ')} from ${layout.activeCurrentDir}`, { profileId: activeId, files });
    }
  }
  if (report.removedTemp.length > 0) {
    log.info(`recovery: removed ${report.removedTemp.length} leftover temporary entr${report.removedTemp.length === 1 ? 'y' : 'ies'} of an interrupted write`, { removed: report.removedTemp });
  }
  return report;
}
