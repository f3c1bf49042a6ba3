/**
 * The window's only way to the main process: `window.mtlsTray` (exposed by the preload),
 * wrapped so a view writes `await api.call('profile:renew')` and gets the value or an
 * `ApiError` carrying the service's code, message, fix and (when main says) the field at fault. Errors cross IPC as data
 * (`IpcResponse`), because Electron's own error serialisation drops code and fix.
 */
import type { IpcArgs, IpcChannel, IpcResultOf, MtlsTrayApi, NavigateRequest } from '../main/ipc/contract';

export class ApiError extends Error {
  readonly code: string;
  readonly fix: string | undefined;
  /** Which input the error is about, when main says (UserError.field). */
  readonly field: string | undefined;
  constructor(code: string, message: string, fix?: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.fix = fix;
    this.field = field;
  }
}

export interface Api {
  call<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcResultOf<C>>;
  onStateChanged(listener: () => void): () => void;
  /** Views requested from outside the window (an opened link or profile file, the tray). */
  onNavigate(listener: (req: NavigateRequest) => void): () => void;
}

export function createApi(bridge: MtlsTrayApi): Api {
  return {
    async call(channel, ...args) {
      let res;
      try {
        res = await bridge.invoke(channel, ...args);
      } catch (err) {
        // A rejected invoke means the bridge itself broke (not a user error): say so plainly.
        throw new ApiError('IPC_FAILED', `The app did not answer (${channel}): ${err instanceof Error ? err.message : String(err)}`);
      }
      if (res.ok) return res.value;
      throw new ApiError(res.error.code, res.error.message, res.error.fix, res.error.field);
    },
    onStateChanged: (listener) => bridge.onStateChanged(listener),
    onNavigate: (listener) => (bridge.onNavigate ? bridge.onNavigate(listener) : () => {}),
  };
}

/** The error as one line for a person: message, then what to do. */
export function errorText(err: unknown): { message: string; fix?: string; code: string; field?: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.message, ...(err.fix ? { fix: err.fix } : {}), ...(err.field ? { field: err.field } : {}) };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
