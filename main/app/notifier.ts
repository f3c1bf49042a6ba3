/**
 * Shows AppNotices as system notifications. A click opens the window (on the profile the notice
 * is about); warnings carry a "Remind me tomorrow" action where the platform shows actions
 * (macOS), which snoozes that profile's warnings for a day; drift notices carry "Restore" and
 * "Keep theirs" (elsewhere the window's drift section offers them). Notifications are kept referenced
 * until closed: Electron loses the click handler of one that has been garbage-collected.
 * The Notification class is injected; no electron import at runtime.
 */
import type { NativeImage, Notification, NotificationConstructorOptions } from 'electron';
import { SNOOZE_MS, type AppNotice } from '../scheduler/notices';

export type NotificationLike = Pick<Notification, 'show' | 'on'>;

export function notificationOptions(notice: AppNotice, platform: NodeJS.Platform, icon?: string | NativeImage): NotificationConstructorOptions {
  const o: NotificationConstructorOptions = { title: notice.title, body: notice.body, silent: !notice.urgent };
  if (icon !== undefined) o.icon = icon;
  if (platform === 'linux') o.urgency = notice.urgent ? 'critical' : 'normal';
  if (platform === 'darwin') {
    const actions = noticeActions(notice).map((a) => ({ type: 'button' as const, text: actionLabel(notice, a) }));
    if (actions.length) o.actions = actions;
  }
  return o;
}

export type NoticeAction = 'reenrol' | 'restore' | 'keep-theirs' | 'snooze';

/** The buttons of a notice, in order: the action it offers first (re-enrol; a drift's Restore and Keep theirs), then "Remind me tomorrow". */
export function noticeActions(notice: AppNotice): NoticeAction[] {
  const out: NoticeAction[] = [];
  if (notice.action) out.push('reenrol');
  if (notice.drift?.restore.length) out.push('restore');
  if (notice.drift?.keepTheirs) out.push('keep-theirs');
  if (notice.snoozable) out.push('snooze');
  return out;
}

function actionLabel(notice: AppNotice, a: NoticeAction): string {
  return a === 'snooze' ? 'Remind me tomorrow' : a === 'restore' ? 'Restore' : a === 'keep-theirs' ? 'Keep theirs' : notice.action!.label;
}

export function createNotifier(deps: {
  createNotification(options: NotificationConstructorOptions): NotificationLike;
  isSupported(): boolean;
  platform: NodeJS.Platform;
  openWindow(profileId?: string): void;
  snooze(profileId: string, until: Date): void;
  /** The re-enrolment action of a CA-issued profile's reminder ("Request a new certificate…"). */
  reenrol?(profileId: string): void;
  /** A drift notice's "Restore" and "Keep theirs" (issue 17); without them the action opens the window, which offers both. */
  driftRestore?(sources: string[]): void;
  driftKeepTheirs?(source: string): void;
  now(): Date;
  /** A NativeImage rather than a path: Linux notification daemons cannot read files inside app.asar. */
  icon?: string | NativeImage;
  log?(message: string): void;
}): (notice: AppNotice) => void {
  const live = new Set<NotificationLike>();
  return (notice) => {
    if (!deps.isSupported()) {
      deps.log?.(`notification (unsupported here): ${notice.title}: ${notice.body}`);
      return;
    }
    const n = deps.createNotification(notificationOptions(notice, deps.platform, deps.icon));
    live.add(n);
    // Some Linux notification daemons never report 'close': do not hold on to those forever.
    if (live.size > 20) live.delete(live.values().next().value as NotificationLike);
    n.on('click', () => deps.openWindow(notice.profileId));
    n.on('action', (_event: unknown, index?: number) => {
      const which = noticeActions(notice)[index ?? 0];
      if (which === 'restore') {
        if (deps.driftRestore) deps.driftRestore(notice.drift!.restore);
        else deps.openWindow();
        return;
      }
      if (which === 'keep-theirs') {
        if (deps.driftKeepTheirs) deps.driftKeepTheirs(notice.drift!.keepTheirs!);
        else deps.openWindow();
        return;
      }
      if (notice.profileId === undefined) return;
      if (which === 'reenrol') {
        if (deps.reenrol) deps.reenrol(notice.profileId);
        else deps.openWindow(notice.profileId);
      } else if (which === 'snooze') deps.snooze(notice.profileId, new Date(deps.now().getTime() + SNOOZE_MS));
    });
    n.on('close', () => live.delete(n));
    n.show();
  };
}
