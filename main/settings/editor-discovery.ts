/**
 * Where each VS Code-family editor keeps its user settings.json, as a pure function of the
 * environment, the platform and the home directory (plus an injected `exists`), so the
 * Windows and macOS layouts are tested on Linux with path.win32 / path.posix.
 *
 * Sources of the layouts:
 *  - desktop editors use VS Code's user-data path: `$VSCODE_APPDATA/<product>` when set, else
 *    Linux `$XDG_CONFIG_HOME` (or `~/.config`), macOS `~/Library/Application Support`,
 *    Windows `%APPDATA%` (or `%USERPROFILE%\AppData\Roaming`), then `<product>/User/settings.json`;
 *  - code-server keeps its user-data directory in env-paths' data directory, except that on
 *    macOS it forces the XDG one: Linux/macOS `$XDG_DATA_HOME/code-server` (or
 *    `~/.local/share/code-server`), Windows `%LOCALAPPDATA%\code-server\Data`.
 *  - Flatpak builds of VS Code and VSCodium keep theirs under `~/.var/app/<app-id>/config`;
 *    they count when the regular directory does not exist.
 * Portable installs and `--user-data-dir` are named explicitly (customSettingsTarget).
 */
import { posix, win32 } from 'node:path';
import { UserError } from '../base/errors';

import { EDITOR_IDS, type EditorId } from '../base/vocabulary';

export interface EditorTarget {
  id: EditorId | 'custom';
  /** Human name, e.g. "Visual Studio Code". */
  name: string;
  /** The editor's user-data directory; its existence is what "installed" means. */
  userDataDir: string;
  settingsPath: string;
  installed: boolean;
}

export interface DiscoveryContext {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
  /** Whether a directory exists (injected; fs.existsSync in production). */
  exists: (path: string) => boolean;
}

interface DesktopEditor {
  id: Exclude<EditorId, 'code-server'>;
  name: string;
  /** Folder name under the platform's application-data directory (VS Code's product nameShort). */
  folder: string;
  flatpakId?: string;
}

const DESKTOP_EDITORS: readonly DesktopEditor[] = [
  { id: 'code', name: 'Visual Studio Code', folder: 'Code', flatpakId: 'com.visualstudio.code' },
  { id: 'code-insiders', name: 'Visual Studio Code - Insiders', folder: 'Code - Insiders' },
  { id: 'vscodium', name: 'VSCodium', folder: 'VSCodium', flatpakId: 'com.vscodium.codium' },
  { id: 'cursor', name: 'Cursor', folder: 'Cursor' },
  { id: 'windsurf', name: 'Windsurf', folder: 'Windsurf' },
];

export function pathApiFor(platform: NodeJS.Platform): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

/**
 * An environment variable, non-empty. Windows variable names are case-insensitive, and a
 * copied `{...process.env}` loses that, so look the name up ignoring case there.
 */
export function envVar(ctx: Pick<DiscoveryContext, 'env' | 'platform'>, name: string): string | undefined {
  let value = ctx.env[name];
  if (value === undefined && ctx.platform === 'win32') {
    const upper = name.toUpperCase();
    const key = Object.keys(ctx.env).find((k) => k.toUpperCase() === upper);
    value = key === undefined ? undefined : ctx.env[key];
  }
  return value === undefined || value === '' ? undefined : value;
}

/** An XDG base directory: used only when absolute, as the XDG spec says. */
function xdgDir(ctx: DiscoveryContext, name: string, fallback: string[]): string {
  const p = pathApiFor(ctx.platform);
  const value = envVar(ctx, name);
  return value !== undefined && p.isAbsolute(value) ? value : p.join(ctx.homedir, ...fallback);
}

function windowsHome(ctx: DiscoveryContext): string {
  return envVar(ctx, 'USERPROFILE') ?? ctx.homedir;
}

/** Where desktop editors put `<product>/`. */
export function desktopAppDataDir(ctx: DiscoveryContext): string {
  const p = pathApiFor(ctx.platform);
  const vscodeAppData = envVar(ctx, 'VSCODE_APPDATA');
  if (vscodeAppData !== undefined) return vscodeAppData;
  switch (ctx.platform) {
    case 'win32':
      return envVar(ctx, 'APPDATA') ?? p.join(windowsHome(ctx), 'AppData', 'Roaming');
    case 'darwin':
      return p.join(ctx.homedir, 'Library', 'Application Support');
    default:
      return xdgDir(ctx, 'XDG_CONFIG_HOME', ['.config']);
  }
}

/** code-server's default `--user-data-dir`. */
export function codeServerUserDataDir(ctx: DiscoveryContext): string {
  const p = pathApiFor(ctx.platform);
  if (ctx.platform === 'win32') {
    const local = envVar(ctx, 'LOCALAPPDATA') ?? p.join(windowsHome(ctx), 'AppData', 'Local');
    return p.join(local, 'code-server', 'Data');
  }
  return p.join(xdgDir(ctx, 'XDG_DATA_HOME', ['.local', 'share']), 'code-server');
}

function settingsIn(ctx: DiscoveryContext, userDataDir: string): string {
  return pathApiFor(ctx.platform).join(userDataDir, 'User', 'settings.json');
}

/** Every editor we know, installed or not, in EDITOR_IDS order. */
export function discoverEditors(ctx: DiscoveryContext): EditorTarget[] {
  const p = pathApiFor(ctx.platform);
  const appData = desktopAppDataDir(ctx);
  const out: EditorTarget[] = [];
  for (const ed of DESKTOP_EDITORS) {
    let userDataDir = p.join(appData, ed.folder);
    let installed = ctx.exists(userDataDir);
    if (!installed && ed.flatpakId && ctx.platform === 'linux' && envVar(ctx, 'VSCODE_APPDATA') === undefined) {
      const flatpakDir = p.join(ctx.homedir, '.var', 'app', ed.flatpakId, 'config', ed.folder);
      if (ctx.exists(flatpakDir)) {
        userDataDir = flatpakDir;
        installed = true;
      }
    }
    out.push({ id: ed.id, name: ed.name, userDataDir, settingsPath: settingsIn(ctx, userDataDir), installed });
  }
  const cs = codeServerUserDataDir(ctx);
  out.push({ id: 'code-server', name: 'code-server', userDataDir: cs, settingsPath: settingsIn(ctx, cs), installed: ctx.exists(cs) });
  return out;
}

/**
 * A settings file named by the user (`--settings-file`, for portable installs and
 * `--user-data-dir`). Relative paths are taken from `cwd`. It counts as installed when its
 * folder exists: we never create folders for a path we were handed.
 */
export function customSettingsTarget(file: string, ctx: Pick<DiscoveryContext, 'platform' | 'exists'> & { cwd: string }): EditorTarget {
  const p = pathApiFor(ctx.platform);
  const settingsPath = p.resolve(ctx.cwd, file);
  const dir = p.dirname(settingsPath);
  return { id: 'custom', name: settingsPath, userDataDir: dir, settingsPath, installed: ctx.exists(dir) };
}

export interface TargetSelection {
  /** Editors asked for by id; none and no files means every installed editor. */
  editors?: readonly EditorId[];
  settingsFiles?: readonly string[];
  /** With neither editors nor files: every installed editor (the default) or none. */
  whenNone?: 'installed' | 'none';
}

/**
 * The files an apply/remove works on. Editors named explicitly are returned even when not
 * installed (the apply then reports EDITOR_NOT_INSTALLED for them instead of silently
 * skipping what the user asked for). Duplicates (same settings path) are dropped. The CLI,
 * the AppService (through its settings port) and the tests all select with this.
 */
export function selectTargets(discovered: readonly EditorTarget[], sel: TargetSelection, ctx: Pick<DiscoveryContext, 'platform' | 'exists'> & { cwd: string }): EditorTarget[] {
  const explicit = (sel.editors?.length ?? 0) > 0 || (sel.settingsFiles?.length ?? 0) > 0;
  const picked: EditorTarget[] = explicit
    ? [
        ...(sel.editors ?? []).map((id) => {
          const t = discovered.find((d) => d.id === id);
          if (!t) throw new UserError('UNKNOWN_EDITOR', `unknown editor "${id}"`, `Use one of: ${EDITOR_IDS.join(', ')}, or --settings-file PATH.`);
          return t;
        }),
        ...(sel.settingsFiles ?? []).map((f) => customSettingsTarget(f, ctx)),
      ]
    : sel.whenNone === 'none'
      ? []
      : discovered.filter((d) => d.installed);
  const seen = new Set<string>();
  const key = (s: string) => (ctx.platform === 'win32' || ctx.platform === 'darwin' ? s.toLowerCase() : s);
  return picked.filter((t) => {
    const k = key(t.settingsPath);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
