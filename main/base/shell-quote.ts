// Quoting for the three places a path of ours is parsed as a command line:
//  1. `sh -c <value>`: the extension runs coder.headerCommand and coder.tlsCertRefreshCommand
//     with child_process.exec, i.e. /bin/sh -c on Unix;
//  2. the SSH ProxyCommand, where the extension bakes `--header-command '<value>'` in with
//     ' -> '\'' and OpenSSH runs the line with `$SHELL -c` (after expanding % tokens);
//  3. cmd.exe /d /s /c "<value>" on Windows.
// Nothing else is ever given to a shell: header names and values are data (headers.ts).

/** Characters that mean nothing to a POSIX shell in a command word. `=` is left out so a
 *  word can never be read as an assignment, `~` so it is never tilde-expanded. */
const POSIX_BARE = /^[A-Za-z0-9_@%+:,./-]+$/;

/**
 * Single quotes, with each ' written as '"'"' (close, a double-quoted quote, reopen) rather
 * than the usual '\'': the result has no backslash. That matters for the SSH ProxyCommand:
 * OpenSSH checks the quoting of every ssh_config line with its own splitter, which treats
 * \' as an escaped quote even inside single quotes, so a value holding '\'' that the
 * extension quotes once more fails with "invalid quotes". Backslash-free values survive.
 */
export function quotePosix(s: string): string {
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** `s` as one word for `sh -c`: bare when nothing in it is special, else single-quoted. */
export function quotePosixIfNeeded(s: string): string {
  return s !== '' && POSIX_BARE.test(s) ? s : quotePosix(s);
}

/** How the Coder extension embeds coder.headerCommand in the SSH ProxyCommand (Unix): ' -> '\''. */
export function proxyCommandHeaderArg(headerCommand: string): string {
  return quotePosix(headerCommand);
}

const CMD_BARE = /^[A-Za-z0-9_\\:./-]+$/;

/**
 * A Windows path as one word for cmd.exe. Inside double quotes cmd treats & | < > ^ ( ) as
 * text; `"` cannot occur in a Windows path. `%` cannot be escaped on a `cmd /c` line at all
 * (%VAR% expands inside quotes too), so callers must keep it out (script-location.ts).
 */
export function quoteCmdIfNeeded(path: string): string {
  if (path.includes('"')) throw new Error(`a Windows path cannot contain a double quote: ${path}`);
  if (path.includes('%')) throw new Error(`cmd.exe cannot take a path containing % literally: ${path}`);
  return path !== '' && CMD_BARE.test(path) ? path : `"${path}"`;
}

/** Text inside a .cmd file: quoted like quoteCmdIfNeeded, and % doubled (batch files expand %X%). */
export function quoteCmdInBatch(s: string): string {
  if (s.includes('"')) throw new Error(`cannot put a double quote in a batch file argument: ${s}`);
  return `"${s.replace(/%/g, '%%')}"`;
}
