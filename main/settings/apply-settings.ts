/**
 * `settings apply` and `settings remove` for one file and for a list of targets. Per file:
 * snapshot → compute the whole new text → (backup) → one atomic replace if the text changes,
 * redone from a fresh read when the editor saved the file in between. A dry run stops before
 * any write and reports the diff.
 */
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import type { Node } from 'jsonc-parser';
import { UserError, isUserError } from '../base/errors';
import type { EditorTarget } from './editor-discovery';
import { ABSENT, decodeSettingsBytes, encodeSettingsText, parseSettingsBody, readTopLevelValue, sameState, type SettingsText } from './jsonc-text';
import { CODER_KEYS, OWNED_KEYS, listsKey, type DesiredCoderSettings, type OwnedKey } from './owned-keys';
import {
  deleteBackupRecord,
  loadBackupRecord,
  loadOriginalBytes,
  nextBackupRecord,
  revertBackup,
  saveBackup,
  sha256Hex,
  type BackupRecord,
} from './settings-backup';
import type { KeyTarget } from './settings-edit';
import { isReadOnly, readSnapshot, resolveSettingsTarget, removeStaleTemps, replaceIfUnchanged, unlinkIfUnchanged, type FileSnapshot, type ReplaceHooks } from './settings-file-io';
import { noticesFor, reloadKeysOf, unifiedDiff, warningsFor, type SettingsFileResult } from './settings-result';
import { computeSettingsUpdate, readOwnedValues, targetsForApply, type KeyChange } from './settings-update';

export const DEFAULT_MAX_ATTEMPTS = 5;

interface CommonRequest {
  /** `<data-dir>/settings-backups`. */
  backupDir: string;
  dryRun?: boolean;
  /** Decides the line ending of a file we create; default process.platform. */
  platform?: NodeJS.Platform;
  now?: () => Date;
  /** Reads of a file that keeps changing under us before we give up (default 5). */
  maxAttempts?: number;
  hooks?: ReplaceHooks;
}

export interface ApplyRequest extends CommonRequest {
  desired: DesiredCoderSettings;
  /** The user agreed to `http.proxySupport: "on"` where it is unset, `override` or `fallback`. */
  proxyConsent?: boolean;
}

export interface RemoveRequest extends CommonRequest {
  /**
   * Our current values (the stable paths), used only for a file with no backup record (made
   * by an older install, or the record was deleted): keys still holding exactly these values
   * are removed, anything else is left alone.
   */
  ownedValues?: DesiredCoderSettings;
}

/** One planned outcome for the current snapshot. */
interface Plan {
  /** New bytes; null = delete the file (remove, when there was none before us). */
  bytes: Buffer | null;
  beforeBody: string;
  afterBody: string;
  changes: KeyChange[];
  after: Record<OwnedKey, ReturnType<typeof readTopLevelValue>>;
  notices: string[];
  /** Runs once we know we will write, before the write (backups). */
  beforeWrite?: () => Promise<void>;
  /** Undoes beforeWrite when the write did not happen after all. */
  undoBeforeWrite?: () => Promise<void>;
}

function textOf(snap: FileSnapshot): SettingsText {
  return snap.bytes === null ? { bom: false, body: '' } : decodeSettingsBytes(snap.bytes, snap.target);
}

function sameBuffer(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

/** The file holds exactly `bytes` (null: does not exist): our write landed. */
async function holds(file: string, bytes: Buffer | null): Promise<boolean> {
  try {
    const now = await fsp.readFile(file);
    return bytes !== null && now.equals(bytes);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return bytes === null;
    throw err;
  }
}

function requireInstalled(target: EditorTarget): void {
  if (target.installed) return;
  if (target.id === 'custom') {
    throw new UserError('SETTINGS_DIR_MISSING', `the folder of ${target.settingsPath} does not exist`, `Check the path, or create ${target.userDataDir} first.`);
  }
  throw new UserError(
    'EDITOR_NOT_INSTALLED',
    `${target.name} does not seem to be installed: ${target.userDataDir} does not exist`,
    `Start ${target.name} once so it creates its settings folder, or name the file with --settings-file.`,
  );
}

async function runPlan(target: EditorTarget, req: CommonRequest, plan: (snap: FileSnapshot) => Promise<Plan>): Promise<SettingsFileResult> {
  requireInstalled(target);
  const maxAttempts = req.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  let undo: (() => Promise<void>) | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const snap = await readSnapshot(target.settingsPath);
    const p = await plan(snap);
    const changed = !sameBuffer(p.bytes, snap.bytes);
    const result: SettingsFileResult = {
      editor: target.id,
      name: target.name,
      path: target.settingsPath,
      target: snap.target,
      changed,
      wrote: false,
      dryRun: req.dryRun === true,
      created: changed && snap.bytes === null,
      deleted: changed && p.bytes === null,
      keys: p.changes.map((c) => c.key),
      reloadKeys: reloadKeysOf(p.changes),
      changes: p.changes,
      diff: changed ? unifiedDiff(target.settingsPath, p.beforeBody, p.afterBody) : '',
      notices: p.notices,
      warnings: warningsFor(target.settingsPath, p.after),
      attempts: attempt,
    };
    if (!changed || req.dryRun) return result;
    if (isReadOnly(snap)) {
      throw new UserError(
        'SETTINGS_READ_ONLY',
        `${snap.target} is read-only; mtls-tray does not override that, and nothing was changed`,
        `Make it writable (chmod u+w "${snap.target}") and run this again, or add the settings yourself: mtls-tray settings apply --dry-run shows them.`,
      );
    }
    await p.beforeWrite?.();
    let outcome: string;
    try {
      if (p.bytes === null) {
        outcome = await unlinkIfUnchanged(snap);
      } else {
        await removeStaleTemps(snap.target);
        // An editor that is installed may not have created its User/ folder yet.
        if (snap.bytes === null && target.id !== 'custom') await fsp.mkdir(dirname(snap.target), { recursive: true });
        outcome = await replaceIfUnchanged(snap, p.bytes, req.hooks);
      }
    } catch (err) {
      if (!(await holds(snap.target, p.bytes).catch(() => true))) await p.undoBeforeWrite?.();
      throw err;
    }
    if (outcome !== 'conflict') return { ...result, wrote: true };
    undo = p.undoBeforeWrite;
  }
  await undo?.();
  throw new UserError(
    'SETTINGS_BUSY',
    `${target.settingsPath} kept changing while mtls-tray was updating it (${maxAttempts} tries); nothing was written`,
    'Let the editor finish saving (or close it) and run this again.',
  );
}

/**
 * Brings one settings file to the desired state with at most one write. Throws UserError
 * (nothing written) for invalid JSONC, a root that is not an object, a read-only file, a file
 * that keeps changing, or an editor that is not installed.
 */
export async function applySettingsFile(target: EditorTarget, req: ApplyRequest): Promise<SettingsFileResult> {
  const platform = req.platform ?? process.platform;
  const now = req.now ?? (() => new Date());
  const { target: realFile } = await resolveSettingsTarget(target.settingsPath);
  const record = await loadBackupRecord(req.backupDir, realFile).catch((err) => {
    if (req.dryRun) return null; // a dry run needs no record
    throw err;
  });
  return runPlan(target, req, async (snap) => {
    const text = textOf(snap);
    const update = computeSettingsUpdate(text.body, snap.target, platform, (root) => targetsForApply(root, req.desired, req.proxyConsent === true));
    const bytes = update.body === text.body ? snap.bytes : encodeSettingsText({ bom: text.bom, body: update.body });
    return {
      bytes,
      beforeBody: text.body,
      afterBody: update.body,
      changes: update.changes,
      after: update.after,
      notices: noticesFor(target, update.changes),
      beforeWrite: () =>
        saveBackup(
          req.backupDir,
          nextBackupRecord(record, { settingsPath: target.settingsPath, target: snap.target, now: now(), beforeBytes: snap.bytes, afterBytes: bytes ?? Buffer.alloc(0), changes: update.changes }),
          snap.bytes,
          record === null,
        ),
      undoBeforeWrite: () => revertBackup(req.backupDir, snap.target, record),
    };
  });
}

/** The state each key goes back to, and the keys the user changed after us (left alone). */
function targetsForRemove(root: Node | undefined, record: BackupRecord | null, ownedValues: DesiredCoderSettings | undefined, leftAlone: OwnedKey[]): KeyTarget[] {
  const targets: KeyTarget[] = [];
  if (record) {
    for (const key of OWNED_KEYS) {
      const applied = record.applied[key];
      if (!applied) continue;
      const previous = record.previous[key] ?? ABSENT;
      const current = readTopLevelValue(root, key);
      if (sameState(current, applied)) targets.push({ key, state: previous });
      else if (!sameState(current, previous)) leftAlone.push(key);
    }
    return targets;
  }
  if (ownedValues) {
    for (const key of CODER_KEYS) {
      const ours = listsKey(ownedValues, key) ? ownedValues[key] : undefined;
      if (typeof ours !== 'string') continue;
      const current = readTopLevelValue(root, key);
      if (current.present && current.value === ours) targets.push({ key, state: ABSENT });
    }
  }
  return targets;
}

/**
 * Undoes our changes to one file with at most one write. With a backup record: every key we
 * set goes back to its value before our first change (or away, if it was absent), unless the
 * user changed it since; when nobody else touched the file since our last write, the original
 * bytes are put back exactly (comments, blank lines, everything). Without a record: keys that
 * still hold `ownedValues` are removed. The record is dropped after a successful remove.
 */
export async function removeSettingsFile(target: EditorTarget, req: RemoveRequest): Promise<SettingsFileResult> {
  const platform = req.platform ?? process.platform;
  const { target: realFile } = await resolveSettingsTarget(target.settingsPath);
  const record = await loadBackupRecord(req.backupDir, realFile);
  const original = record ? await loadOriginalBytes(req.backupDir, record) : null;
  const result = await runPlan(target, req, async (snap) => {
    const text = textOf(snap);
    const exact =
      record !== null && record.contiguous && snap.bytes !== null && sha256Hex(snap.bytes) === record.lastWrittenSha256 && (original !== null || !record.originalExisted);
    if (exact) {
      const restored = original === null ? { bom: false, body: '' } : decodeSettingsBytes(original, snap.target);
      const before = readOwnedValues(parseSettingsBody(text.body, snap.target));
      const after = readOwnedValues(parseSettingsBody(restored.body, snap.target));
      const changes = OWNED_KEYS.filter((k) => !sameState(before[k], after[k])).map((key) => ({ key, before: before[key], after: after[key] }));
      return { bytes: original, beforeBody: text.body, afterBody: restored.body, changes, after, notices: noticesFor(target, changes) };
    }
    const leftAlone: OwnedKey[] = [];
    const update = computeSettingsUpdate(text.body, snap.target, platform, (root) => targetsForRemove(root, record, req.ownedValues, leftAlone));
    const notices = [...noticesFor(target, update.changes), ...leftAlone.map((k) => `${k} was changed after mtls-tray set it; left as it is.`)];
    if (!record && !req.ownedValues) notices.push('mtls-tray has no record of changing this file; nothing to undo.');
    const bytes = update.body === text.body ? snap.bytes : encodeSettingsText({ bom: text.bom, body: update.body });
    return { bytes, beforeBody: text.body, afterBody: update.body, changes: update.changes, after: update.after, notices };
  });
  if (!req.dryRun && record) await deleteBackupRecord(req.backupDir, record.target);
  return result;
}

/** Runs `one` over every target; a UserError becomes that file's `error`, the others go on. */
async function eachTarget(targets: readonly EditorTarget[], one: (t: EditorTarget) => Promise<SettingsFileResult>): Promise<SettingsFileResult[]> {
  const out: SettingsFileResult[] = [];
  for (const t of targets) {
    try {
      out.push(await one(t));
    } catch (err) {
      if (!isUserError(err)) throw err;
      out.push({
        editor: t.id,
        name: t.name,
        path: t.settingsPath,
        target: t.settingsPath,
        changed: false,
        wrote: false,
        dryRun: false,
        created: false,
        deleted: false,
        keys: [],
        reloadKeys: [],
        changes: [],
        diff: '',
        notices: [],
        warnings: [],
        attempts: 0,
        error: { code: err.code, message: err.message, ...(err.fix !== undefined ? { fix: err.fix } : {}) },
      });
    }
  }
  return out;
}

export function applySettings(targets: readonly EditorTarget[], req: ApplyRequest): Promise<SettingsFileResult[]> {
  return eachTarget(targets, (t) => applySettingsFile(t, req));
}

export function removeSettings(targets: readonly EditorTarget[], req: RemoveRequest): Promise<SettingsFileResult[]> {
  return eachTarget(targets, (t) => removeSettingsFile(t, req));
}
