// The data dir must be ours alone. The editor runs bin/coder-header-command through `/bin/sh -c`
// on every request and reads the key through `active/current`: whoever can replace those runs
// code as the user or serves them a certificate. So before we write, and when status, doctor
// or refresh look, the data dir must be owned by the user and writable by nobody else, and the
// paths the editor follows must stay inside it. Otherwise: refuse, naming the exact command
// that fixes it. (POSIX only; on Windows the profile directory's ACLs protect %LOCALAPPDATA%.)
import { promises as fsp, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { UserError } from '../base/errors';
import { quotePosix } from '../base/shell-quote';
import type { Layout } from './layout';

/** `<data>/settings-backups`: where the settings module keeps its backups. */
export const SETTINGS_BACKUP_DIR = 'settings-backups';

export interface OwnershipOptions {
  /** The settings backups folder, when the caller keeps one in the data dir. */
  extraDirs?: readonly string[];
  /** Injected for tests; defaults to the process's uid. */
  uid?: number;
}

function unsafe(message: string, fix: string): UserError {
  return new UserError('DATA_DIR_UNSAFE', message, fix);
}

async function statOrNull(path: string, follow: boolean): Promise<Stats | null> {
  try {
    return follow ? await fsp.stat(path) : await fsp.lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function checkOwnedPrivate(path: string, st: Stats, uid: number, what: string): void {
  if (st.uid !== uid) {
    throw unsafe(
      `${what} ${path} belongs to user id ${st.uid}, not to you (user id ${uid}): that user could replace the scripts your editor runs.`,
      `Use a data directory of your own (--data-dir or MTLS_TRAY_HOME), or take it over: \`sudo chown -R ${uid} ${quotePosix(path)} && chmod 700 ${quotePosix(path)}\`.`,
    );
  }
  if ((st.mode & 0o022) !== 0) {
    throw unsafe(
      `${what} ${path} is writable by ${st.mode & 0o002 ? 'every user' : 'its group'} (mode ${(st.mode & 0o777).toString(8)}): they could replace the scripts your editor runs.`,
      `Run \`chmod 700 ${quotePosix(path)}\`.`,
    );
  }
}

/** `path` resolves (through symlinks) to `root` itself or somewhere below it. */
async function resolvesInside(path: string, root: string): Promise<{ inside: boolean; real: string | null }> {
  try {
    const real = await fsp.realpath(path);
    return { inside: real === root || real.startsWith(root + sep), real };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { inside: true, real: null }; // dangling: recovery's business
    throw err;
  }
}

/**
 * Throws DATA_DIR_UNSAFE when the data dir is not the user's alone or when bin/, active,
 * profiles/, profiles/<id>/current or an extra dir resolve outside it. A data dir that does not
 * exist yet is fine (we create it 0700).
 */
export async function assertDataDirOwned(layout: Layout, opts: OwnershipOptions = {}): Promise<void> {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return;
  const uid = opts.uid ?? process.getuid();
  const top = await statOrNull(layout.dataDir, true);
  if (top === null) return;
  checkOwnedPrivate(layout.dataDir, top, uid, 'The data directory');
  const root = await fsp.realpath(layout.dataDir);

  // The settings backups (copies of the user's settings.json, possibly with their tokens) are
  // written under the data dir too: a planted symlink there would be written through.
  const watched = [layout.binDir, layout.profilesDir, layout.activeLink, join(layout.dataDir, SETTINGS_BACKUP_DIR), ...(opts.extraDirs ?? [])];
  let ids: string[] = [];
  try {
    ids = await fsp.readdir(layout.profilesDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const id of ids) watched.push(join(layout.profilesDir, id, 'current'));

  // Each path is checked on its own; run them together and report the first problem in order.
  const checks = await Promise.allSettled(watched.map((path) => checkWatched(path, root, uid, layout)));
  for (const c of checks) if (c.status === 'rejected') throw c.reason;
}

async function checkWatched(path: string, root: string, uid: number, layout: Layout): Promise<void> {
  const { inside, real } = await resolvesInside(path, root);
  if (!inside) {
    throw unsafe(
      `${path} leads to ${real}, outside the data directory ${layout.dataDir}: the editor would run or read files that mtls-tray does not control.`,
      `If you did not make it yourself, remove it with \`rm ${quotePosix(path)}\`; mtls-tray writes nothing while it leads outside the data directory.`,
    );
  }
  const st = real === null ? null : await statOrNull(real, false);
  if (st?.isDirectory() && real !== root) checkOwnedPrivate(real!, st, uid, 'The folder');
}

/** The same check for status and doctor: the problem as a UserError, or null when the data dir is safe. */
export async function dataDirProblem(layout: Layout, opts: OwnershipOptions = {}): Promise<UserError | null> {
  try {
    await assertDataDirOwned(layout, opts);
    return null;
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
}
