/**
 * Drift of the coder.* settings (issue 17): which keys of one settings.json no longer hold the
 * values mtls-tray would write, and the one sentence that says so. Pure: the values come from
 * readCoderSettings, the wanted ones from settingsValues. `status`, `doctor` and the tray's
 * drift watch all word a drifted key through describeSettingDrift, so the three cannot disagree.
 *
 * A key is compared the way the Coder extension reads it: trimmed, an empty string meaning
 * unset, and for the three file keys after its expandPath (`${env:VAR}`, a leading `~`,
 * `${userHome}`), so a hand-written `~/…` spelling of our path is not drift.
 */
import { CODER_KEYS, listsKey, type CoderKey, type DesiredCoderSettings } from './owned-keys';
import { expandSettingPath, PATH_KEYS, samePath, type PathContext } from './setting-paths';

export interface SettingDrift {
  key: CoderKey;
  /** What mtls-tray writes; null = the key must be unset. */
  expected: string | null;
  /** What the file holds (undefined = absent), as read. */
  actual: unknown;
}

/** What the extension uses for a value: trimmed text, `undefined` for unset, or the odd non-string as is. */
function effective(raw: unknown): string | undefined | { invalid: unknown } {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return { invalid: raw };
  const t = raw.trim();
  return t === '' ? undefined : t;
}

/** Whether `have` (from the file) means what `want` (ours) means for `key`. */
export function sameSettingValue(key: CoderKey, have: unknown, want: string | null | undefined, ctx: PathContext): boolean {
  const h = effective(have);
  const w = effective(want);
  if (typeof h === 'object' || typeof w === 'object') return false;
  if (h === undefined || w === undefined) return h === w;
  if (PATH_KEYS.includes(key)) return samePath(expandSettingPath(h, ctx), expandSettingPath(w, ctx), ctx.platform);
  // The extension expands the alt host too; host names compare without case.
  if (key === 'coder.tlsAltHost') return expandSettingPath(h, ctx).toLowerCase() === expandSettingPath(w, ctx).toLowerCase();
  return h === w;
}

/** Every key `desired` lists whose value in `values` differs, in CODER_KEYS order. */
export function settingsDrift(values: Readonly<Record<string, unknown>>, desired: DesiredCoderSettings, ctx: PathContext): SettingDrift[] {
  const out: SettingDrift[] = [];
  for (const key of CODER_KEYS) {
    if (!listsKey(desired, key)) continue;
    const want = desired[key];
    if (!sameSettingValue(key, values[key], want, ctx)) out.push({ key, expected: want ?? null, actual: values[key] });
  }
  return out;
}

export interface SettingsMatch {
  /** Every key the caller lists has the wanted value. */
  configured: boolean;
  mismatched: CoderKey[];
}

/** Whether `values` (from readCoderSettings) already say what `desired` says. */
export function coderSettingsMatch(values: Readonly<Record<string, unknown>>, desired: DesiredCoderSettings, ctx: PathContext): SettingsMatch {
  const mismatched = settingsDrift(values, desired, ctx).map((d) => d.key);
  return { configured: mismatched.length === 0, mismatched };
}

/** What mtls-tray's value is, in words: "mtls-tray's file (…)", "mtls-tray's header script (…)". */
const OURS: Record<CoderKey, string> = {
  'coder.tlsCertFile': "mtls-tray's file",
  'coder.tlsKeyFile': "mtls-tray's file",
  'coder.tlsCaFile': "mtls-tray's file",
  'coder.tlsAltHost': "the profile's server name",
  'coder.headerCommand': "mtls-tray's header script",
  'coder.tlsCertRefreshCommand': "mtls-tray's refresh script",
};

/** Why mtls-tray leaves a key unset (DESIGN §3, §4). */
const UNSET_BECAUSE: Partial<Record<CoderKey, string>> = {
  'coder.tlsCaFile': 'the profile has no CA bundle, and a CA file would replace the default trust',
  'coder.tlsAltHost': 'the profile has no alt host',
  'coder.headerCommand': 'the profile has no headers, so no process needs to run per request',
};

function shown(v: unknown): string {
  return typeof v === 'string' ? v.trim() : JSON.stringify(v);
}

/**
 * One line for one drifted key, e.g. "coder.tlsCertFile in Cursor now points at /x, not at
 * mtls-tray's file (/d/active/current/client.crt)". `managed`: we wrote this file, so the
 * value changed after our write ("now"); otherwise it simply differs.
 */
export function describeSettingDrift(d: SettingDrift, editorName: string, managed = true): string {
  const now = managed ? ' now' : '';
  const where = `${d.key} in ${editorName}`;
  const have = effective(d.actual);
  const isPath = PATH_KEYS.includes(d.key);
  const isCommand = d.key === 'coder.headerCommand' || d.key === 'coder.tlsCertRefreshCommand';
  if (d.expected === null) {
    const why = UNSET_BECAUSE[d.key];
    const is = isPath ? `${now} points at ${shown(d.actual)}` : isCommand ? `${now} runs ${shown(d.actual)}` : ` is${now} ${JSON.stringify(d.actual)}`;
    return `${where}${is}; mtls-tray leaves it unset${why ? ` (${why})` : ''}`;
  }
  const ours = `${OURS[d.key]} (${d.expected})`;
  if (have === undefined) return `${where} is${managed ? ' no longer' : ' not'} set; it should name ${ours}`;
  if (typeof have === 'object') return `${where}${now} holds ${JSON.stringify(d.actual)}, not a text value; it should name ${ours}`;
  if (isPath) return `${where}${now} points at ${have}, not at ${ours}`;
  if (isCommand) return `${where}${now} runs ${have}, not ${ours}`;
  return `${where} is${now} ${JSON.stringify(have)}, not ${ours}`;
}
