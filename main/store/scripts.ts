// Text of the two scripts the editor runs (DESIGN.md §3). Pure: the store writes them
// (only when their text changes), tests read them. Paths are embedded quoted; nothing from
// a profile ever appears in a script.
import { quoteCmdInBatch, quotePosix } from '../base/shell-quote';

/** How to start our CLI: e.g. `[process.execPath, '/opt/mtls-tray/dist/cli.js']`, or the
 *  packaged app binary with `--cli`, plus environment it needs (ELECTRON_RUN_AS_NODE=1). */
export interface CliInvocation {
  argv: readonly string[];
  env?: Readonly<Record<string, string>>;
}

const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The header command. Shell builtins only (`[`, `read`, `printf`): the extension pays its
 * start-up on every request, and a builtin loop costs less than starting `cat`. The file is
 * opened once, so a swap of `current` during the loop cannot mix two generations.
 */
export function headerCommandScriptSh(headersFile: string): string {
  return [
    '#!/bin/sh',
    '# mtls-tray: prints the active profile\'s request headers (name=value lines) for',
    '# coder.headerCommand. Written by mtls-tray; rewritten only when this text changes.',
    `f=${quotePosix(headersFile)}`,
    'if [ ! -r "$f" ]; then',
    '  printf \'mtls-tray: cannot read %s: no active profile? Run: mtls-tray status\\n\' "$f" >&2',
    '  exit 1',
    'fi',
    'while IFS= read -r l || [ -n "$l" ]; do printf \'%s\\n\' "$l"; done < "$f"',
    '',
  ].join('\n');
}

/** Windows twin (not run here): `type` prints the file as is. */
export function headerCommandScriptCmd(headersFile: string): string {
  const f = quoteCmdInBatch(headersFile);
  return [
    '@echo off',
    'rem mtls-tray: prints the active profile\'s request headers for coder.headerCommand.',
    'rem Written by mtls-tray; rewritten only when this text changes.',
    'setlocal DisableDelayedExpansion',
    `if exist ${f} goto print`,
    `>&2 echo mtls-tray: cannot read ${f}: no active profile? Run: mtls-tray status`,
    'exit /b 1',
    ':print',
    `type ${f}`,
    '',
  ].join('\r\n');
}

function envAssignments(env: CliInvocation['env']): string {
  return Object.entries(env ?? {})
    .map(([k, v]) => {
      if (!ENV_NAME_RE.test(k)) throw new Error(`bad environment variable name for the refresh script: ${k}`);
      return `${k}=${quotePosix(v)} `;
    })
    .join('');
}

/** coder.tlsCertRefreshCommand: runs `<cli> refresh --data-dir <data>`, with or without the tray. */
export function refreshScriptSh(cli: CliInvocation, dataDir: string): string {
  const [exe, ...rest] = cli.argv;
  if (!exe) throw new Error('the CLI invocation is empty');
  const args = [exe, ...rest].map(quotePosix).join(' ');
  return [
    '#!/bin/sh',
    '# mtls-tray: renews the active client certificate when it can, for',
    '# coder.tlsCertRefreshCommand. Written by mtls-tray; rewritten only when this text changes.',
    `if [ ! -x ${quotePosix(exe)} ]; then`,
    `  printf 'mtls-tray: %s is gone (moved or uninstalled?); reinstall mtls-tray or run "mtls-tray settings apply"\\n' ${quotePosix(exe)} >&2`,
    '  exit 1',
    'fi',
    `${envAssignments(cli.env)}exec ${args} refresh --data-dir ${quotePosix(dataDir)}`,
    '',
  ].join('\n');
}

export function refreshScriptCmd(cli: CliInvocation, dataDir: string): string {
  const [exe, ...rest] = cli.argv;
  if (!exe) throw new Error('the CLI invocation is empty');
  const sets = Object.entries(cli.env ?? {}).map(([k, v]) => {
    if (!ENV_NAME_RE.test(k)) throw new Error(`bad environment variable name for the refresh script: ${k}`);
    if (v.includes('"')) throw new Error(`cannot put a double quote in a batch file value: ${k}`);
    return `set "${k}=${v.replace(/%/g, '%%')}"`;
  });
  return [
    '@echo off',
    'rem mtls-tray: renews the active client certificate when it can, for coder.tlsCertRefreshCommand.',
    'rem Written by mtls-tray; rewritten only when this text changes.',
    'setlocal DisableDelayedExpansion',
    ...sets,
    `${[exe, ...rest].map(quoteCmdInBatch).join(' ')} refresh --data-dir ${quoteCmdInBatch(dataDir)}`,
    'exit /b %ERRORLEVEL%',
    '',
  ].join('\r\n');
}
