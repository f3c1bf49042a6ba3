// The few filesystem moves the store is built from. Each one either happens completely or
// not at all as far as a reader is concerned: data goes to a temp name in the same
// directory, is fsynced, and is then renamed into place; the directory is fsynced so the
// rename itself survives a crash.
//
// Windows: creating symlinks needs privileges there, so the store on win32 uses the 'fixed'
// layout (pointers.ts, active-mirror.ts): fixed directories with per-file replace (MoveFileEx
// with MOVEFILE_REPLACE_EXISTING, which is what fs.rename does): each file is still atomic,
// but a reader may see a new cert with an old key for an instant during rotate. Renew is
// unaffected (the key stays the same, so it is not rewritten at all).
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
export const SCRIPT_MODE = 0o700;

/** Every temp file we write starts with this, so recovery can sweep leftovers of a crash. */
export const TEMP_PREFIX = '.tmp-';

export function tempName(dir: string, base: string): string {
  return join(dir, `${TEMP_PREFIX}${base}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Makes a directory rename/creation inside `dir` durable. Directories cannot be opened for fsync on Windows. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await fsp.open(dir, constants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Creates `dir` (and parents) and makes it 0700. The mode is set with chmod because mkdir's
 * is filtered by the umask. An existing dir is tightened too unless `tightenExisting` is
 * false (the data dir root may be a directory the user chose). Returns whether it was created.
 */
export async function ensurePrivateDir(dir: string, opts: { tightenExisting?: boolean } = {}): Promise<boolean> {
  const tightenExisting = opts.tightenExisting ?? true;
  let created = false;
  try {
    await fsp.mkdir(dir, { mode: PRIVATE_DIR_MODE });
    created = true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      await fsp.mkdir(dirname(dir), { recursive: true, mode: PRIVATE_DIR_MODE });
      return ensurePrivateDir(dir);
    }
    if (code !== 'EEXIST') throw err;
    const st = await fsp.lstat(dir);
    if (!st.isDirectory()) throw Object.assign(new Error(`${dir} exists and is not a directory`), { code: 'ENOTDIR' });
  }
  if (process.platform !== 'win32' && (created || tightenExisting)) {
    const st = await fsp.stat(dir);
    if ((st.mode & 0o777) !== PRIVATE_DIR_MODE) await fsp.chmod(dir, PRIVATE_DIR_MODE);
  }
  if (created) await fsyncDir(dirname(dir));
  return created;
}

/**
 * rename(2), i.e. MoveFileEx(MOVEFILE_REPLACE_EXISTING) on Windows. There a rename over a
 * file that another program holds open without FILE_SHARE_DELETE (an antivirus scan, a
 * `type` in the header command) fails with EPERM/EBUSY/EACCES for a moment, so it is
 * retried briefly; elsewhere such an error is real and thrown at once.
 */
export async function renameOver(from: string, to: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fsp.rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const transient = platform === 'win32' && (code === 'EPERM' || code === 'EBUSY' || code === 'EACCES');
      if (!transient || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 5 * (attempt + 1)));
    }
  }
}

/** Writes a new file (it must not exist) with `mode`, fsynced before it is closed. */
export async function writeNewFile(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  const fh = await fsp.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await fh.writeFile(data);
    if (process.platform !== 'win32') await fh.chmod(mode); // the umask may have narrowed it
    await fh.sync();
  } catch (err) {
    throw withPath(err, path);
  } finally {
    await fh.close();
  }
}

/**
 * Errors from a file handle (write, sync: ENOSPC, EIO) carry no path; give them the one we
 * know, so the user error made of them (base/fs-errors.ts) can name it.
 */
export function withPath(err: unknown, path: string): unknown {
  if (err && typeof err === 'object' && typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).path === undefined) {
    (err as NodeJS.ErrnoException).path = path;
  }
  return err;
}

/** Replaces `path` with `data` so a reader sees the old or the new file, never a mix. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = PRIVATE_FILE_MODE): Promise<void> {
  const dir = dirname(path);
  const tmp = tempName(dir, basename(path));
  try {
    await writeNewFile(tmp, data, mode);
    await renameOver(tmp, path);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}

/** Points the symlink `linkPath` at `target` (relative) with one rename of a fresh link over it. */
export async function replaceSymlink(linkPath: string, target: string): Promise<void> {
  const dir = dirname(linkPath);
  const tmp = tempName(dir, basename(linkPath));
  try {
    await fsp.symlink(target, tmp, 'dir');
    await fsp.rename(tmp, linkPath);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}

/** readlink, or null when there is no link (ENOENT) or the entry is not a link (EINVAL). */
export async function readLinkOrNull(path: string): Promise<string | null> {
  try {
    return await fsp.readlink(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EINVAL' || code === 'ENOTDIR') return null;
    throw err;
  }
}

export async function readFileOrNull(path: string): Promise<string | null> {
  try {
    return await fsp.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
