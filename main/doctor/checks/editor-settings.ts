/**
 * Each configured editor: do its `coder.*` values match what the profile needs (the stable
 * paths and scripts), and does `http.proxySupport` let the extension's agent through?
 * Values are compared the way the extension reads them: trimmed, and for the path keys
 * after expanding a leading `~`, `${userHome}` and `${env:VAR}`.
 */
import { normalize } from 'node:path';
import type { DoctorCheck, EditorSnapshot } from '../types';

/** Keys whose value the extension passes through its expandPath (src/util.ts). */
const PATH_KEYS = new Set(['coder.tlsCertFile', 'coder.tlsKeyFile', 'coder.tlsCaFile']);
/** Expanded too, but a host name, not a path. */
const EXPANDED_KEYS = new Set([...PATH_KEYS, 'coder.tlsAltHost']);

export interface ExpandContext {
  homeDir: string;
  env: NodeJS.ProcessEnv;
}

/** The extension's expandPath: `${env:VAR}` first, then a leading `~`, then `${userHome}`. */
export function expandSettingPath(value: string, ctx: ExpandContext): string {
  const withEnv = value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => ctx.env[name] ?? '');
  const withTilde = withEnv.startsWith('~') ? ctx.homeDir + withEnv.slice(1) : withEnv;
  return withTilde.replaceAll('${userHome}', ctx.homeDir);
}

interface Mismatch {
  key: string;
  actual: unknown;
  expected: string | undefined;
}

/** What the extension would use for `key`: trimmed, expanded, '' meaning unset. */
function effective(key: string, raw: unknown, ctx: ExpandContext): string | undefined | { invalid: unknown } {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return { invalid: raw };
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  if (!EXPANDED_KEYS.has(key)) return trimmed;
  const expanded = expandSettingPath(trimmed, ctx);
  return PATH_KEYS.has(key) ? normalize(expanded) : expanded;
}

export function checkEditorSettings(
  editor: EditorSnapshot,
  expected: Record<string, string | undefined>,
  ctx: ExpandContext,
): DoctorCheck {
  const base = { id: `editor-settings:${editor.id}`, title: `${editor.id}: coder.* settings point at our files` };
  const mismatches: Mismatch[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const raw = editor.values[key];
    const have = effective(key, raw, ctx);
    const wanted = want === undefined ? undefined : effective(key, want, ctx);
    if (typeof have === 'object' || have !== wanted) mismatches.push({ key, actual: raw, expected: want });
  }
  if (mismatches.length === 0) {
    return { ...base, status: 'pass', detail: `all ${Object.keys(expected).length} keys as expected in ${editor.settingsPath}` };
  }
  return {
    ...base, status: 'fail', code: 'SETTINGS_MISMATCH', data: { settingsPath: editor.settingsPath, mismatches },
    detail: `${editor.settingsPath}: ${mismatches.map(describe).join('; ')}`,
    fix: `run mtls-tray settings apply --editor ${editor.id} (one write of all keys)`,
  };
}

function describe(m: Mismatch): string {
  if (m.expected === undefined) {
    return m.key === 'coder.tlsCaFile'
      ? `${m.key} is set to ${JSON.stringify(m.actual)} but the profile has no CA bundle (it would replace the default trust)`
      : `${m.key} is set to ${JSON.stringify(m.actual)} but should be unset`;
  }
  if (m.actual === undefined || m.actual === null || (typeof m.actual === 'string' && m.actual.trim() === '')) {
    return `${m.key} is not set (should be ${JSON.stringify(m.expected)})`;
  }
  return `${m.key} is ${JSON.stringify(m.actual)} (should be ${JSON.stringify(m.expected)})`;
}

/**
 * VS Code's default `http.proxySupport` is `override`: it then replaces the extension's HTTP
 * agent with its own, and the client certificate is never sent. Only `on` and `off` work.
 */
export function checkProxySupport(editor: EditorSnapshot): DoctorCheck {
  const base = { id: `proxy-support:${editor.id}`, title: `${editor.id}: http.proxySupport keeps the extension's certificate` };
  const value = editor.values['http.proxySupport'];
  if (value === 'on' || value === 'off') {
    return { ...base, status: 'pass', detail: `http.proxySupport is "${value}"` };
  }
  const what = value === undefined ? 'not set, so VS Code\'s default "override" applies' : `${JSON.stringify(value)}`;
  return {
    ...base, status: 'fail', code: 'PROXY_SUPPORT_OVERRIDE', data: { settingsPath: editor.settingsPath, value },
    detail: `http.proxySupport is ${what}: VS Code replaces the extension's HTTP agent and the client certificate is not sent`,
    fix: `set "http.proxySupport": "on" in ${editor.settingsPath} (or run: mtls-tray settings apply --proxy-support)`,
  };
}
