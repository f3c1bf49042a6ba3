/** `csr import-cert FILE`: the CA-issued certificate completes a --csr profile. */
import type { Command } from '../command';
import { formatSettingsResults } from '../format';
import { PROFILE_OPTION, profileOf, settingsRequest, SIDE_SETTINGS_OPTIONS } from '../options';

export const csrImportCertCommand: Command = {
  name: 'csr import-cert',
  summary: 'complete a --csr profile with the certificate your CA issued',
  usage: 'csr import-cert FILE [--profile NAME] [--editor ID]... [--settings-file PATH]... [--no-settings] [--proxy-support]',
  options: { ...PROFILE_OPTION, ...SIDE_SETTINGS_OPTIONS },
  positionals: [1, 1],
  async run(ctx, { values, positionals }) {
    const certPem = ctx.readText(positionals[0]!, 'certificate file');
    const res = await ctx.service.csrImportCert(certPem, profileOf(values), { ...settingsRequest(values, ctx), noSettings: Boolean(values['no-settings']) });
    return { json: res, text: [res.message, ...(res.settings.length ? [formatSettingsResults(res.settings, false)] : [])].join('\n') };
  },
};
