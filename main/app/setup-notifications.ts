/** System notifications: a click opens the window; the "Remind me tomorrow" action snoozes the renewal reminder. */
import type { AppNotice } from '../base/notice';
import type { AppContext } from './app-context';
import { createNotifier } from './notifier';
import type { WindowManager } from './window';

export type Notify = (notice: AppNotice) => void;

/** `snooze` is late-bound by main.ts: the scheduler that it reaches is made with this notifier. */
/** `reenrol` too: the tray's "Request a new certificate…" is made after the notifier. */
/** `drift` too: a drift notice's Restore and Keep theirs reach the drift watch, made after the notifier. */
export function setupNotifications(ctx: AppContext, windows: WindowManager, snooze: (profileId: string, until: Date) => void, reenrol?: (profileId: string) => void, drift?: { restore(sources: string[]): void; keepTheirs(source: string): void }): Notify {
  const { electron, platform } = ctx;
  return createNotifier({
    createNotification: (options) => new electron.Notification(options),
    isSupported: () => electron.Notification.isSupported(),
    platform,
    openWindow: () => windows.show(),
    snooze,
    ...(reenrol ? { reenrol } : {}),
    ...(drift ? { driftRestore: drift.restore, driftKeepTheirs: drift.keepTheirs } : {}),
    now: () => new Date(),
    ...(platform === 'darwin' ? {} : { icon: electron.nativeImage.createFromPath(ctx.asset('icon.png')) }),
    log: ctx.log,
  });
}
