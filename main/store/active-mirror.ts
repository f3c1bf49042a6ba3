// The fixed layout's editor-facing directory `<data>/active/current/`: a real directory whose
// files are copies of the active profile's current generation (profiles/<id>/generations/<n>,
// which stays the record: history, rollback and readCurrent() read the generation, never
// this copy). Used where symlinks cannot be swapped (Windows), and on any platform with
// `layout: 'fixed'`. The editor's paths are the same as in the links layout, so settings
// never change between layouts.
//
// THE WEAKER GUARANTEE (DESIGN.md §2 guarantee 5). Each file is replaced on its own: written
// to a temp name in the same directory and fsynced, then renamed over the old one (rename(2);
// MoveFileEx with MOVEFILE_REPLACE_EXISTING on Windows). So:
//  - No reader ever sees a partly written file (as in the links layout).
//  - Files whose bytes do not change are not touched at all. A renew keeps the key, so only
//    client.crt and headers are replaced: whatever mix of old and new files a reader picks
//    up, its certificate and key are a matching pair (as in the links layout).
//  - A rotate (new key), a rollback across a rotation, or a switch to another profile is NOT
//    one atomic step here: a reader that opens client.crt and client.key in the short window
//    between their two renames can get a new certificate with the old key (or the reverse
//    for a reader whose reads straddle both renames), and fails that one request (the Coder
//    extension retries on its next request). To keep the window small every new file is
//    written and fsynced BEFORE the first rename, and the renames then run back to back with
//    nothing in between, in the order the Coder extension reads them: client.crt, client.key,
//    ca.crt, then headers last. Renaming in the reader's order means a reader gets a
//    mismatched pair only when both of its opens fall between the two renames, or when its
//    cert open comes before the first rename and its key open after the second; in the
//    opposite order any overlap of the two windows would do. The headers (with the
//    certificate's fingerprint and key pin) can likewise be one rotation behind or ahead of
//    the pair a reader uses, exactly as in the links layout, where the header command and
//    the file reads are separate reads too.
//  - A crash between those renames (power loss, kill) leaves a mismatched set in
//    active/current/ until the store is next used for writing (the tray's start, any CLI
//    command that writes, or `mtls-tray refresh`, i.e. coder.tlsCertRefreshCommand): recovery
//    compares every file with the active generation's checksums and copies it again. In the
//    links layout a crash can never leave a mismatched set.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, fsyncDir, renameOver, tempName, writeNewFile, PRIVATE_FILE_MODE } from '../base/fs-atomic';
import { FILE_NAMES, type Layout } from './layout';
import { sha256Hex, type GenerationManifest } from './manifest';

/** The order in which files are replaced (see above): the reader's order, the pair back to back, headers last. */
export const MIRROR_ORDER = [FILE_NAMES.cert, FILE_NAMES.key, FILE_NAMES.ca, FILE_NAMES.headers] as const;

export interface MirrorSource {
  /** The generation directory the copy is made from. */
  dir: string;
  manifest: GenerationManifest;
}

async function hashOrNull(path: string): Promise<string | null> {
  try {
    return sha256Hex(await fsp.readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return null;
    throw err;
  }
}

/**
 * Which files of active/current differ from `source` (missing, different bytes, or a
 * ca.crt the generation does not have), in MIRROR_ORDER. With `source` null: the files
 * that exist (an active profile with nothing usable should show the editor nothing, as the
 * links layout does).
 */
export async function mirrorDiff(layout: Layout, source: MirrorSource | null): Promise<string[]> {
  const out: string[] = [];
  for (const name of MIRROR_ORDER) {
    const have = await hashOrNull(join(layout.activeCurrentDir, name));
    const want = source?.manifest.files[name] ?? null;
    if (have !== want) out.push(name);
  }
  return out;
}

/** Makes `<data>/active/current` a real 0700 directory; a links-layout `active` symlink is replaced by one. */
async function ensureMirrorDir(layout: Layout): Promise<void> {
  const st = await fsp.lstat(layout.activeLink).catch(() => null);
  if (st?.isSymbolicLink()) {
    // One-time conversion of a links-layout data dir. Not atomic, but under the writer lock,
    // and a crash here only leaves the directory missing, which the next recovery recreates.
    await fsp.unlink(layout.activeLink);
  }
  await ensurePrivateDir(layout.activeLink);
  await ensurePrivateDir(layout.activeCurrentDir);
}

/**
 * Brings active/current in line with `source` (null: removes its files), replacing only
 * the files that differ, in MIRROR_ORDER. Returns the names replaced or removed. Call under
 * the writer lock: the temp files are `.tmp-*`, which recovery deletes.
 */
export async function syncMirror(layout: Layout, source: MirrorSource | null): Promise<string[]> {
  await ensureMirrorDir(layout);
  const dir = layout.activeCurrentDir;
  const changed = await mirrorDiff(layout, source);
  if (changed.length === 0) return [];

  // Phase 1: every new file complete and durable under a temp name; nothing visible yet.
  const staged = new Map<string, string>();
  try {
    for (const name of changed) {
      const want = source?.manifest.files[name];
      if (!want || !source) continue;
      const bytes = await fsp.readFile(join(source.dir, name));
      if (sha256Hex(bytes) !== want) throw new Error(`${join(source.dir, name)} does not match its checksum`);
      const tmp = tempName(dir, name);
      await writeNewFile(tmp, bytes, PRIVATE_FILE_MODE);
      staged.set(name, tmp);
    }
    // Phase 2: renames (and the removal of a ca.crt the generation lacks) back to back.
    for (const name of changed) {
      const tmp = staged.get(name);
      if (tmp) {
        await renameOver(tmp, join(dir, name));
        staged.delete(name);
      } else {
        await fsp.rm(join(dir, name), { force: true });
      }
    }
  } finally {
    await Promise.all([...staged.values()].map((tmp) => fsp.rm(tmp, { force: true })));
  }
  await fsyncDir(dir);
  return changed;
}
