/** `export`: the profile for a teammate, as a file or a link; the private key only when asked for, encrypted. */
import { str, UsageError } from '../args';
import type { Command } from '../command';
import { PROFILE_OPTION, profileOf } from '../options';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the profile for a teammate (.mtlsprofile; no private key unless --with-identity)',
  usage: 'export [--profile NAME] --out FILE [--with-identity --passphrase-file F] | export --link',
  options: { ...PROFILE_OPTION, out: { type: 'string' }, 'with-identity': { type: 'boolean' }, 'passphrase-file': { type: 'string' }, link: { type: 'boolean' } },
  positionals: [0, 0],
  async run(ctx, { values }) {
    const profile = profileOf(values);
    if (values.link) {
      if (values['with-identity']) throw new UsageError('a link cannot carry a private key; use --out FILE --with-identity');
      const link = await ctx.service.exportLink(profile);
      return { json: { link }, text: link };
    }
    const out = str(values.out);
    if (!out) throw new UsageError('export needs --out FILE (or --link)');
    let passphrase: string | undefined;
    if (values['with-identity']) {
      passphrase = await ctx.readPassphrase(str(values['passphrase-file']));
      if (!passphrase) throw new UsageError('--with-identity needs --passphrase-file F with a non-empty passphrase');
    }
    const text = await ctx.service.exportProfile(profile, passphrase ? { withIdentityPassphrase: passphrase } : {});
    // With the key inside (encrypted or not), the file is the user's alone.
    const written = ctx.writeFile(out, text, passphrase ? 0o600 : 0o644);
    return {
      json: { out: written, withIdentity: Boolean(passphrase) },
      text: `Profile written to ${written}${passphrase ? ' (with your certificate and key, encrypted with the passphrase)' : ' (no private key included)'}`,
    };
  },
};
