/**
 * Launch at login on Linux: an XDG autostart entry, `$XDG_CONFIG_HOME/autostart/mtls-tray.desktop`
 * (default `~/.config/autostart`), which every freedesktop session (GNOME, KDE, XFCE, ...) runs at
 * login. Electron's setLoginItemSettings does nothing on Linux. The text is a pure function of
 * the command; the writer replaces the file atomically. No electron here.
 */
import { mkdir, rm, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../base/fs-atomic';

export const AUTOSTART_FILE = 'mtls-tray.desktop';

export function autostartDir(env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir, '.config');
  return join(base, 'autostart');
}

/** Characters that force quoting of an Exec argument (Desktop Entry spec, "The Exec key"). */
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * One Exec argument: quoted when needed, with `"`, `` ` ``, `$` and `\` backslash-escaped inside
 * the quotes, `%` doubled (it starts field codes). The Exec value is then a string value whose
 * own escape rule doubles each backslash again; the returned text is ready for the file.
 */
export function quoteExecArg(arg: string): string {
  if (/[\r\n\0]/.test(arg)) throw new Error(`an autostart command cannot contain a line break: ${JSON.stringify(arg)}`);
  const pct = arg.replace(/%/g, '%%');
  const quoted = arg === '' || RESERVED.test(pct) ? `"${pct.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : pct;
  return quoted.replace(/\\/g, '\\\\');
}

export function autostartEntry(command: readonly string[]): string {
  if (command.length === 0) throw new Error('autostart needs a command');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=mtls-tray',
    'Comment=Keeps your mutual-TLS client certificate for Coder working',
    `Exec=${command.map(quoteExecArg).join(' ')}`,
    'Icon=mtls-tray',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export async function isAutostartEnabled(dir: string): Promise<boolean> {
  try {
    const text = await readFile(join(dir, AUTOSTART_FILE), 'utf8');
    // The spec's way to switch an entry off without deleting it (desktop settings tools do this).
    return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
  } catch {
    return false;
  }
}

export async function setAutostart(dir: string, command: readonly string[] | null): Promise<void> {
  const file = join(dir, AUTOSTART_FILE);
  if (command === null) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, autostartEntry(command), 0o644);
}
