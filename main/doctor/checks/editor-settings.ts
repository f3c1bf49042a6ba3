/**
 * Each configured editor: do its `coder.*` values match what the profile needs (the stable
 * paths and scripts), and does `http.proxySupport` let the extension's agent through?
 * Values are compared, and a difference worded, by the settings layer's drift module
 * (settings/drift.ts), the same sentences `status` and the tray's drift watch use.
 */
import { describeSettingDrift, settingsDrift } from '../../settings/drift';
import { isCoderKey, type DesiredCoderSettings } from '../../settings/owned-keys';
import { expandSettingPath as expandForExtension, type PathContext } from '../../settings/setting-paths';
import type { DoctorCheck, EditorSnapshot } from '../types';

export interface ExpandContext {
  homeDir: string;
  env: NodeJS.ProcessEnv;
  /** Default: this machine's. */
  platform?: NodeJS.Platform;
}

function pathContext(ctx: ExpandContext): PathContext {
  return { platform: ctx.platform ?? process.platform, env: ctx.env, homedir: ctx.homeDir };
}

/** The extension's expandPath: `${env:VAR}` first, then a leading `~`, then `${userHome}`. */
export function expandSettingPath(value: string, ctx: ExpandContext): string {
  return expandForExtension(value, pathContext(ctx));
}

export function checkEditorSettings(
  editor: EditorSnapshot,
  expected: Record<string, string | undefined>,
  ctx: ExpandContext,
): DoctorCheck {
  const name = editor.name ?? editor.id;
  const base = { id: `editor-settings:${editor.id}`, title: `${editor.id}: coder.* settings point at our files` };
  const desired: DesiredCoderSettings = Object.fromEntries(Object.entries(expected).filter(([k]) => isCoderKey(k)));
  const drift = settingsDrift(editor.values, desired, pathContext(ctx));
  if (drift.length === 0) {
    return { ...base, status: 'pass', detail: `all ${Object.keys(expected).length} keys as expected in ${editor.settingsPath}` };
  }
  const mismatches = drift.map((d) => ({ key: d.key, actual: d.actual, expected: d.expected ?? undefined, message: describeSettingDrift(d, name, editor.managed ?? false) }));
  return {
    ...base, status: 'fail', code: 'SETTINGS_MISMATCH', data: { settingsPath: editor.settingsPath, mismatches },
    detail: `${editor.settingsPath}: ${mismatches.map((m) => m.message).join('; ')}`,
    fix: editor.id === 'custom' ? `run mtls-tray settings apply --settings-file ${editor.settingsPath} (one write of all keys)` : `run mtls-tray settings apply --editor ${editor.id} (one write of all keys)`,
  };
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
