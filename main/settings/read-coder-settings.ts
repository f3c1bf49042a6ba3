/**
 * The current values of the keys we own in one settings file, for `settings show`, the
 * window's editor list and the doctor. Read-only; follows a symlinked settings.json.
 */
import { decodeSettingsBytes, parseSettingsBody } from './jsonc-text';
import { OWNED_KEYS, PROXY_SUPPORT_KEY, type OwnedKey } from './owned-keys';
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
