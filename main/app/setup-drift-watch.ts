/**
 * The drift watch (issue 17): the managed editors' settings.json and the data dir's published
 * files are watched (main/watch/drift-watch.ts); what changed outside mtls-tray becomes one
 * notice per episode, with Restore and Keep theirs where the platform shows buttons, and the
 * window's drift section is told to look again. Stopped when the app quits.
 */
import { createDriftWatch, type DriftWatch } from '../watch/drift-watch';
import type { AppContext } from './app-context';
import type { Notify } from './setup-notifications';
import type { WindowManager } from './window';

export function setupDriftWatch(ctx: AppContext, deps: { notify: Notify; windows: Pick<WindowManager, 'broadcastStateChanged'> }): DriftWatch {
  let lastKey = '';
  const watch = createDriftWatch({
    service: ctx.service,
    notify: deps.notify,
    now: () => Date.now(),
    timers: { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) },
    onChecked: (report) => {
      // The window re-reads only when what it shows (drifted sources, kept editors) changed.
      const key = JSON.stringify([report.sources, report.kept]);
      if (key === lastKey) return;
      lastKey = key;
      deps.windows.broadcastStateChanged();
    },
    log: ctx.log,
  });
  void watch.start();
  ctx.electron.powerMonitor.on('resume', () => watch.poke());
  ctx.electron.app.on('before-quit', () => watch.stop());
  return watch;
}
