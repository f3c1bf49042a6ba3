/**
 * The current values of the keys we own in one settings file, for `settings show`, the
 * window's editor list and the doctor. Read-only; follows a symlinked settings.json.
 */
import type { EditorStateFields } from '../base/editor-state';
import { isUserError } from '../base/errors';
import type { EditorTarget } from './editor-discovery';
import { decodeSettingsBytes, parseSettingsBody } from './jsonc-text';
import { OWNED_KEYS, PROXY_SUPPORT_KEY, type DesiredCoderSettings, type OwnedKey } from './owned-keys';
import { coderSettingsMatch } from './drift';
import type { PathContext } from './setting-paths';
import { readSnapshot } from './settings-file-io';
import { warningsFor, type SettingsWarning } from './settings-result';
import { readOwnedValues } from './settings-update';

export interface CoderSettingsSnapshot {
  path: string;
  /** The file read (the symlink's target). */
  target: string;
  exists: boolean;
  /** Each owned key's value as VS Code reads it (last occurrence wins); undefined when absent. */
  values: Record<OwnedKey, unknown>;
  /** What VS Code uses: the value, or its default "override" when unset. */
  proxySupport: unknown;
  /** PROXY_SUPPORT_OVERRIDE when a client cert is set but the proxy switch drops it. */
  warnings: SettingsWarning[];
}

/** Throws UserError SETTINGS_INVALID_JSONC (file, line, column) or SETTINGS_NOT_OBJECT for a broken file. */
export async function readCoderSettings(file: string): Promise<CoderSettingsSnapshot> {
  const snap = await readSnapshot(file);
  const body = snap.bytes === null ? '' : decodeSettingsBytes(snap.bytes, snap.target).body;
  const states = readOwnedValues(parseSettingsBody(body, snap.target));
  const values = {} as Record<OwnedKey, unknown>;
  for (const key of OWNED_KEYS) {
    const s = states[key];
    values[key] = s.present ? s.value : undefined;
  }
  return {
    path: file,
    target: snap.target,
    exists: snap.bytes !== null,
    values,
    proxySupport: values[PROXY_SUPPORT_KEY] ?? 'override',
    warnings: warningsFor(file, states),
  };
}

/** The settings layer's view of one editor: the shared fields, with the values read and the warnings. */
export interface EditorSettingsState extends EditorStateFields {
  values: Record<OwnedKey, unknown>;
  warnings: SettingsWarning[];
}

/**
 * One line of `settings show` / the window's editor list (EditorStateDto is a subset). A broken
 * settings file is reported in `error` rather than thrown, so one bad editor does not hide the others.
 */
export async function describeEditor(target: EditorTarget, desired: DesiredCoderSettings, ctx: PathContext): Promise<EditorSettingsState> {
  const base = { id: target.id, name: target.name, settingsPath: target.settingsPath, installed: target.installed };
  try {
    const s = await readCoderSettings(target.settingsPath);
    const match = coderSettingsMatch(s.values, desired, ctx);
    const proxy = s.values[PROXY_SUPPORT_KEY];
    return {
      ...base,
      configured: match.configured,
      mismatched: match.mismatched,
      proxySupport: typeof proxy === 'string' ? proxy : proxy === undefined ? null : JSON.stringify(proxy),
      values: s.values,
      warnings: s.warnings,
    };
  } catch (err) {
    if (!isUserError(err)) throw err;
    const values = Object.fromEntries(OWNED_KEYS.map((k) => [k, undefined])) as Record<OwnedKey, unknown>;
    return {
      ...base,
      configured: false,
      mismatched: [],
      proxySupport: null,
      values,
      warnings: [],
      error: { code: err.code, message: err.message, ...(err.fix !== undefined ? { fix: err.fix } : {}) },
    };
  }
}
