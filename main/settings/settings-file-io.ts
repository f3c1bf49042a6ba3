/**
 * The filesystem side of one settings write: find the real file behind a (possibly symlinked)
 * settings.json, take a snapshot of it, and replace it in one rename, but only if it still
 * holds what we parsed. A reader (the editor's watcher) therefore sees the old file or the new
 * one, never a partial write; the editor saving in between makes us start over instead of
 * overwriting its change.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../base/errors';
import { fsyncDir, renameOver } from '../base/fs-atomic';

export interface FileSnapshot {
  /** The settings.json path as configured (may be a symlink). */
  path: string;
  /** The file that is actually read and replaced (the end of the symlink chain). */
  target: string;
  viaSymlink: boolean;
  /** null: the file does not exist. */
  bytes: Buffer | null;
  stat: Stats | null;
}

const MAX_LINK_DEPTH = 32;

/**
 * Follows symlinks to the file we must replace, so the link itself stays a link (dotfile
 * managers keep settings.json as a link into a repository). Works for a dangling link too:
 * writing then creates the file the link points to.
 */
export async function resolveSettingsTarget(path: string): Promise<{ target: string; viaSymlink: boolean }> {
  let current = resolve(path);
  let viaSymlink = false;
  for (let depth = 0; depth < MAX_LINK_DEPTH; depth++) {
    let st: Stats;
    try {
      st = await fsp.lstat(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { target: current, viaSymlink };
      throw err;
    }
    if (!st.isSymbolicLink()) {
      // Resolve linked parent directories as well, so the temp file lands next to the real file.
      return { target: await fsp.realpath(current), viaSymlink };
    }
    viaSymlink = true;
    current = resolve(dirname(current), await fsp.readlink(current));
  }
  throw new UserError('SETTINGS_LINK_LOOP', `${path} is a symlink that never ends in a file (a loop?)`, `Check where ${path} points with ls -l.`);
}

export async function readSnapshot(path: string): Promise<FileSnapshot> {
  const { target, viaSymlink } = await resolveSettingsTarget(path);
  try {
    const stat = await fsp.stat(target);
    if (!stat.isFile()) {
      throw new UserError('SETTINGS_NOT_A_FILE', `${target} is not a regular file`, `Move it away so the editor can create its settings.json there.`);
    }
    return { path, target, viaSymlink, bytes: await fsp.readFile(target), stat };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, target, viaSymlink, bytes: null, stat: null };
    throw err;
  }
}

/** The file exists and nobody may write it (no owner write bit; on Windows the read-only attribute). */
export function isReadOnly(snapshot: FileSnapshot): boolean {
  return snapshot.stat !== null && (snapshot.stat.mode & 0o200) === 0;
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await fsp.readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}

const TEMP_MARK = '.mtls-tray-';

function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** Removes temp files a killed mtls-tray left next to `target` (their process is gone). */
export async function removeStaleTemps(target: string): Promise<void> {
  const prefix = `.${basename(target)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = await fsp.readdir(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    await fsp.rm(join(dirname(target), name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ReplaceHooks {
  /** Test seam: runs after the new content is on disk under its temp name, before the re-check. */
  beforeReplace?: (target: string) => void | Promise<void>;
}

/**
 * Replaces `snapshot.target` with `data` (temp file in the same directory, fsync, rename,
 * directory fsync), keeping the file's mode and owner; a settings file we create is 0600 whatever
 * the umask (it holds coder.headerCommand). Returns 'conflict' without touching
 * the file when it no longer holds `snapshot.bytes`.
 */
export async function replaceIfUnchanged(snapshot: FileSnapshot, data: Buffer, hooks: ReplaceHooks = {}): Promise<'replaced' | 'conflict'> {
  const { target } = snapshot;
  const tmp = tempPathFor(target);
  const mode = snapshot.stat ? snapshot.stat.mode & 0o7777 : 0o600;
  try {
    const fh = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    try {
      await fh.writeFile(data);
      if (process.platform !== 'win32') {
        await fh.chmod(mode); // the umask may have narrowed (or, at 000, not narrowed) it
        if (snapshot.stat) await keepOwner(fh, snapshot.stat);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await hooks.beforeReplace?.(target);
    if (!sameBytes(await readOrNull(target), snapshot.bytes)) {
      await fsp.rm(tmp, { force: true });
      return 'conflict';
    }
    await renameOver(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(err, target);
  }
  await fsyncDir(dirname(target));
  return 'replaced';
}

/** Deletes `snapshot.target` (restoring "there was no settings file"), only if unchanged. */
export async function unlinkIfUnchanged(snapshot: FileSnapshot): Promise<'removed' | 'conflict'> {
  if (!sameBytes(await readOrNull(snapshot.target), snapshot.bytes)) return 'conflict';
  try {
    await fsp.rm(snapshot.target, { force: true });
  } catch (err) {
    throw writeError(err, snapshot.target);
  }
  await fsyncDir(dirname(snapshot.target));
  return 'removed';
}

/** A settings file that root (sudo) rewrites must stay its user's file. */
async function keepOwner(fh: fsp.FileHandle, stat: Stats): Promise<void> {
  if (typeof process.getuid !== 'function') return;
  if (stat.uid === process.getuid() && stat.gid === process.getgid?.()) return;
  try {
    await fh.chown(stat.uid, stat.gid);
  } catch {
    // Not allowed (we are not root): the file becomes ours, which is what the editor would do too.
  }
}

function writeError(err: unknown, target: string): unknown {
  if (err instanceof UserError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new UserError(
      'SETTINGS_NOT_WRITABLE',
      `cannot write ${target}: the folder ${dirname(target)} is not writable (${code}); nothing was changed`,
      `If another tool manages this file (home-manager, a dotfiles repo), add the settings there; mtls-tray settings apply --dry-run shows them.`,
    );
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new UserError('SETTINGS_WRITE_FAILED', `cannot write ${target}: the disk is full; nothing was changed`, 'Free some space and run this again.');
  }
  return err;
}
