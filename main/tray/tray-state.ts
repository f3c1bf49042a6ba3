/**
 * What the tray shows, as plain data: the profiles, which one is active, whether an action is
 * running, and the login-item switch. The menu, the icon and the tooltip are pure functions of
 * this (tray-menu.ts, tray-icon.ts), so the Electron side only re-renders it on every change.
 */
import type { AppService, ProfileSummaryDto } from '../services/app-service';

export type TrayBusy = 'renew' | 'rotate' | 'switch' | 'test' | 'export' | 'reenrol';

export interface TrayState {
  profiles: ProfileSummaryDto[];
  /** The active profile, or null before the first one is created. */
  active: ProfileSummaryDto | null;
  /** An action in progress: its menu items are disabled so a second click cannot start it twice. */
  busy: TrayBusy | null;
  launchAtLogin: boolean;
  /** The profiles could not be read (broken data directory): shown instead of a status. */
  loadError: string | null;
}

export const EMPTY_TRAY_STATE: TrayState = { profiles: [], active: null, busy: null, launchAtLogin: false, loadError: null };

/**
 * Reads the state from the service. A failure to read is part of the state (the tray must still
 * open, show what is wrong and offer Quit), not an exception.
 */
export async function loadTrayState(
  service: Pick<AppService, 'listProfiles'>,
  extra: { busy: TrayBusy | null; launchAtLogin: boolean },
): Promise<TrayState> {
  try {
    const profiles = await service.listProfiles();
    const active = profiles.find((p) => p.active) ?? null;
    return { profiles, active, busy: extra.busy, launchAtLogin: extra.launchAtLogin, loadError: null };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { profiles: [], active: null, busy: extra.busy, launchAtLogin: extra.launchAtLogin, loadError: message };
  }
}

/** A certificate from the user's CA: re-enrolled (by hand or through an issuer command), never signed by us. */
export function isCaIssuedProfile(p: ProfileSummaryDto | null): boolean {
  return p !== null && (p.source === 'csr' || p.source === 'imported');
}

/** Whether the tray may offer renew: the service's classifier decides (`canRenew`). */
export function canActOnOwn(p: ProfileSummaryDto | null): boolean {
  return p !== null && p.canRenew;
}
