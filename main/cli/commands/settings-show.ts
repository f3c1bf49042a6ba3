/** `settings show`: the coder.* settings each editor has now. */
import type { Command } from '../command';
import { formatSettingsValues } from '../format';
import { settingsRequest, SETTINGS_OPTIONS } from '../options';

export const settingsShowCommand: Command = {
  name: 'settings show',
  summary: 'the coder.* settings of every editor',
  usage: 'settings show [--editor ID]... [--settings-file PATH]...',
  options: SETTINGS_OPTIONS,
  positionals: [0, 0],
  async run(ctx, { values }) {
    const res = await ctx.service.showSettings(settingsRequest(values, ctx));
    return { json: res, text: formatSettingsValues(res) };
  },
};
