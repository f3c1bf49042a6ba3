/** `csr import-cert FILE`: the CA-issued certificate completes a --csr profile, or is the next generation of a re-enrolment. */
import type { Command } from '../command';
import { formatSettingsResults } from '../format';
import { PROFILE_OPTION, profileOf, settingsRequest, SIDE_SETTINGS_OPTIONS } from '../options';

export const csrImportCertCommand: Command = {
  name: 'csr import-cert',
  summary: 'publish the certificate your CA issued: completes a --csr profile, or renews/rotates after `csr new`',
  usage: 'csr import-cert FILE [--profile NAME] [--chain FILE] [--editor ID]... [--settings-file PATH]... [--no-settings] [--proxy-support]',
  options: { ...PROFILE_OPTION, chain: { type: 'string' }, ...SIDE_SETTINGS_OPTIONS },
  positionals: [1, 1],
  async run(ctx, { values, positionals }) {
    const certPem = ctx.readText(positionals[0]!, 'certificate file');
    const chain = typeof values.chain === 'string' ? ctx.readText(values.chain, 'chain file') : undefined;
    const res = await ctx.service.csrImportCert(certPem, profileOf(values), { ...settingsRequest(values, ctx), noSettings: Boolean(values['no-settings']), ...(chain !== undefined ? { chainPem: chain } : {}) });
    return { json: res, text: [res.message, ...(res.settings.length ? [formatSettingsResults(res.settings, false)] : [])].join('\n') };
  },
};
