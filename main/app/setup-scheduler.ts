/** The renewal scheduler: renews before expiry and notifies; stopped when the app quits. */
import { createRenewalScheduler, type RenewalScheduler } from '../scheduler/renewal-scheduler';
import type { AppContext } from './app-context';
import type { Notify } from './setup-notifications';

export function setupScheduler(ctx: AppContext, notify: Notify): RenewalScheduler {
  const scheduler = createRenewalScheduler({
    service: ctx.service,
    now: () => new Date(),
    timers: { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) },
    notify,
    memory: ctx.prefs,
    onRenewed: () => void ctx.hub.refresh(),
    log: ctx.log,
  });
  // A pending timer would keep the process alive after Quit.
  ctx.electron.app.on('before-quit', () => scheduler.stop());
  return scheduler;
}
