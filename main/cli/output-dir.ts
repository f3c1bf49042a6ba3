/**
 * Several files written into one directory the user named with --out DIR (`trust snippet`), as a set:
 * every target is checked before anything is written, every file is complete on disk (temp name,
 * exact mode, fsync) before the first rename, and the renames run in the order given, so a
 * snippet listed after the file it refers to never appears without it.
 *
 * An existing file with the same content is left alone (running the command again is a no-op);
 * one that differs, or a link or anything else in the way, is refused unless `force` is given,
 * and then replaced, never written through. A refusal or a fault writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fsyncSync, lstatSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../base/errors';
import { diskFaultToUserError } from '../base/fs-errors';
import { quotePosixIfNeeded } from '../base/shell-quote';

export interface OutputFile {
  /** A plain file name (no directory part). */
  name: string;
  text: string;
  mode: number;
  /** What it is, for messages: "CA certificate", "Dockerfile snippet". */
  what: string;
}

export interface WrittenFile {
  path: string;
  /** written: new; replaced: differed, --force; unchanged: already held exactly this. */
  status: 'written' | 'replaced' | 'unchanged';
}

export function writeFilesIntoDir(dir: string, files: readonly OutputFile[], opts: { force: boolean }): WrittenFile[] {
  checkDir(dir);
  const plan = files.map((f) => ({ file: f, path: join(dir, f.name), status: existing(join(dir, f.name), f, opts.force) }));
  const temps: Array<{ tmp: string; path: string }> = [];
  try {
    for (const p of plan) {
      if (p.status === 'unchanged') continue;
      const tmp = join(dir, `.${p.file.name}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
      writeNew(tmp, p.path, p.file);
      temps.push({ tmp, path: p.path });
    }
    for (const t of temps) {
      try {
        renameSync(t.tmp, t.path);
      } catch (err) {
        throw asUserError(err, t.path);
      }
    }
  } finally {
    // After a fault: no temp file stays behind. After success these are gone already.
    for (const t of temps) rmSync(t.tmp, { force: true });
  }
  if (temps.length > 0) fsyncDir(dir);
  return plan.map((p) => ({ path: p.path, status: p.status }));
}

function checkDir(dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError('OUTPUT_DIR_MISSING', `--out ${dir}: no such directory; nothing was written`, `Create it first (mkdir -p ${quotePosixIfNeeded(dir)}) or name an existing directory with --out DIR`);
    }
    throw asUserError(err, dir);
  }
  if (!st.isDirectory()) {
    throw new UserError('PATH_NOT_DIRECTORY', `--out ${dir} is not a directory; nothing was written`, 'Name a directory with --out DIR');
  }
}

function existing(path: string, f: OutputFile, force: boolean): WrittenFile['status'] {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'written';
    throw asUserError(err, path);
  }
  if (st.isDirectory()) {
    throw new UserError('PATH_IS_DIRECTORY', `${path} is a directory where the ${f.what} goes; nothing was written`, 'Move it away, or name another directory with --out DIR');
  }
  if (st.isFile() && sameContent(path, f.text)) return 'unchanged';
  if (force) return 'replaced';
  const kind = st.isSymbolicLink() ? 'is a symbolic link' : st.isFile() ? `exists and differs from the ${f.what}` : 'exists and is not a regular file';
  throw new UserError('OUTPUT_EXISTS', `${path} ${kind}; nothing was written`, `Move it away, name another directory with --out DIR, or replace it with --force`);
}

function sameContent(path: string, text: string): boolean {
  try {
    return readFileSync(path).equals(Buffer.from(text, 'utf8'));
  } catch {
    return false;
  }
}

/** O_EXCL and O_NOFOLLOW: never through a planted link; the exact mode whatever the umask. */
function writeNew(tmp: string, target: string, f: OutputFile): void {
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), f.mode);
  } catch (err) {
    throw asUserError(err, target);
  }
  try {
    if (process.platform !== 'win32') fchmodSync(fd, f.mode);
    writeSync(fd, f.text);
    fsyncSync(fd);
  } catch (err) {
    throw asUserError(err, target);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * A disk fault named by the file the user will look for, not by our temp name. A file that
 * cannot be written here is fixed by naming another directory, not by another data dir.
 */
function asUserError(err: unknown, path: string): unknown {
  if (err && typeof err === 'object' && typeof (err as NodeJS.ErrnoException).code === 'string') {
    const mapped = diskFaultToUserError(Object.assign(err, { path, dest: undefined }));
    if (!mapped) return err;
    if (mapped.code !== 'READ_ONLY_FS' && mapped.code !== 'PERMISSION_DENIED') return mapped;
    return new UserError(mapped.code, mapped.message, `Name a directory you can write with --out DIR (\`ls -ld ${quotePosixIfNeeded(dirname(path))}\` shows who owns this one, and whether its disk is mounted read-only)`, mapped.field);
  }
  return err;
}
