/**
 * What `settings remove` needs to undo our changes: per settings file, a copy of the bytes it
 * had before our first modification and a record of the previous value (or absence) of every
 * key we changed, plus the value we set. Kept in the caller's backup directory
 * (`<data-dir>/settings-backups`), private (0700/0600): a settings.json may hold tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../base/errors';
import type { ValueState } from './jsonc-text';
import type { OwnedKey } from './owned-keys';
import type { KeyChange } from './settings-update';

export const BACKUP_RECORD_VERSION = 1;

export interface BackupRecord {
  version: number;
  /** The settings path as configured when we first wrote it. */
  settingsPath: string;
  /** The real file (end of the symlink chain); the record's identity. */
  target: string;
  createdAt: string;
  updatedAt: string;
  /** The file existed before our first write (else `remove` may delete it again). */
  originalExisted: boolean;
  /** Name (in the backup directory) of the copy of the original bytes; null when there was no file. */
  originalFile: string | null;
  /** Value of each key we changed, as it was before our first change of that key. */
  previous: Partial<Record<OwnedKey, ValueState>>;
  /** The value we last set for each key we changed (absent when we removed it). */
  applied: Partial<Record<OwnedKey, ValueState>>;
  /** SHA-256 of the bytes of our last write. */
  lastWrittenSha256: string | null;
  /** Every one of our writes started from the bytes of the previous one (nobody else edited
   *  in between), so the original bytes can be put back as they were. */
  contiguous: boolean;
}

export function sha256Hex(bytes: Buffer | null): string | null {
  return bytes === null ? null : createHash('sha256').update(bytes).digest('hex');
}

function recordId(target: string): string {
  return `settings-${createHash('sha256').update(target).digest('hex').slice(0, 16)}`;
}

function recordPath(dir: string, target: string): string {
  return join(dir, `${recordId(target)}.json`);
}

export async function loadBackupRecord(dir: string, target: string): Promise<BackupRecord | null> {
  const file = recordPath(dir, target);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let rec: BackupRecord;
  try {
    rec = JSON.parse(text) as BackupRecord;
  } catch {
    throw new UserError('SETTINGS_BACKUP_INVALID', `the settings backup record ${file} is not valid JSON`, `Delete ${file}; remove will then only clear values that point at mtls-tray.`);
  }
  if (rec.version !== BACKUP_RECORD_VERSION || rec.target !== target || typeof rec.previous !== 'object' || typeof rec.applied !== 'object') {
    throw new UserError('SETTINGS_BACKUP_INVALID', `the settings backup record ${file} is not one this version understands`, `Delete ${file}; remove will then only clear values that point at mtls-tray.`);
  }
  return rec;
}

/**
 * The record after one more write. The first write keeps the original bytes; later ones only
 * add keys changed for the first time, so `previous` always holds the pre-mtls-tray values.
 */
export function nextBackupRecord(
  existing: BackupRecord | null,
  args: { settingsPath: string; target: string; now: Date; beforeBytes: Buffer | null; afterBytes: Buffer; changes: KeyChange[] },
): BackupRecord {
  const at = args.now.toISOString();
  const rec: BackupRecord = existing
    ? { ...existing, previous: { ...existing.previous }, applied: { ...existing.applied }, updatedAt: at }
    : {
        version: BACKUP_RECORD_VERSION,
        settingsPath: args.settingsPath,
        target: args.target,
        createdAt: at,
        updatedAt: at,
        originalExisted: args.beforeBytes !== null,
        originalFile: args.beforeBytes === null ? null : `${recordId(args.target)}.original`,
        previous: {},
        applied: {},
        lastWrittenSha256: null,
        contiguous: true,
      };
  if (existing) rec.contiguous = existing.contiguous && sha256Hex(args.beforeBytes) === existing.lastWrittenSha256;
  for (const c of args.changes) {
    if (!(c.key in rec.previous)) rec.previous[c.key] = c.before;
    rec.applied[c.key] = c.after;
  }
  rec.lastWrittenSha256 = sha256Hex(args.afterBytes);
  return rec;
}

/** Writes the record, and on a first modification the copy of the original bytes, before the settings file is touched. */
export async function saveBackup(dir: string, rec: BackupRecord, originalBytes: Buffer | null, isFirst: boolean): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  await sweepBackupTemps(dir);
  // Both fsyncs run at once; both are done before the caller touches the settings file.
  await Promise.all([
    isFirst && rec.originalFile && originalBytes ? writePrivate(join(dir, rec.originalFile), originalBytes) : undefined,
    writePrivate(recordPath(dir, rec.target), Buffer.from(JSON.stringify(rec, null, 2) + '\n')),
  ]);
}

export async function loadOriginalBytes(dir: string, rec: BackupRecord): Promise<Buffer | null> {
  if (!rec.originalFile) return null;
  try {
    return await fsp.readFile(join(dir, rec.originalFile));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * After a successful remove: the record and the copy of the original bytes go, since the file
 * has them back and the copy may hold the user's own tokens. A later first write makes both anew.
 */
export async function deleteBackupRecord(dir: string, target: string): Promise<void> {
  await fsp.rm(recordPath(dir, target), { force: true });
  await fsp.rm(join(dir, `${recordId(target)}.original`), { force: true });
  await sweepBackupTemps(dir);
}

/** Temp files of writePrivate: `<name>.<pid>-<8 hex>.tmp`. */
const TEMP_RE = /\.(\d+)-[0-9a-f]{8}\.tmp$/;

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp files that a writer left when it died between create and rename (they may hold
 * a copy of settings.json). A temp file of a live process is in use and stays. Returns the
 * names removed. Runs before every backup write and after every remove, so a leftover lives at
 * most until the next settings write.
 */
export async function sweepBackupTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m || pidAlive(Number(m[1]))) continue;
    await fsp.rm(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Puts the backup back as it was before a write that did not happen (the file kept changing,
 * or the write failed): the previous record, or nothing at all when there was none.
 */
export async function revertBackup(dir: string, target: string, previous: BackupRecord | null): Promise<void> {
  if (previous) {
    await writePrivate(recordPath(dir, target), Buffer.from(JSON.stringify(previous, null, 2) + '\n'));
    return;
  }
  await fsp.rm(recordPath(dir, target), { force: true });
  await fsp.rm(join(dir, `${recordId(target)}.original`), { force: true });
}

async function writePrivate(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, path);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}
