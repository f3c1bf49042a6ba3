// Where the data directory lives (DESIGN.md §2). Pure: the caller passes env, platform,
// home directory and working directory, so tests can ask for any platform from any other.
import { posix, win32 } from 'node:path';
import { UserError } from '../base/errors';

export interface DataDirInput {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
  /** `--data-dir`, when given; wins over everything else. */
  override?: string | undefined;
  /** Base for a relative override or MTLS_TRAY_HOME. */
  cwd?: string;
}

export const APP_DIR_NAME = 'mtls-tray';

export function pathApiFor(platform: NodeJS.Platform): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

/** `--data-dir`, else `MTLS_TRAY_HOME`, else the per-platform default. Always absolute. */
export function resolveDataDir(input: DataDirInput): string {
  const p = pathApiFor(input.platform);
  const base = input.cwd ?? input.homedir;
  if (input.override !== undefined) {
    if (input.override.trim() === '') {
      throw new UserError('DATA_DIR_EMPTY', '--data-dir was given an empty path.', 'Pass a directory, e.g. --data-dir ~/.local/share/mtls-tray.');
    }
    return p.resolve(base, expandTilde(input.override, input.homedir, p));
  }
  const fromEnv = input.env.MTLS_TRAY_HOME;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return p.resolve(base, expandTilde(fromEnv, input.homedir, p));
  return defaultDataDir(input.env, input.platform, input.homedir);
}

function defaultDataDir(env: DataDirInput['env'], platform: NodeJS.Platform, home: string): string {
  const p = pathApiFor(platform);
  switch (platform) {
    case 'darwin':
      return p.join(home, 'Library', 'Application Support', APP_DIR_NAME);
    case 'win32': {
      const local = env.LOCALAPPDATA;
      return p.join(local && p.isAbsolute(local) ? local : p.join(home, 'AppData', 'Local'), APP_DIR_NAME);
    }
    default: {
      // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
      const xdg = env.XDG_DATA_HOME;
      return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.local', 'share'), APP_DIR_NAME);
    }
  }
}

/** Shells expand `~` before we see it, but an env var or a quoted flag may still carry one. */
function expandTilde(path: string, home: string, p: typeof posix): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || (p === win32 && path.startsWith('~\\'))) return p.join(home, path.slice(2));
  return path;
}
