/**
 * The window's IPC: every channel's handler over the real service, registered behind the
 * sender check (only our window, on our origin, may call).
 */
import { writeFileAtomic } from '../base/fs-atomic';
import { createIpcHandlers } from '../ipc/handlers';
import { createIpcDispatcher } from '../ipc/sender-check';
import type { RenewalScheduler } from '../scheduler/renewal-scheduler';
import type { AppContext } from './app-context';
import type { FileDialogs } from './file-dialogs';
import { registerIpc } from './ipc-main';
import { UI_HOST, UI_SCHEME } from './renderer-protocol';
import type { WindowManager } from './window';

export function setupIpc(ctx: AppContext, deps: { windows: WindowManager; scheduler: RenewalScheduler; dialogs: FileDialogs }): void {
  const { electron, hub, log } = ctx;
  const { windows, scheduler, dialogs } = deps;
  const handlers = createIpcHandlers({
    service: ctx.service,
    files: ctx.files,
    chooseOpenFile: dialogs.chooseOpenFile,
    chooseSaveFile: dialogs.chooseSaveFile,
    confirmIssuerCommand: dialogs.confirmIssuerCommand,
    writeFile: (path, text, mode) => writeFileAtomic(path, text, mode),
    // The window's "Remind me tomorrow": the same snooze as the notification's action.
    snooze: (id, untilMs) => scheduler.snooze(id, new Date(untilMs)),
    now: () => Date.now(),
    clipboardWriteText: (text) => electron.clipboard.writeText(text),
    onStateChanged: () => {
      void hub.refresh();
      scheduler.poke();
    },
    logError: (channel, err) => log(`${channel}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`),
  });
  registerIpc(
    electron.ipcMain,
    createIpcDispatcher(handlers, { isOurWindow: (id) => windows.isOurWindow(id), uiScheme: UI_SCHEME, uiHost: UI_HOST }, (channel, reason) => log(`refused IPC ${channel}: ${reason}`)),
    (sender) => electron.BrowserWindow.fromWebContents(sender)?.id ?? null,
  );
}
