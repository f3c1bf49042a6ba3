/**
 * What a command line asks the app to do. The same parser serves the first launch and a second
 * launch forwarded by the single-instance lock ('second-instance' gives us the other process's
 * argv and working directory). Recognised:
 *   --cli ARGS...            run the headless CLI (handled before any window or tray exists)
 *   mtls-tray://...          a profile link: open the import review
 *   FILE.mtlsprofile         a profile file (file association, drag onto the icon): same
 *   import FILE|LINK         the CLI-style spelling of the two above
 *   open | --show            show the window
 *   --hidden                 start in the tray only (the login item passes this)
 * Everything else (Chromium's own switches, the app path in development) is ignored.
 */
import { isAbsolute, resolve } from 'node:path';

export const CLI_FLAG = '--cli';
export const HIDDEN_FLAG = '--hidden';
export const LINK_PROTOCOL = 'mtls-tray';

export interface LaunchRequest {
  links: string[];
  /** Absolute paths of profile files. */
  files: string[];
  show: boolean;
  hidden: boolean;
}

/** The arguments after `--cli`, or null when this launch is not a CLI run. */
export function cliArgs(argv: readonly string[]): string[] | null {
  const i = argv.indexOf(CLI_FLAG);
  return i < 0 ? null : argv.slice(i + 1);
}

export function isProfileLink(s: string): boolean {
  return s.toLowerCase().startsWith(`${LINK_PROTOCOL}://`);
}

/**
 * `argv` is the whole process argv: the executable and, in development, the app path come first;
 * `skip` says how many leading entries are not arguments (1 packaged, 2 in development).
 */
export function parseLaunchArgs(argv: readonly string[], cwd: string, skip: number): LaunchRequest {
  const out: LaunchRequest = { links: [], files: [], show: false, hidden: false };
  const args = argv.slice(skip);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') continue;
    if (a === HIDDEN_FLAG) out.hidden = true;
    else if (a === '--show' || a === 'open') out.show = true;
    else if (isProfileLink(a)) out.links.push(a);
    else if (a === 'import' && i + 1 < args.length) {
      const next = args[++i] ?? '';
      if (isProfileLink(next)) out.links.push(next);
      else out.files.push(isAbsolute(next) ? next : resolve(cwd, next));
    } else if (!a.startsWith('-') && a.toLowerCase().endsWith('.mtlsprofile')) {
      out.files.push(isAbsolute(a) ? a : resolve(cwd, a));
    }
  }
  if (out.links.length || out.files.length) out.show = true;
  return out;
}
