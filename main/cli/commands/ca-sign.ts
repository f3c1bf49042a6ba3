/** `ca sign CSR --out CERT`: a --local-ca profile signs a teammate's request. */
import { list, positiveInt, str, UsageError } from '../args';
import type { Command } from '../command';
import { PROFILE_OPTION, profileOf } from '../options';

export const caSignCommand: Command = {
  name: 'ca sign',
  summary: "a --local-ca profile signs a teammate's CSR",
  usage: 'ca sign CSR --out CERT [--days N] [--allow-san PATTERN]... [--profile NAME]',
  options: { out: { type: 'string' }, days: { type: 'string' }, 'allow-san': { type: 'string', multiple: true }, ...PROFILE_OPTION },
  positionals: [1, 1],
  details:
    "SANs copied from the CSR: by default only the names that belong to the requester by the CSR's own subject: an email whose local part is its CN (or the CN's user part: dev of dev@host), a DNS name that is the CN or starts with its user or host part; never an IP or URI, and never one of your own names (your certificate's SANs, your CA's name). With --allow-san, exactly the names matching a pattern such as \"email:*@example.com\" (* matches within the value), replacing the default.",
  async run(ctx, { values, positionals }) {
    const out = str(values.out);
    if (!out) throw new UsageError('ca sign needs --out CERT');
    const csrPem = ctx.readText(positionals[0]!, 'CSR file');
    const opts: { days?: number; allowSans?: string[]; profileId?: string } = {};
    const days = positiveInt(str(values.days), '--days', 3650);
    if (days !== undefined) opts.days = days;
    const allow = list(values['allow-san']);
    if (allow.length) opts.allowSans = allow;
    const profile = profileOf(values);
    if (profile) opts.profileId = profile;
    const res = await ctx.service.caSign(csrPem, opts);
    const written = ctx.writeFile(out, res.certPem, 0o644);
    return {
      json: { out: written, copied: res.copied, refused: res.refused },
      text: `Signed; certificate written to ${written}\n  SANs copied: ${res.copied.join(', ') || '(none)'}${res.refused.length ? `\n  SANs refused: ${res.refused.join(', ')}` : ''}`,
    };
  },
};
