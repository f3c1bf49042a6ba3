/**
 * Which tray icon and tooltip to show. Three states, as the user reads them: all good, needs
 * attention soon, not working. The file names per platform follow what each tray wants:
 * macOS template images (black + alpha, named `...Template.png`, with an `@2x` sibling that
 * nativeImage picks up by itself), Windows ICO with several sizes, Linux plain PNG.
 * scripts/make-icons.mjs draws these files; the test checks that every name here exists.
 */
import type { TrayState } from './tray-state';
import { statusLine } from './tray-menu';
import { describeProfile } from './describe';

export type TrayIconState = 'ok' | 'expiring' | 'error';
export const TRAY_ICON_STATES: readonly TrayIconState[] = ['ok', 'expiring', 'error'];

export function trayIconState(state: TrayState): TrayIconState {
  if (state.loadError !== null) return 'error';
  const a = state.active;
  // No profile yet, or a CSR waiting for its certificate: nothing is broken, but the user has a step to take.
  if (a === null || a.pending) return 'expiring';
  switch (a.level) {
    case 'ok':
      return 'ok';
    case 'expiring':
    case 'pending':
      return 'expiring';
    case 'expired':
    case 'broken':
      return 'error';
  }
}

/** The file under assets/ for a state on a platform (macOS: the 1x name; @2x is found beside it). */
export function trayIconFile(icon: TrayIconState, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return `tray-${icon}Template.png`;
  if (platform === 'win32') return `tray-${icon}.ico`;
  return `tray-${icon}.png`;
}

/** Every file the tray may load, for the packaging test and electron-builder's allow-list. */
export function allTrayIconFiles(): string[] {
  const out: string[] = [];
  for (const s of TRAY_ICON_STATES) {
    out.push(trayIconFile(s, 'darwin'), `tray-${s}Template@2x.png`, trayIconFile(s, 'win32'), trayIconFile(s, 'linux'));
  }
  return out;
}

/** Windows truncates tray tooltips at 127 characters; stay under it everywhere. */
export const TOOLTIP_MAX = 127;

/** The active profile and its time left, even while an action runs (the status line then shows the action). */
export function trayTooltip(state: TrayState): string {
  const what = state.loadError === null && state.active !== null ? describeProfile(state.active) : statusLine(state);
  const text = `mtls-tray: ${what}`;
  return text.length > TOOLTIP_MAX ? `${text.slice(0, TOOLTIP_MAX - 1)}…` : text;
}
