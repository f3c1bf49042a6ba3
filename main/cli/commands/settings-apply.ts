/** `settings apply`: point the editors at the stable paths, one write per settings file. */
import { changeSettings, settingsCommand } from '../options';

export const settingsApplyCommand = settingsCommand(
  'settings apply',
  'point the editors at the stable paths (one write per file)',
  'settings apply [--editor ID]... [--settings-file PATH]... [--dry-run] [--proxy-support]',
  (ctx, values) => changeSettings(ctx, values, 'applySettings'),
);
