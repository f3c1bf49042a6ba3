// One writer at a time across processes (tray, CLI, the editor's refresh hook).
//
// How: `<data>/writer.lock` is created atomically with its content already in it (written
// to a temp file, then link(2)ed to the lock name, which fails if the lock exists). It names
// its holder: pid, host, the process's start time and boot id (Linux), what it is doing and
// since when. A waiter that finds the lock checks whether the holder still lives (signal 0,
// and on Linux the same start time, so a recycled pid does not count); a dead holder's lock
// is broken, anything else is waited for, up to a bound, then reported by name.
//
// Why not a heartbeat: a holder busy in a long synchronous step (RSA-4096 key generation)
// would miss beats and lose its lock; liveness of the pid is what actually matters.
//
// Breaking a stale lock: it is renamed aside under a name of our own and read back; only if
// it is the very lock we judged dead (same nonce) is it deleted. Otherwise a live holder
// replaced it in the meantime and it is linked back. The one case this cannot fix (a third
// process taking the lock in the microseconds between those two steps) is caught by
// `assertHeld()`, which writers call right before they swap `current`.
import { randomBytes } from 'node:crypto';
import { readFileSync, promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { UserError } from '../base/errors';
import { tempName } from '../base/fs-atomic';
import { quotePosix } from '../base/shell-quote';

export interface LockHolder {
  pid: number;
  host: string;
  /** What the holder is doing, for the message a waiter shows ("rotate acme"). */
  purpose: string;
  acquiredAt: string;
  /** Unique per acquisition: tells this lock from a later one by the same process. */
  nonce: string;
  /** Linux: process start time (clock ticks since boot) from /proc/<pid>/stat. */
  procStart?: string | null;
  /** Linux: /proc/sys/kernel/random/boot_id; a lock from an earlier boot is always stale. */
  bootId?: string | null;
}

export interface LockOptions {
  purpose: string;
  /** How long to wait for a live holder before giving up (default 15 s). */
  waitMs?: number;
  /** Poll interval while waiting (default 25 ms, with jitter). */
  pollMs?: number;
  /** A lock file we cannot parse (torn write on a filesystem without link) counts as stale after this long. */
  unreadableStaleMs?: number;
}

export interface HeldLock {
  readonly holder: LockHolder;
  /** Locks of dead holders removed on the way in: a sign that recovery should run. */
  readonly brokeStale: readonly LockHolder[];
  /** Throws if our lock is no longer the one on disk. */
  assertHeld(): Promise<void>;
  /** True once release() was called. */
  readonly released: boolean;
  release(): Promise<void>;
}

export const DEFAULT_LOCK_WAIT_MS = 15_000;

const selfProcStart = readProcStart(process.pid);
const selfBootId = readBootId();

function readProcStart(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces and parentheses: count fields after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] ?? null; // field 22, starttime
  } catch {
    return null;
  }
}

function readBootId(): string | null {
  if (process.platform !== 'linux') return null;
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** Whether the process named in a lock may still be running. Unknown counts as alive. */
export function isHolderAlive(h: LockHolder): boolean {
  // pid 0 and negative pids name process groups for kill(2): "alive" forever, but no writer.
  if (!Number.isSafeInteger(h.pid) || h.pid <= 0) return false;
  if (h.host !== hostname()) return true; // another machine on a shared filesystem: cannot tell
  if (h.bootId && selfBootId && h.bootId !== selfBootId) return false;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: it exists but belongs to someone else; fall through to the start-time check.
  }
  if (h.procStart) {
    const now = readProcStart(h.pid);
    if (now === null) return process.platform !== 'linux'; // vanished between the two checks
    if (now !== h.procStart) return false; // the pid was recycled
  }
  return true;
}

/**
 * A lock whose liveness cannot be checked although it names a process on this machine: every
 * mtls-tray writer on Linux records its start time, so a lock without one was not written by a
 * working writer here (a planted or hand-made file). It is treated like an unreadable lock:
 * stale once it is older than the grace period, instead of blocking every writer forever.
 */
export function isHolderUnverifiable(h: LockHolder): boolean {
  return process.platform === 'linux' && selfProcStart !== null && h.host === hostname() && !h.procStart;
}

export function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.nonce !== 'string' || typeof v.host !== 'string') return null;
    return { purpose: '', acquiredAt: '', ...v } as LockHolder;
  } catch {
    return null;
  }
}

export async function readLockHolder(lockPath: string): Promise<LockHolder | null> {
  try {
    return parseHolder(await fsp.readFile(lockPath, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** Creates the lock holding `content`, or returns false if it exists. */
async function tryCreate(lockPath: string, content: string): Promise<boolean> {
  const tmp = tempName(dirname(lockPath), basename(lockPath));
  await fsp.writeFile(tmp, content, { flag: 'wx', mode: 0o600 });
  try {
    await fsp.link(tmp, lockPath);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (code === 'ENOENT') return false; // our temp was swept by a recovering holder: just retry
    if (!LINK_UNSUPPORTED.has(code)) throw err;
    // Filesystems without hard links (FAT, some network mounts): exclusive create, then write.
    // A waiter may see it empty for an instant; unreadable locks are treated as alive for a while.
    try {
      await fsp.writeFile(lockPath, content, { flag: 'wx', mode: 0o600 });
      return true;
    } catch (err2) {
      if ((err2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err2;
    }
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

/** Removes `lockPath` only if it is still the lock with `nonce` (or the unreadable file we judged). */
async function breakStale(lockPath: string, observedNonce: string | null): Promise<boolean> {
  const aside = tempName(dirname(lockPath), `${basename(lockPath)}-stale`);
  try {
    await fsp.rename(lockPath, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false; // someone else broke it
    throw err;
  }
  const moved = parseHolder(await fsp.readFile(aside, 'utf8').catch(() => ''));
  if ((moved?.nonce ?? null) === observedNonce) {
    await fsp.rm(aside, { force: true });
    return true;
  }
  // We moved a newer, live lock: put it back unless yet another one has appeared.
  try {
    await fsp.link(aside, lockPath);
  } catch {
    /* its holder will find out in assertHeld() */
  }
  await fsp.rm(aside, { force: true });
  return false;
}

function describeHolder(h: LockHolder): string {
  const where = h.host === hostname() ? `process ${h.pid}` : `process ${h.pid} on ${h.host}`;
  const what = h.purpose ? ` ("${h.purpose}")` : '';
  const since = h.acquiredAt ? ` since ${h.acquiredAt}` : '';
  return `${where}${what}${since}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Something that is not our lock file sits at the lock's path: explained, never removed by us. */
function notALockFile(lockPath: string, what: string): UserError {
  return new UserError(
    'LOCK_INVALID',
    `${lockPath} is ${what}, not mtls-tray's writer lock, so no change can be made safely.`,
    `Move it out of the way (e.g. \`mv ${quotePosix(lockPath)} ${quotePosix(`${lockPath}.bad`)}\`) and try again; mtls-tray creates the lock file itself.`,
  );
}

/**
 * A lock taken on another machine (a data dir on a shared filesystem). We cannot see whether
 * that process lives, so we wait like for a local one, then say exactly that and how to clear it.
 */
function foreignHostLock(lockPath: string, h: LockHolder, waitMs: number): UserError {
  return new UserError(
    'STORE_BUSY',
    `${lockPath} is held by ${describeHolder(h)}, another machine sharing this data directory; gave up after waiting ${Math.round(waitMs / 100) / 10} s (mtls-tray cannot tell from here whether that process still runs).`,
    `If no mtls-tray runs on ${h.host}, delete the lock with \`rm ${quotePosix(lockPath)}\` and try again; otherwise wait for it to finish.`,
  );
}

export async function acquireWriterLock(lockPath: string, opts: LockOptions): Promise<HeldLock> {
  const waitMs = opts.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const pollMs = opts.pollMs ?? 25;
  const unreadableStaleMs = opts.unreadableStaleMs ?? 10_000;
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    purpose: opts.purpose,
    acquiredAt: new Date().toISOString(),
    nonce: randomBytes(12).toString('hex'),
    procStart: selfProcStart,
    bootId: selfBootId,
  };
  const content = JSON.stringify(holder) + '\n';
  const brokeStale: LockHolder[] = [];
  const deadline = Date.now() + waitMs;
  let lastSeen: LockHolder | null = null;

  for (;;) {
    if (await tryCreate(lockPath, content)) break;
    let text: string;
    let mtimeMs: number;
    try {
      const st = await fsp.lstat(lockPath);
      if (!st.isFile()) throw notALockFile(lockPath, st.isDirectory() ? 'a directory' : st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file');
      [text, mtimeMs] = [await fsp.readFile(lockPath, 'utf8'), st.mtimeMs];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // released just now
      throw err;
    }
    const other = parseHolder(text);
    const oldEnough = Date.now() - mtimeMs > unreadableStaleMs;
    const stale = other ? !isHolderAlive(other) || (isHolderUnverifiable(other) && oldEnough) : oldEnough;
    if (stale) {
      if (await breakStale(lockPath, other?.nonce ?? null)) {
        brokeStale.push(other ?? { pid: 0, host: '?', purpose: 'unreadable lock file', acquiredAt: '', nonce: '' });
      }
      continue;
    }
    lastSeen = other;
    if (Date.now() >= deadline) {
      if (lastSeen && lastSeen.host !== hostname()) throw foreignHostLock(lockPath, lastSeen, waitMs);
      const who = lastSeen ? describeHolder(lastSeen) : 'a process that is still writing its lock file';
      throw new UserError(
        'STORE_BUSY',
        `Another mtls-tray writer holds ${lockPath}: ${who}; gave up after waiting ${Math.round(waitMs / 100) / 10} s.`,
        lastSeen ? `Wait for it to finish and try again. If process ${lastSeen.pid} is stuck, stop it and retry: its lock is released when it exits.` : 'Try again in a moment.',
      );
    }
    await sleep(pollMs / 2 + Math.random() * pollMs);
  }

  let released = false;
  return {
    holder,
    brokeStale,
    get released() {
      return released;
    },
    async assertHeld() {
      const now = await readLockHolder(lockPath);
      if (!now || now.nonce !== holder.nonce) {
        throw new Error(`lost the writer lock ${lockPath}${now ? ` to ${describeHolder(now)}` : ''}; nothing was published`);
      }
    },
    async release() {
      if (released) return;
      released = true;
      const now = await readLockHolder(lockPath);
      if (now && now.nonce === holder.nonce) await fsp.rm(lockPath, { force: true });
    },
  };
}
