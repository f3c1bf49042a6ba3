/**
 * What an apply or remove reports per settings file, and the notices and warnings derived
 * from the values the file ends up with. The shape maps 1:1 onto SettingsFileResultDto.
 */
import type { ValueState } from './jsonc-text';
import type { EditorTarget } from './editor-discovery';
import { PROXY_SUPPORT_KEY, proxySupportKeepsAgent, type OwnedKey } from './owned-keys';
import type { KeyChange } from './settings-update';

export interface SettingsWarning {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  fix: string;
}

export interface SettingsFileResult {
  editor: EditorTarget['id'];
  name: string;
  /** The settings.json path as discovered or given (a symlink stays named as such). */
  path: string;
  /** The file actually read and replaced (the symlink's target). */
  target: string;
  /** The text differs (in a dry run: would differ). */
  changed: boolean;
  /** We replaced (or, for remove, deleted) the file: false in a dry run and when unchanged. */
  wrote: boolean;
  dryRun: boolean;
  /** The file did not exist before. */
  created: boolean;
  /** remove deleted the file because there was none before our first write. */
  deleted: boolean;
  /** Keys whose value changes, in OWNED_KEYS order. */
  keys: OwnedKey[];
  changes: KeyChange[];
  /** Unified diff of the text (without BOM); '' when unchanged. */
  diff: string;
  notices: string[];
  warnings: SettingsWarning[];
  /** Reads of the file it took (more than 1: the editor saved meanwhile and we redid the edit). */
  attempts: number;
  /** Set when this file could not be handled; nothing was written to it. */
  error?: { code: string; message: string; fix?: string };
}

export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  // Loaded on first use: only a changed file needs a diff, and a CLI start should not pay for it.
  const { createTwoFilesPatch } = require('diff') as typeof import('diff');
  return createTwoFilesPatch(path, path, before, after, 'current', 'with mtls-tray settings', { context: 3 });
}

export const CODE_SERVER_NOTICE = 'code-server does not notice changes to its settings.json made outside the browser: reload the code-server browser tab to pick this up.';
export const HEADER_COMMAND_NOTICE =
  'coder.headerCommand changed: the Coder extension will ask to reload the window, because its SSH connections have the old command built in.';

/** Notices for a file whose new values were (or, in a dry run, would be) written. */
export function noticesFor(target: EditorTarget, changes: KeyChange[]): string[] {
  const out: string[] = [];
  if (changes.length === 0) return out;
  if (target.id === 'code-server') out.push(CODE_SERVER_NOTICE);
  if (changes.some((c) => c.key === 'coder.headerCommand' && c.before.present)) out.push(HEADER_COMMAND_NOTICE);
  return out;
}

/**
 * PROXY_SUPPORT_OVERRIDE: the file sets a client certificate but `http.proxySupport` is unset
 * (VS Code's default is `override`), `override` or `fallback`: VS Code then replaces the
 * extension's HTTPS agent with its own and the certificate is never sent.
 */
export function warningsFor(path: string, after: Record<OwnedKey, ValueState>): SettingsWarning[] {
  const cert = after['coder.tlsCertFile'];
  if (!cert.present) return [];
  const proxy = after[PROXY_SUPPORT_KEY];
  const value = proxy.present ? proxy.value : undefined;
  if (proxySupportKeepsAgent(value)) return [];
  const shown = value === undefined ? 'unset (VS Code\'s default is "override")' : JSON.stringify(value);
  return [
    {
      code: 'PROXY_SUPPORT_OVERRIDE',
      severity: 'warning',
      message: `http.proxySupport is ${shown} in ${path}: VS Code replaces the Coder extension's connection agent, so the client certificate is not sent`,
      fix: `Set "http.proxySupport": "on" in ${path} (or let mtls-tray do it: run \`mtls-tray settings apply --proxy-support\`, or use "Fix proxy setting" in the window).`,
    },
  ];
}
