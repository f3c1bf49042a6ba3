/**
 * The tray menu as data, built by one pure function from TrayState. Every action the tray offers
 * is a menu item, because Linux trays (AppIndicator) deliver no clicks on the icon itself. The
 * layout is the same in every state (items are disabled, never removed) so the user finds
 * things where they were; main/app/tray-controller.ts turns the model into an Electron Menu.
 */
import type { TrayState } from './tray-state';
import { canActOnOwn, isCaIssuedProfile } from './tray-state';
import { describeProfile } from './describe';

export type TrayAction =
  | { type: 'open' }
  | { type: 'rotate' }
  | { type: 'renew' }
  | { type: 'switch'; profileId: string }
  | { type: 'export' }
  | { type: 'test' }
  /** CA-issued profiles (issue 12): re-enrolment by hand, and the issuer command. */
  | { type: 'request-csr' }
  | { type: 'import-cert' }
  | { type: 'setup-issuer' }
  | { type: 'toggle-launch-at-login' }
  | { type: 'quit' };

export type TrayMenuItem =
  /** Text only (the status line, "No profiles"): shown disabled. */
  | { kind: 'label'; id: string; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; id: string; label: string; enabled: boolean; action: TrayAction }
  | { kind: 'checkbox'; id: string; label: string; enabled: boolean; checked: boolean; action: TrayAction }
  | { kind: 'radio'; id: string; label: string; enabled: boolean; checked: boolean; action: TrayAction }
  | { kind: 'submenu'; id: string; label: string; enabled: boolean; items: TrayMenuItem[] };

const BUSY_LABEL: Record<NonNullable<TrayState['busy']>, string> = {
  renew: 'Renewing…',
  rotate: 'Rotating certificate…',
  switch: 'Switching profile…',
  test: 'Testing connection…',
  export: 'Exporting…',
  reenrol: 'Re-enrolling…',
};

export function statusLine(state: TrayState): string {
  if (state.loadError !== null) return `Cannot read profiles: ${oneLine(state.loadError, 80)}`;
  if (state.busy !== null) return BUSY_LABEL[state.busy];
  if (state.active === null) return state.profiles.length ? 'No active profile' : 'No profile yet: open to set up';
  return describeProfile(state.active);
}

export function buildTrayMenu(state: TrayState): TrayMenuItem[] {
  const idle = state.busy === null && state.loadError === null;
  const own = idle && canActOnOwn(state.active);
  const hasActive = idle && state.active !== null;
  const switchable = idle && state.profiles.length > 0;
  const caIssued = idle && isCaIssuedProfile(state.active);
  return [
    { kind: 'label', id: 'status', label: statusLine(state) },
    { kind: 'separator' },
    { kind: 'action', id: 'rotate', label: 'Rotate certificate', enabled: idle && state.active !== null && state.active.canRotate, action: { type: 'rotate' } },
    { kind: 'action', id: 'renew', label: 'Renew now', enabled: own, action: { type: 'renew' } },
    { kind: 'action', id: 'request-csr', label: 'Request a new certificate…', enabled: caIssued, action: { type: 'request-csr' } },
    { kind: 'action', id: 'import-cert', label: 'Import issued certificate…', enabled: caIssued, action: { type: 'import-cert' } },
    // An issuer command renews a certificate: a profile still waiting for its first one has none yet.
    { kind: 'action', id: 'setup-issuer', label: 'Set up automatic renewal…', enabled: caIssued && !state.active!.pending, action: { type: 'setup-issuer' } },
    {
      kind: 'submenu',
      id: 'switch',
      label: 'Switch profile',
      enabled: switchable,
      items: state.profiles.length
        ? state.profiles.map((p) => ({
            kind: 'radio' as const,
            id: `switch:${p.id}`,
            label: menuLabel(p.name),
            enabled: switchable,
            checked: p.active,
            action: { type: 'switch' as const, profileId: p.id },
          }))
        : [{ kind: 'label', id: 'switch:none', label: 'No profiles' }],
    },
    { kind: 'separator' },
    { kind: 'action', id: 'open', label: state.profiles.length ? 'Open…' : 'Set up…', enabled: true, action: { type: 'open' } },
    { kind: 'action', id: 'export', label: 'Export profile…', enabled: hasActive, action: { type: 'export' } },
    { kind: 'action', id: 'test', label: 'Test connection', enabled: hasActive, action: { type: 'test' } },
    { kind: 'separator' },
    {
      kind: 'checkbox',
      id: 'launch-at-login',
      label: 'Launch at login',
      enabled: true,
      checked: state.launchAtLogin,
      action: { type: 'toggle-launch-at-login' },
    },
    { kind: 'action', id: 'quit', label: 'Quit mtls-tray', enabled: true, action: { type: 'quit' } },
  ];
}

/** Profile names are free text: one line, bounded, so a long name cannot widen the menu off-screen. */
function menuLabel(name: string): string {
  return oneLine(name, 60);
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
