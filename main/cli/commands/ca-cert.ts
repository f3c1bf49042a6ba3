/** `ca cert`: the local CA's certificate, for the server's list of client CAs. */
import { str } from '../args';
import type { Command } from '../command';
import { PROFILE_OPTION, profileOf } from '../options';

export const caCertCommand: Command = {
  name: 'ca cert',
  summary: "the local CA's certificate, for the server's client-CA list",
  usage: 'ca cert [--out FILE] [--profile NAME]',
  options: { out: { type: 'string' }, ...PROFILE_OPTION },
  positionals: [0, 0],
  async run(ctx, { values }) {
    const pem = await ctx.service.caCert(profileOf(values));
    const out = str(values.out);
    const written = out ? ctx.writeFile(out, pem, 0o644) : undefined;
    return { json: { certPem: pem, ...(written ? { out: written } : {}) }, text: written ? `CA certificate written to ${written}` : pem.trimEnd() };
  },
};
