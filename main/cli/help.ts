/** --help text, for the program (the command list) and for one command; both read the registry's specs. */
import type { CommandSpec } from './args';

export function globalHelp(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'mtls-tray: a client certificate for Coder behind mutual TLS that keeps working.',
    '',
    'Usage: mtls-tray [--data-dir DIR] [--json] <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options (before or after the command):',
    '  --data-dir DIR   where profiles and credentials live (env MTLS_TRAY_HOME; default per platform)',
    '  --json           machine-readable output on stdout, errors as JSON on stderr',
    '  -h, --help       help for mtls-tray or for one command',
    '',
    'Exit status: 0 success, 1 failure, 2 bad usage.',
  ].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  return [`Usage: mtls-tray ${spec.usage}`, '', spec.summary, ...(spec.details ? ['', spec.details] : [])].join('\n');
}
