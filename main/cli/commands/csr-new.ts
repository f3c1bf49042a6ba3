/** `csr new`: re-enrolment by hand; a CSR for the current key (or a new pending key). */
import type { Command } from '../command';
import { str, UsageError } from '../args';
import { PROFILE_OPTION, profileOf } from '../options';

export const csrNewCommand: Command = {
  name: 'csr new',
  summary: 're-enrol a CA-issued profile: a certificate request for its current key (or a new key)',
  usage: 'csr new [--profile NAME] [--new-key] --out FILE',
  options: { ...PROFILE_OPTION, 'new-key': { type: 'boolean' }, out: { type: 'string' } },
  positionals: [0, 0],
  details: [
    'The profile keeps serving its current certificate meanwhile. Send FILE to your CA, then run',
    '`mtls-tray csr import-cert CERT.pem`: it becomes the next generation (no editor settings change).',
    '--new-key: the request is for a new key; importing its certificate is a rotation, and until then the current key keeps working.',
  ].join('\n'),
  async run(ctx, { values }) {
    const out = str(values.out);
    if (!out) throw new UsageError('csr new needs --out FILE (where to write the certificate request)');
    const res = await ctx.service.csrNew(profileOf(values), { newKey: Boolean(values['new-key']) });
    const file = ctx.writeFile(out, res.csrPem, 0o644);
    return { json: { ...res, csrFile: file }, text: `Certificate request written to ${file}.\n${res.message}` };
  },
};
