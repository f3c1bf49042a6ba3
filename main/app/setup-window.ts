/** The one window: a hardened session, and a manager that creates it on demand and remembers where it was. */
import { join } from 'node:path';
import type { AppContext } from './app-context';
import { createWindowManager, hardenSession, type WindowManager } from './window';

export function setupWindow(ctx: AppContext): WindowManager {
  const { electron, platform, devTools, prefs, files } = ctx;
  hardenSession(electron.session.defaultSession, devTools);
  const windows = createWindowManager({
    createWindow: (options) => new electron.BrowserWindow(options),
    preloadPath: join(ctx.dist, 'preload.js'),
    devTools,
    preferences: prefs,
    openExternal: (url) => void electron.shell.openExternal(url),
    isOnScreen: (b) => electron.screen.getAllDisplays().some(({ workArea: a }) => b.x < a.x + a.width && b.x + b.width > a.x && b.y < a.y + a.height && b.y + b.height > a.y),
    // Tokens for files picked in a window die with it.
    onClosed: (id) => files.dropWindow(id),
    ...(platform === 'linux' ? { icon: ctx.asset('icon.png') } : {}),
  });
  ctx.hub.subscribe((state) => {
    // The page re-reads the profiles when they change, wherever the change came from.
    windows.broadcastStateChanged();
    // The window opens on the setup wizard until there is a profile (see setup-launches.ts).
    if (state.profiles.length > 0 && !prefs.get('onboardingDone')) prefs.set('onboardingDone', true);
  });
  return windows;
}
