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
  /** Of `keys`, those whose change makes open remote windows of the Coder extension ask to reload. */
  reloadKeys: OwnedKey[];
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
/**
 * The keys whose change makes the Coder extension ask open remote windows to reload (one
 * debounced prompt per configuration event, DESIGN §1). A change from unset to set counts.
 * We own two of them; the rest are listed so the rule reads as the extension has it.
 */
export const RELOAD_PROMPT_KEYS: readonly string[] = [
  'coder.headerCommand',
  'coder.globalFlags',
  'coder.sshFlags',
  'coder.proxyLogDirectory',
  'http.proxy',
  'http.proxySupport',
  'http.noProxy',
  'coder.proxyBypass',
];

export function reloadKeysOf(changes: readonly KeyChange[]): OwnedKey[] {
  return changes.filter((c) => RELOAD_PROMPT_KEYS.includes(c.key)).map((c) => c.key);
}

function shown(v: KeyChange['before']): string {
  return v.present ? JSON.stringify(v.value) : 'unset';
}

/** One key's change in a reload notice: `coder.headerCommand (unset → "/…/coder-header-command")`. */
function describeChange(c: KeyChange): string {
  return `${c.key} (${shown(c.before)} → ${shown(c.after)})`;
}

/** The notice naming every changed key that makes open remote windows ask to reload; undefined when none. */
export function reloadNotice(changes: readonly KeyChange[]): string | undefined {
  const keys = changes.filter((c) => RELOAD_PROMPT_KEYS.includes(c.key));
  if (keys.length === 0) return undefined;
  const why = keys.some((c) => c.key === 'coder.headerCommand')
    ? ' (their SSH connection was started with the old header command)'
    : '';
  return `Open remote windows of the Coder extension will ask once to reload, because ${keys.map(describeChange).join(' and ')} ${keys.length === 1 ? 'changes' : 'change'}${why}: reload them when asked. Local windows are not affected.`;
}

/** Notices for a file whose new values were (or, in a dry run, would be) written. */
export function noticesFor(target: EditorTarget, changes: KeyChange[]): string[] {
  const out: string[] = [];
  if (changes.length === 0) return out;
  const reload = reloadNotice(changes);
  if (reload) out.push(reload);
  if (target.id === 'code-server') out.push(CODE_SERVER_NOTICE);
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
