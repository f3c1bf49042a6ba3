/**
 * From "what the caller wants" to "the exact new text of one settings file", with no I/O:
 * decides the target state of each key we own, runs the text edit, and checks the result
 * before anyone writes it (it parses, and holds exactly the wanted values).
 */
import type { Node } from 'jsonc-parser';
import { ABSENT, parseSettingsBody, present, readTopLevelValue, sameState, type ValueState } from './jsonc-text';
import {
  CODER_KEYS,
  OWNED_KEYS,
  PROXY_SUPPORT_KEY,
  listsKey,
  proxySupportNeedsChange,
  type DesiredCoderSettings,
  type OwnedKey,
} from './owned-keys';
import { editTopLevelKeys, type KeyTarget } from './settings-edit';
import { detectFormat } from './text-format';

export interface KeyChange {
  key: OwnedKey;
  before: ValueState;
  after: ValueState;
}

export interface SettingsUpdate {
  /** The new text (without BOM), identical to the input when nothing changes. */
  body: string;
  /** Keys whose value (as VS Code reads it) changes, in OWNED_KEYS order. */
  changes: KeyChange[];
  /** Every owned key's value before and after. */
  before: Record<OwnedKey, ValueState>;
  after: Record<OwnedKey, ValueState>;
}

/** The target state of each key an apply touches. */
export function targetsForApply(root: Node | undefined, desired: DesiredCoderSettings, proxyConsent: boolean): KeyTarget[] {
  const targets: KeyTarget[] = [];
  for (const key of CODER_KEYS) {
    if (!listsKey(desired, key)) continue;
    const value = desired[key];
    targets.push({ key, state: value === undefined || value === null ? ABSENT : present(value) });
  }
  if (proxyConsent) {
    const current = readTopLevelValue(root, PROXY_SUPPORT_KEY);
    if (proxySupportNeedsChange(current.present ? current.value : undefined)) {
      targets.push({ key: PROXY_SUPPORT_KEY, state: present('on') });
    }
  }
  return targets;
}

export function readOwnedValues(root: Node | undefined): Record<OwnedKey, ValueState> {
  const out = {} as Record<OwnedKey, ValueState>;
  for (const key of OWNED_KEYS) out[key] = readTopLevelValue(root, key);
  return out;
}

/**
 * Applies `targets` (built by the caller from `root`, the parse of `body`) and verifies the
 * outcome. Throws UserError for a file we must not touch (invalid JSONC, root not an object).
 */
export function computeSettingsUpdate(
  body: string,
  file: string,
  platform: NodeJS.Platform,
  makeTargets: (root: Node | undefined) => KeyTarget[],
): SettingsUpdate {
  const root = parseSettingsBody(body, file);
  const before = readOwnedValues(root);
  const targets = makeTargets(root);
  const newBody = targets.length === 0 ? body : editTopLevelKeys(body, targets, detectFormat(body, root, platform), OWNED_KEYS, root);

  let newRoot: Node | undefined = root;
  try {
    if (newBody !== body) newRoot = parseSettingsBody(newBody, file);
  } catch (err) {
    throw new Error(`internal error: the edit of ${file} would not parse (${(err as Error).message}); nothing was written`);
  }
  for (const t of targets) {
    const got = readTopLevelValue(newRoot, t.key);
    if (!sameState(got, t.state)) throw new Error(`internal error: the edit of ${file} did not set ${t.key}; nothing was written`);
  }
  const after = readOwnedValues(newRoot);
  const changes = OWNED_KEYS.filter((k) => !sameState(before[k], after[k])).map((key) => ({ key, before: before[key], after: after[key] }));
  return { body: newBody, changes, before, after };
}
