/**
 * Who may call the IPC handlers: only the main frame of one of our own windows, showing our own
 * UI. Electron tells us the sending WebContents and frame; main/app/ipc-main.ts reduces that to
 * SenderInfo, and this pure check decides. A page that navigated away, an iframe, a devtools
 * extension or another window gets a FOREIGN_SENDER error and no handler runs.
 */
import type { IpcChannel, IpcResponse, IpcResultOf } from './contract';
import type { IpcHandlerMap } from './handlers';

export interface SenderInfo {
  /** Id of the BrowserWindow owning the sender, or null when it is not a window of ours. */
  windowId: number | null;
  /** URL of the frame that sent the message (null when the frame is gone). */
  frameUrl: string | null;
  /** Whether that frame is its page's top frame. */
  isMainFrame: boolean;
}

export interface SenderPolicy {
  /** Whether this window id is one we created for our UI. */
  isOurWindow(windowId: number): boolean;
  /** Scheme and host our UI is served from (main/app/renderer-protocol.ts). */
  uiScheme: string;
  uiHost: string;
}

export type SenderVerdict = { ok: true; windowId: number } | { ok: false; reason: string };

export function checkSender(info: SenderInfo, policy: SenderPolicy): SenderVerdict {
  if (info.windowId === null || !policy.isOurWindow(info.windowId)) return { ok: false, reason: 'not one of our windows' };
  if (!info.isMainFrame) return { ok: false, reason: 'not the top frame' };
  if (info.frameUrl === null) return { ok: false, reason: 'the sending frame is gone' };
  let u: URL;
  try {
    u = new URL(info.frameUrl);
  } catch {
    return { ok: false, reason: 'unparsable frame URL' };
  }
  if (u.protocol !== `${policy.uiScheme}:` || u.host !== policy.uiHost) return { ok: false, reason: `frame shows ${u.protocol}//${u.host}, not our UI` };
  return { ok: true, windowId: info.windowId };
}

export type IpcDispatch = <C extends IpcChannel>(channel: C, sender: SenderInfo, rawArgs: readonly unknown[]) => Promise<IpcResponse<IpcResultOf<C>>>;

/** The sender check in front of every handler. */
export function createIpcDispatcher(handlers: IpcHandlerMap, policy: SenderPolicy, onRefused?: (channel: IpcChannel, reason: string) => void): IpcDispatch {
  return async (channel, sender, rawArgs) => {
    const verdict = checkSender(sender, policy);
    if (!verdict.ok) {
      onRefused?.(channel, verdict.reason);
      return { ok: false, error: { code: 'FOREIGN_SENDER', message: `IPC call to ${channel} refused: ${verdict.reason}` } };
    }
    const handler = handlers[channel];
    return handler({ windowId: verdict.windowId }, rawArgs);
  };
}
