/** `settings apply`: point the editors at the stable paths, one write per settings file. */
import type { Command } from '../command';
import { changeSettings, SETTINGS_OPTIONS } from '../options';

export const settingsApplyCommand: Command = {
  name: 'settings apply',
  summary: 'point the editors at the stable paths (one write per file)',
  usage: 'settings apply [--editor ID]... [--settings-file PATH]... [--dry-run] [--proxy-support]',
  options: SETTINGS_OPTIONS,
  positionals: [0, 0],
  run: (ctx, { values }) => changeSettings(ctx, values, 'applySettings'),
};
