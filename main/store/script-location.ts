// Where the two scripts live. Normally `<data>/bin`. But OpenSSH expands % tokens in a
// ProxyCommand (and fails on unknown ones), and the Coder extension bakes the header
// command into its ProxyCommand, so a script path with `%` would break SSH while the
// extension's own requests kept working. cmd.exe has the same trouble with %VAR%. In that
// case the scripts go to a per-user directory whose path has no `%`, one per data dir.
// The same for a backslash or a control character: OpenSSH's ssh_config parser reads \ as
// an escape even inside quotes (see shell-quote.ts), and a line break would end the line.
import { createHash } from 'node:crypto';
import { UserError } from '../base/errors';
import { APP_DIR_NAME, pathApiFor } from './data-dir';

export interface ScriptLocationInput {
  dataDir: string;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
}

export interface ScriptLocation {
  dir: string;
  relocated: boolean;
  /** Set when relocated: one line for the user. */
  notice?: string;
}

export function resolveScriptLocation(i: ScriptLocationInput): ScriptLocation {
  const p = pathApiFor(i.platform);
  const inData = p.join(i.dataDir, 'bin');
  // On Windows the backslash is the separator and OpenSSH for Windows takes it as such.
  const bad = i.platform === 'win32' ? /[%\x00-\x1f\x7f]/ : /[%\\\x00-\x1f\x7f]/;
  if (!bad.test(inData)) return { dir: inData, relocated: false };

  // One directory per data dir, so two data dirs never share (and overwrite) scripts.
  const tag = createHash('sha256').update(i.dataDir).digest('hex').slice(0, 12);
  const leaf = `bin-${tag}`;
  const bases: string[] = [];
  const abs = (v: string | undefined) => (v && p.isAbsolute(v) ? v : undefined);
  if (i.platform === 'win32') {
    const local = abs(i.env.LOCALAPPDATA);
    if (local) bases.push(p.join(local, APP_DIR_NAME));
    bases.push(p.join(i.homedir, 'AppData', 'Local', APP_DIR_NAME));
  } else if (i.platform === 'darwin') {
    bases.push(p.join(i.homedir, 'Library', 'Application Support', APP_DIR_NAME));
  } else {
    const state = abs(i.env.XDG_STATE_HOME);
    if (state) bases.push(p.join(state, APP_DIR_NAME));
    bases.push(p.join(i.homedir, '.local', 'state', APP_DIR_NAME));
  }
  bases.push(p.join(i.homedir, `.${APP_DIR_NAME}`));
  const base = bases.find((b) => !bad.test(b));
  if (!base) {
    throw new UserError(
      'DATA_DIR_PERCENT',
      `The data directory ${i.dataDir} contains ${describe(inData.match(bad)![0])}, and so does every place we could put the header command instead (the home directory is ${i.homedir}). OpenSSH would misread it in the SSH ProxyCommand.`,
      'Choose a data directory whose path has no "%", backslash or control character, with --data-dir or MTLS_TRAY_HOME.',
    );
  }
  const dir = p.join(base, leaf);
  return {
    dir,
    relocated: true,
    notice: `The data directory's path contains ${describe(inData.match(bad)![0])}, which OpenSSH would misread in the SSH ProxyCommand, so the header and refresh scripts are in ${dir} instead.`,
  };
}

function describe(c: string): string {
  return c === '%' ? '"%"' : c === '\\' ? 'a backslash' : 'a control character';
}
