/** `settings remove`: put back what the settings were before mtls-tray wrote them. */
import type { Command } from '../command';
import { changeSettings, SETTINGS_OPTIONS } from '../options';

export const settingsRemoveCommand: Command = {
  name: 'settings remove',
  summary: 'put back what the settings were before mtls-tray',
  usage: 'settings remove [--editor ID]... [--settings-file PATH]... [--dry-run]',
  options: SETTINGS_OPTIONS,
  positionals: [0, 0],
  run: (ctx, { values }) => changeSettings(ctx, values, 'removeSettings'),
};
