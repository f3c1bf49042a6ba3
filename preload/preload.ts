/**
 * The sandboxed preload: exposes `window.mtlsTray` (MtlsTrayApi) and nothing else. It forwards
 * only the contract's channels (a renderer bug or an injected script cannot reach any other
 * ipcMain handler, e.g. one a dependency registered) and never hands out ipcRenderer or event
 * objects. The allow-list is the keys of the IPC schema map (main/ipc/schema.ts), the same map
 * main validates against; that map is built with valibot, so the bundle carries the parts of
 * valibot it uses (~27 KB unminified). Bundled by scripts/build.mjs into one CommonJS file
 * whose only require is `electron`, which is all a sandboxed preload may require.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, IPC_EVENT_NAVIGATE, IPC_EVENT_STATE_CHANGED, type IpcChannel, type IpcResponse, type IpcResultOf, type MtlsTrayApi, type NavigateRequest } from '../main/ipc/contract';

const allowed = new Set<string>(IPC_CHANNELS);

function subscribe<T extends unknown[]>(event: string, listener: (...args: T) => void): () => void {
  // The page's listener gets the payload only, never Electron's event (it carries `sender`).
  const wrapped = (_event: unknown, ...args: unknown[]) => listener(...(args as T));
  ipcRenderer.on(event, wrapped);
  return () => {
    ipcRenderer.removeListener(event, wrapped);
  };
}

const api: MtlsTrayApi = {
  invoke(channel, ...args) {
    if (typeof channel !== 'string' || !allowed.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_IPC_CHANNEL', message: `unknown channel ${String(channel)}` } });
    }
    // Main answers every channel with an IpcResponse of the contract's result type.
    return ipcRenderer.invoke(channel satisfies IpcChannel, ...args) as Promise<IpcResponse<IpcResultOf<typeof channel>>>;
  },
  onStateChanged(listener) {
    return subscribe(IPC_EVENT_STATE_CHANGED, () => listener());
  },
  onNavigate(listener) {
    return subscribe(IPC_EVENT_NAVIGATE, (req: NavigateRequest) => listener(req));
  },
};

contextBridge.exposeInMainWorld('mtlsTray', api);
