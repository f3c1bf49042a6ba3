/**
 * Disk faults are the machine's state, not bugs: a full disk, a read-only mount, a file we may
 * not write, a directory or a planted link where a file belongs. Node reports them as errno
 * errors carrying the path; this is the one place that turns them into UserErrors naming that
 * path and what to do. Every write is a temp file + rename, so what was in place before is
 * still in place when one of these stops a command (leftover temp files are swept on the next
 * write).
 */
import { UserError } from './errors';
import { quotePosixIfNeeded } from './shell-quote';

const UNCHANGED = 'nothing was changed: what was in place before is still in place';

export function diskFaultToUserError(err: unknown): UserError | null {
  if (err === null || typeof err !== 'object') return null;
  const e = err as NodeJS.ErrnoException & { dest?: string };
  if (typeof e.code !== 'string') return null;
  const raw = e.dest ?? e.path;
  // A temp file of ours means nothing to the user; its folder does.
  const path = raw && /(^|[\\/])\.[^\\/]*tmp-[^\\/]*$/.test(raw) ? raw.replace(/[\\/][^\\/]*$/, '') : raw;
  const where = path ? ` (${path})` : '';
  const q = path ? quotePosixIfNeeded(path) : 'the path';
  switch (e.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new UserError('DISK_FULL', `The disk is full${e.code === 'EDQUOT' ? ' (your quota is used up)' : ''}: cannot write${where}; ${UNCHANGED}.`, `Free some space on that disk (\`df -h ${q}\` shows it), then run the same command again.`);
    case 'EROFS':
      return new UserError('READ_ONLY_FS', `The file system is read-only: cannot write${where}; ${UNCHANGED}.`, 'Remount it read-write, or use a data directory on a writable disk with --data-dir DIR (or MTLS_TRAY_HOME=DIR).');
    case 'EACCES':
    case 'EPERM':
      return new UserError('PERMISSION_DENIED', `Permission denied${where}; ${UNCHANGED}.`, `Check who owns it with \`ls -ld ${q}\`; make it yours with \`chmod u+rwX ${q}\` (or \`sudo chown "$(id -u)" ${q}\`), or choose another path.`);
    case 'EISDIR':
      return new UserError('PATH_IS_DIRECTORY', `${path ?? 'The path'} is a directory where a file is expected; ${UNCHANGED}.`, `Move it away (\`mv ${q} ${path ? quotePosixIfNeeded(`${path}.bak`) : 'BACKUP'}\`) or choose another path, then run the same command again.`);
    case 'ELOOP':
      return new UserError('PATH_IS_LINK', `${path ?? 'The path'} is a symbolic link (or a loop of them) where mtls-tray writes only regular files; ${UNCHANGED}.`, `If you did not make it yourself, remove it with \`rm ${q}\`, then run the same command again.`);
    case 'ENOTDIR':
      return new UserError('PATH_NOT_DIRECTORY', `A part of ${path ?? 'the path'} is a file where a directory is expected; ${UNCHANGED}.`, `Check the path with \`ls -ld ${q}\` and move the file that is in the way, or choose another path.`);
    default:
      return null;
  }
}
