/** `settings show`: the coder.* settings each editor has now. */
import { formatSettingsValues } from '../format';
import { settingsCommand, settingsRequest } from '../options';

export const settingsShowCommand = settingsCommand(
  'settings show',
  'the coder.* settings of every editor',
  'settings show [--editor ID]... [--settings-file PATH]...',
  async (ctx, values) => {
    const res = await ctx.service.showSettings(settingsRequest(values, ctx));
    return { json: res, text: formatSettingsValues(res) };
  },
);
