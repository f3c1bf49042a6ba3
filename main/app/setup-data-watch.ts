/**
 * The CLI and other processes change the data directory too: the tray looks again when it
 * changes, after the machine wakes, and every minute (days left move on their own), and the
 * scheduler re-plans.
 */
import { watch } from 'node:fs';
import type { RenewalScheduler } from '../scheduler/renewal-scheduler';
import type { AppContext } from './app-context';

const STATE_POLL_MS = 60_000;

export function setupDataWatch(ctx: AppContext, scheduler: Pick<RenewalScheduler, 'poke'>): void {
  const { electron, hub } = ctx;
  const changed = () => {
    void hub.refresh();
    scheduler.poke();
  };
  const poll = setInterval(() => void hub.refresh(), STATE_POLL_MS);
  // A missing directory (first run) is simply not watched yet.
  let watcher: ReturnType<typeof watch> | null = null;
  try {
    watcher = watch(ctx.dataDir, { persistent: false }, changed);
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = null;
  }
  electron.powerMonitor.on('resume', changed);
  electron.app.on('before-quit', () => {
    clearInterval(poll);
    watcher?.close();
  });
}
