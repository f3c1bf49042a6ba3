/**
 * Shows AppNotices as system notifications. A click opens the window (on the profile the notice
 * is about); warnings carry a "Remind me tomorrow" action where the platform shows actions
 * (macOS), which snoozes that profile's warnings for a day. Notifications are kept referenced
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
    const actions = noticeActions(notice).map((a) => ({ type: 'button' as const, text: a === 'snooze' ? 'Remind me tomorrow' : notice.action!.label }));
    if (actions.length) o.actions = actions;
  }
  return o;
}

/** The buttons of a notice, in order: the action it offers first, then "Remind me tomorrow". */
export function noticeActions(notice: AppNotice): Array<'reenrol' | 'snooze'> {
  return [...(notice.action ? (['reenrol'] as const) : []), ...(notice.snoozable ? (['snooze'] as const) : [])];
}

export function createNotifier(deps: {
  createNotification(options: NotificationConstructorOptions): NotificationLike;
  isSupported(): boolean;
  platform: NodeJS.Platform;
  openWindow(profileId?: string): void;
  snooze(profileId: string, until: Date): void;
  /** The re-enrolment action of a CA-issued profile's reminder ("Request a new certificate…"). */
  reenrol?(profileId: string): void;
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
      if (notice.profileId === undefined) return;
      const which = noticeActions(notice)[index ?? 0];
      if (which === 'reenrol') {
        if (deps.reenrol) deps.reenrol(notice.profileId);
        else deps.openWindow(notice.profileId);
      } else if (which === 'snooze') deps.snooze(notice.profileId, new Date(deps.now().getTime() + SNOOZE_MS));
    });
    n.on('close', () => live.delete(n));
    n.show();
  };
}
