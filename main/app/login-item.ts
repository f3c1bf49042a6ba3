/**
 * "Launch at login": Electron's login items on macOS and Windows, an XDG autostart file on
 * Linux. The login launch passes `--hidden` (Windows, Linux) so the app starts in the tray
 * without a window; macOS reports it with `wasOpenedAtLogin` instead, as its login items take
 * no arguments. `app` is injected; no electron import.
 */
import type { App } from 'electron';
import { HIDDEN_FLAG } from './launch-args';
import { isAutostartEnabled, setAutostart } from './xdg-autostart';

export interface LoginItem {
  isEnabled(): Promise<boolean>;
  setEnabled(on: boolean): Promise<void>;
  /** Whether this run was started by the login item. */
  launchedAtLogin(argv: readonly string[]): boolean;
}

export function createLoginItem(deps: {
  platform: NodeJS.Platform;
  app: Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings'>;
  /** The command that starts the app: [execPath] packaged (the AppImage path on AppImage), [execPath, appPath] in development. */
  command: readonly string[];
  autostartDir: string;
}): LoginItem {
  const { platform, app } = deps;
  const [exe = '', ...base] = deps.command;
  const args = [...base, HIDDEN_FLAG];
  if (platform === 'linux') {
    return {
      isEnabled: () => isAutostartEnabled(deps.autostartDir),
      setEnabled: (on) => setAutostart(deps.autostartDir, on ? [exe, ...args] : null),
      launchedAtLogin: (argv) => argv.includes(HIDDEN_FLAG),
    };
  }
  if (platform === 'win32') {
    return {
      isEnabled: async () => app.getLoginItemSettings({ path: exe, args }).openAtLogin,
      setEnabled: async (on) => app.setLoginItemSettings({ openAtLogin: on, path: exe, args }),
      launchedAtLogin: (argv) => argv.includes(HIDDEN_FLAG),
    };
  }
  return {
    isEnabled: async () => app.getLoginItemSettings().openAtLogin,
    setEnabled: async (on) => app.setLoginItemSettings({ openAtLogin: on }),
    launchedAtLogin: (argv) => argv.includes(HIDDEN_FLAG) || app.getLoginItemSettings().wasOpenedAtLogin,
  };
}
