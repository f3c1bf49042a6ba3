/**
 * Registers every channel of the contract with ipcMain.handle. Electron's event is reduced to
 * SenderInfo (which of our windows, which frame, at which URL) and the dispatcher refuses
 * anything that is not the top frame of our window showing our UI. Nothing but the channels
 * of IPC_CHANNELS is registered. ipcMain and the window lookup are injected.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS, type IpcChannel } from '../ipc/contract';
import type { IpcDispatch, SenderInfo } from '../ipc/sender-check';

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;
export type InvokeEventLike = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/** `windowIdOf`: BrowserWindow.fromWebContents(sender)?.id, or null. */
export function senderInfo(event: InvokeEventLike, windowIdOf: (sender: IpcMainInvokeEvent['sender']) => number | null): SenderInfo {
  const frame = event.senderFrame;
  return {
    windowId: windowIdOf(event.sender),
    frameUrl: frame?.url ?? null,
    // A frame object is a fresh wrapper per call; compare identities by routing id and process.
    isMainFrame:
      frame !== null &&
      frame !== undefined &&
      frame.parent === null &&
      frame.routingId === event.sender.mainFrame.routingId &&
      frame.processId === event.sender.mainFrame.processId,
  };
}

export function registerIpc(ipcMain: IpcMainLike, dispatch: IpcDispatch, windowIdOf: (sender: IpcMainInvokeEvent['sender']) => number | null): () => void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => dispatch(channel as IpcChannel, senderInfo(event, windowIdOf), args));
  }
  return () => {
    for (const channel of IPC_CHANNELS) ipcMain.removeHandler(channel);
  };
}
