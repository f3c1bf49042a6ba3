/** `import FILE|LINK`: a teammate's profile; shows what it would set and asks, unless --yes. */
import { UserError } from '../../base/errors';
import { list, str, UsageError } from '../args';
import type { Command } from '../command';
import { formatCreated } from '../format';
import { editorsOf, readProfileSource, SIDE_SETTINGS_OPTIONS, stripUndef } from '../options';

export const importCommand: Command = {
  name: 'import',
  summary: "import a teammate's profile file or mtls-tray:// link (shows what it sets, asks unless --yes)",
  usage: 'import FILE|LINK [--yes] [--name NAME] [--san SAN]... [--passphrase-file F] [--editor ID]... [--settings-file PATH]... [--no-settings] [--proxy-support]',
  options: { yes: { type: 'boolean' }, name: { type: 'string' }, san: { type: 'string', multiple: true }, 'passphrase-file': { type: 'string' }, ...SIDE_SETTINGS_OPTIONS },
  details: [
    'The profile\'s SANs are a template: {user} and {hostname} become your login name and short host name.',
    '--san SAN (repeatable) replaces the template, e.g. --san \'email:{user}@example.com\'; --name NAME replaces the display name.',
  ].join('\n'),
  positionals: [1, 1],
  async run(ctx, { values: v, positionals }) {
    const text = readProfileSource(positionals[0]!, ctx);
    const overrides = stripUndef({ name: str(v.name), sans: list(v.san).length ? list(v.san) : undefined });
    const preview = await ctx.service.previewImport(text, overrides);
    if (!v.yes) {
      ctx.stdout(`This profile will set:\n${preview.review.map((l) => `  ${l}`).join('\n')}\n`);
      if (!(await ctx.confirm('Apply it?'))) {
        throw new UserError('NOT_CONFIRMED', 'Nothing was imported', ctx.interactive ? undefined : 'Run again with --yes to import without asking');
      }
    }
    const passphrase = await ctx.readPassphrase(str(v['passphrase-file']));
    if (preview.needsPassphrase && passphrase === undefined) throw new UsageError('this profile carries an encrypted identity; give --passphrase-file F');
    const opts = { ...overrides, ...stripUndef({ editors: editorsOf(v) }), noSettings: Boolean(v['no-settings']), proxyConsent: Boolean(v['proxy-support']), ...(passphrase !== undefined ? { passphrase } : {}) };
    const res = await ctx.service.importProfile(text, opts);
    return { json: { review: preview.review, ...res }, text: formatCreated(res) };
  },
};
