/**
 * The one place the tray's state lives. Anything that may have changed profiles (an IPC call,
 * the scheduler, a tray action, the CLI writing the data directory) calls refresh(); listeners
 * (the tray renderer, the window) hear about every state that differs from the last one.
 * Concurrent refreshes coalesce into one more read, so a burst of changes costs two reads.
 */
import type { AppService } from '../services/app-service';
import { EMPTY_TRAY_STATE, loadTrayState, type TrayBusy, type TrayState } from './tray-state';

export interface StateHub {
  current(): TrayState;
  refresh(): Promise<TrayState>;
  setBusy(busy: TrayBusy | null): void;
  setLaunchAtLogin(on: boolean): void;
  subscribe(listener: (state: TrayState) => void): () => void;
}

export function createStateHub(deps: { service: Pick<AppService, 'listProfiles'>; launchAtLogin: boolean }): StateHub {
  let state: TrayState = { ...EMPTY_TRAY_STATE, launchAtLogin: deps.launchAtLogin };
  let lastKey = '';
  const listeners = new Set<(s: TrayState) => void>();
  let inFlight: Promise<TrayState> | null = null;
  let again = false;

  function emit(next: TrayState): void {
    state = next;
    const key = JSON.stringify(next);
    if (key === lastKey) return;
    lastKey = key;
    for (const l of listeners) l(next);
  }

  async function load(): Promise<TrayState> {
    do {
      again = false;
      emit(await loadTrayState(deps.service, { busy: state.busy, launchAtLogin: state.launchAtLogin }));
    } while (again);
    return state;
  }

  return {
    current: () => state,
    refresh() {
      if (inFlight) {
        again = true;
        return inFlight;
      }
      inFlight = load().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    setBusy(busy) {
      emit({ ...state, busy });
    },
    setLaunchAtLogin(on) {
      emit({ ...state, launchAtLogin: on });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
