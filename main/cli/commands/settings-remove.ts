/** `settings remove`: put back what the settings were before mtls-tray wrote them. */
import { changeSettings, settingsCommand } from '../options';

export const settingsRemoveCommand = settingsCommand(
  'settings remove',
  'put back what the settings were before mtls-tray',
  'settings remove [--editor ID]... [--settings-file PATH]... [--dry-run]',
  (ctx, values) => changeSettings(ctx, values, 'removeSettings'),
);
