/**
 * "Launch at login": the OS (or the XDG autostart file) is the truth, read once at start; the
 * preference only remembers it for the next start's menu.
 */
import type { AppContext } from './app-context';

export function setupLoginItem({ loginItem, hub, prefs, log }: AppContext): void {
  loginItem
    .isEnabled()
    .then((on) => {
      hub.setLaunchAtLogin(on);
      prefs.set('launchAtLogin', on);
    })
    .catch((err: unknown) => log(`login item: ${String(err)}`));
}
