// How the store records which generation of a profile is current and which profile is
// active, in its two on-disk layouts (DESIGN.md §2):
//
// - 'links' (Linux, macOS): `profiles/<id>/current -> generations/<n>` and
//   `active -> profiles/<id>` are relative symlinks, each swapped with one rename of a fresh
//   link; the editor's paths `<data>/active/current/*` resolve through both, so a swap changes
//   all of them at once.
// - 'fixed' (Windows, where creating a symlink needs privileges or developer mode):
//   `profiles/<id>/current` is a small file holding the generation number and
//   `<data>/active-profile` one holding the profile id, each replaced atomically (temp, fsync,
//   rename). The editor's paths are then a real directory, kept in step by active-mirror.ts:
//   that is the weaker guarantee (per file, not per set) described there.
//
// The fixed pointers also read a symlink left at `current` or `active` by the links layout
// (a data dir copied from another machine, or the layout option changed), so such a data dir
// keeps working; the next write replaces the link with a file.
import { promises as fsp } from 'node:fs';
import { readLinkOrNull, replaceSymlink, writeFileAtomic, PRIVATE_FILE_MODE } from '../base/fs-atomic';
import { generationNumberOf, isGenerationName, profileIdOfTarget, type Layout } from './layout';
import { isProfileId } from '../base/profile-id';

export type LayoutKind = 'links' | 'fixed';

export function defaultLayoutKind(platform: NodeJS.Platform): LayoutKind {
  return platform === 'win32' ? 'fixed' : 'links';
}

export interface PointerState<T> {
  /** What the pointer designates, or null when it is missing or says nothing usable. */
  value: T | null;
  /** The link target or the file's text (trimmed), for messages; null when there is none. */
  raw: string | null;
  /** Something is at the pointer's path that is not a pointer this layout can read. */
  foreign: boolean;
}

export interface Pointers {
  readonly kind: LayoutKind;
  readCurrent(id: string): Promise<PointerState<number>>;
  /** Makes generation `n` current for profile `id`, in one atomic step. */
  writeCurrent(id: string, n: number): Promise<void>;
  readActive(): Promise<PointerState<string>>;
  /** Makes profile `id` the active one, in one atomic step (the editor's files may follow later: see active-mirror.ts). */
  writeActive(id: string): Promise<void>;
}

const NONE = { value: null, raw: null, foreign: false } as const;

async function lstatOrNull(path: string) {
  try {
    return await fsp.lstat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

async function readLinkPointer<T>(path: string, parse: (target: string) => T | null): Promise<PointerState<T>> {
  const target = await readLinkOrNull(path);
  if (target === null) return (await lstatOrNull(path)) ? { value: null, raw: null, foreign: true } : NONE;
  return { value: parse(target), raw: target, foreign: false };
}

export function linkPointers(layout: Layout): Pointers {
  return {
    kind: 'links',
    readCurrent: (id) => readLinkPointer(layout.currentLink(id), generationNumberOf),
    writeCurrent: (id, n) => replaceSymlink(layout.currentLink(id), layout.currentTarget(n)),
    readActive: () => readLinkPointer(layout.activeLink, profileIdOfTarget),
    writeActive: (id) => replaceSymlink(layout.activeLink, layout.activeTarget(id)),
  };
}

/** A pointer file's text: one line, so an editor or `type` shows it plainly. Anything long is not ours. */
async function readPointerFile<T>(path: string, parse: (text: string) => T | null, legacy: (target: string) => T | null): Promise<PointerState<T> | null> {
  const st = await lstatOrNull(path);
  if (!st) return null;
  if (st.isSymbolicLink()) {
    const target = await readLinkOrNull(path);
    return { value: target === null ? null : legacy(target), raw: target, foreign: false };
  }
  if (!st.isFile() || st.size > 256) return { value: null, raw: null, foreign: true };
  let text: string;
  try {
    text = (await fsp.readFile(path, 'utf8')).trim();
  } catch (err) {
    // Replaced or removed between lstat and read: read what is there now, once.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return null;
  }
  return { value: parse(text), raw: text, foreign: false };
}

export function filePointers(layout: Layout): Pointers {
  return {
    kind: 'fixed',
    async readCurrent(id) {
      const s = await readPointerFile(layout.currentLink(id), (t) => (isGenerationName(t) ? Number(t) : null), generationNumberOf);
      return s ?? NONE;
    },
    writeCurrent: (id, n) => writeFileAtomic(layout.currentLink(id), `${n}\n`, PRIVATE_FILE_MODE),
    async readActive() {
      const s = await readPointerFile(layout.activeProfileFile, (t) => (isProfileId(t) ? t : null), profileIdOfTarget);
      if (s) return s;
      // No active-profile file yet: a links-layout data dir says it with the `active` link.
      const target = await readLinkOrNull(layout.activeLink);
      return target === null ? NONE : { value: profileIdOfTarget(target), raw: target, foreign: false };
    },
    writeActive: (id) => writeFileAtomic(layout.activeProfileFile, `${id}\n`, PRIVATE_FILE_MODE),
  };
}

export function pointersFor(kind: LayoutKind, layout: Layout): Pointers {
  return kind === 'fixed' ? filePointers(layout) : linkPointers(layout);
}
