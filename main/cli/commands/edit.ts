/**
 * `edit`: changes a profile (DESIGN §5). For now only the issuer command of a CA-issued
 * profile (issue 12); the other options of §5 (name, CA bundle, alt host, headers, SANs…)
 * come with issue 13.
 */
import { positiveInt, str, UsageError } from '../args';
import type { Command } from '../command';
import { PROFILE_OPTION, profileOf } from '../options';

export const editCommand: Command = {
  name: 'edit',
  summary: 'change a profile (the issuer command of a CA-issued profile)',
  usage: 'edit [--profile NAME] [--issuer-command CMD | --no-issuer-command] [--issuer-timeout SECONDS]',
  options: { ...PROFILE_OPTION, 'issuer-command': { type: 'string' }, 'no-issuer-command': { type: 'boolean' }, 'issuer-timeout': { type: 'string' } },
  positionals: [0, 0],
  details: [
    '--issuer-command CMD: renew this CA-issued profile automatically (tray, scheduler, refresh hook, `renew`).',
    '  CMD runs on this machine through the shell, with the certificate request (PEM) on stdin and',
    '  MTLS_TRAY_PROFILE, MTLS_TRAY_URL, MTLS_TRAY_CSR_FILE in its environment; it must print the issued',
    '  certificate (PEM, leaf first, optional chain) and exit 0. It is stored on this machine only and never exported.',
    '--issuer-timeout SECONDS: how long it may take (default 120).',
  ].join('\n'),
  async run(ctx, { values }) {
    const command = str(values['issuer-command']);
    const remove = Boolean(values['no-issuer-command']);
    const timeout = positiveInt(str(values['issuer-timeout']), '--issuer-timeout', 3600);
    if (command !== undefined && remove) throw new UsageError('edit: --issuer-command and --no-issuer-command exclude each other');
    if (command === undefined && !remove && timeout === undefined) throw new UsageError('edit: nothing to change (give --issuer-command CMD, --no-issuer-command or --issuer-timeout SECONDS)');
    const res = await ctx.service.setIssuerCommand(profileOf(values), { ...(remove ? { command: null } : command !== undefined ? { command } : {}), ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}) });
    return { json: res, text: res.message };
  },
};
