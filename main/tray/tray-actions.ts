/**
 * What each tray menu item does. Long actions mark the state busy (their items grey out, the
 * status line says what is running), report the outcome as a notification whose click opens the
 * window, and refresh the state when done, success or not. Everything is injected: tests run
 * the real runner against a fake service and record the notifications.
 */
import { isUserError } from '../base/errors';
import { sentence, type AppNotice } from '../base/notice';
import type { AppService } from '../services/app-service';
import type { StateHub } from './state-hub';
import type { TrayAction } from './tray-menu';
import type { TrayBusy } from './tray-state';

export interface TrayActionDeps {
  service: Pick<AppService, 'rotate' | 'renew' | 'switchProfile' | 'doctor'> & Partial<Pick<AppService, 'csrNew' | 'csrImportCert'>>;
  hub: StateHub;
  notify(notice: AppNotice): void;
  openWindow(): void;
  /** Save dialog + export + write; the path written, or null when the user cancelled. */
  exportProfile(profileId: string): Promise<string | null>;
  /** Registers (or removes) the login item and remembers the choice; rejects when the OS refuses. */
  setLaunchAtLogin(on: boolean): Promise<void>;
  quit(): void;
  /** "Request a new certificate…": save dialog + write the CSR; the path, or null when cancelled. */
  saveCsr?(profileId: string, csrPem: string): Promise<string | null>;
  /** Puts the CSR on the clipboard as well, to paste into a CA's web form. */
  copyText?(text: string): void;
  /** "Import issued certificate…": open dialog; the file's text, or null when cancelled. */
  chooseIssuedCert?(): Promise<string | null>;
  /**
   * Opens the window at a profile's section: 'reenrol' (what to send to the CA, where, and the
   * import button), 'issuer' (the issuer-command form). Without it the window just opens.
   */
  openWindowAt?(profileId: string, section: TraySection): void;
  /** After credentials changed (renew, rotate, switch): e.g. re-plan the scheduler. */
  onCredentialsChanged?(): void;
}

/** The parts of the window the tray opens directly. */
export type TraySection = 'reenrol' | 'issuer';

export interface TrayActions {
  /** Runs an action; never rejects (failures become notifications). */
  run(action: TrayAction): Promise<void>;
}

function errorText(err: unknown): string {
  if (isUserError(err)) return err.fix ? `${sentence(err.message)} ${sentence(err.fix)}` : sentence(err.message);
  return sentence(`Unexpected error: ${err instanceof Error ? err.message : String(err)}`);
}

export function createTrayActions(deps: TrayActionDeps): TrayActions {
  const { hub } = deps;

  function showAt(profileId: string, section: TraySection): void {
    if (deps.openWindowAt) deps.openWindowAt(profileId, section);
    else deps.openWindow();
  }

  async function busy<T>(what: TrayBusy, fn: () => Promise<T>): Promise<T> {
    hub.setBusy(what);
    try {
      return await fn();
    } finally {
      hub.setBusy(null);
      await hub.refresh();
    }
  }

  async function run(action: TrayAction): Promise<void> {
    const state = hub.current();
    const active = state.active;
    // A click that arrives while another action runs (menus can be stale) is dropped.
    if (state.busy !== null && action.type !== 'open' && action.type !== 'quit') return;
    switch (action.type) {
      case 'open':
        deps.openWindow();
        return;
      case 'quit':
        deps.quit();
        return;
      case 'rotate':
      case 'renew': {
        if (active === null) return;
        const verb = action.type === 'rotate' ? 'rotated' : 'renewed';
        try {
          const res = await busy(action.type, () => (action.type === 'rotate' ? deps.service.rotate(active.id) : deps.service.renew(active.id)));
          deps.onCredentialsChanged?.();
          deps.notify({
            kind: action.type === 'rotate' ? 'rotated' : 'renewed',
            profileId: active.id,
            title: `${active.name}: certificate ${verb}`,
            body: `${res.message} Editors use it from their next request; no setting changed.`,
          });
        } catch (err) {
          deps.onCredentialsChanged?.();
          deps.notify({
            kind: action.type === 'rotate' ? 'rotate-failed' : 'renew-failed',
            profileId: active.id,
            title: `${active.name}: ${action.type === 'rotate' ? 'rotation' : 'renewal'} failed`,
            body: `${errorText(err)} The previous certificate is still in place.`,
            urgent: true,
          });
        }
        return;
      }
      case 'switch': {
        if (active?.id === action.profileId) return;
        const target = state.profiles.find((p) => p.id === action.profileId);
        try {
          const res = await busy('switch', () => deps.service.switchProfile(action.profileId));
          deps.onCredentialsChanged?.();
          const changed = res.settings.filter((s) => s.wrote).length;
          // Name the keys that make open remote windows ask to reload (e.g. coder.headerCommand appearing).
          const reload = [...new Set(res.settings.filter((s) => s.wrote).flatMap((s) => s.reloadKeys ?? []))];
          const reloadNote = reload.length ? ` Open remote windows will ask once to reload (${reload.join(', ')} changed).` : '';
          deps.notify({
            kind: 'switched',
            profileId: res.profileId,
            title: `Switched to ${target?.name ?? res.profileId}`,
            body: changed ? `Updated the settings of ${changed} editor(s).${reloadNote}` : 'Editors pick up the new certificate on their next request.',
          });
        } catch (err) {
          deps.notify({ kind: 'switch-failed', title: `Could not switch to ${target?.name ?? action.profileId}`, body: errorText(err), urgent: true });
        }
        return;
      }
      case 'export': {
        if (active === null) return;
        try {
          const path = await busy('export', () => deps.exportProfile(active.id));
          if (path !== null) deps.notify({ kind: 'exported', profileId: active.id, title: `${active.name}: profile exported`, body: `Saved to ${path}. It holds no private key; share it with teammates.` });
        } catch (err) {
          deps.notify({ kind: 'error', profileId: active.id, title: 'Export failed', body: errorText(err) });
        }
        return;
      }
      case 'test': {
        if (active === null) return;
        try {
          const report = await busy('test', () => deps.service.doctor(active.id));
          const bad = report.checks.filter((c) => c.status === 'fail');
          deps.notify(
            report.ok
              ? { kind: 'test-ok', profileId: active.id, title: `${active.name}: connection works`, body: `${report.checks.filter((c) => c.status === 'pass').length} checks passed.` }
              : {
                  kind: 'test-failed',
                  profileId: active.id,
                  title: `${active.name}: connection test failed`,
                  body: bad.map((c) => `${c.title}: ${c.detail}`).join('\n') || 'See the details in the window.',
                  urgent: true,
                },
          );
        } catch (err) {
          deps.notify({ kind: 'test-failed', profileId: active.id, title: `${active.name}: connection test failed`, body: errorText(err), urgent: true });
        }
        return;
      }
      case 'request-csr': {
        if (active === null || !deps.service.csrNew) return;
        try {
          const res = await busy('reenrol', () => deps.service.csrNew!(active.id, {}));
          deps.copyText?.(res.csrPem);
          const path = deps.saveCsr ? await deps.saveCsr(active.id, res.csrPem) : null;
          // The window shows the request, where to send it and the import button: saved or not, it is there.
          showAt(active.id, 'reenrol');
          deps.notify({
            kind: 'reenrol',
            profileId: active.id,
            title: `${active.name}: certificate request ready`,
            body: `${path ? `Saved to ${path}` : 'Not saved to a file'}${deps.copyText ? ' and copied to the clipboard' : ''}. Send it to your CA, then use “Import issued certificate…”. The current certificate keeps working meanwhile.`,
          });
        } catch (err) {
          deps.notify({ kind: 'error', profileId: active.id, title: `${active.name}: could not make a certificate request`, body: errorText(err) });
        }
        return;
      }
      case 'import-cert': {
        if (active === null || !deps.service.csrImportCert || !deps.chooseIssuedCert) return;
        try {
          const pem = await deps.chooseIssuedCert();
          if (pem === null) return;
          const res = await busy('reenrol', () => deps.service.csrImportCert!(pem, active.id));
          deps.onCredentialsChanged?.();
          deps.notify({ kind: 'renewed', profileId: active.id, title: `${active.name}: issued certificate imported`, body: `${res.message}` });
        } catch (err) {
          deps.notify({ kind: 'renew-failed', profileId: active.id, title: `${active.name}: the issued certificate was not imported`, body: `${errorText(err)} Nothing changed; the current certificate is still in place.`, urgent: true });
        }
        return;
      }
      case 'setup-issuer': {
        if (active === null) return;
        showAt(active.id, 'issuer');
        return;
      }
      case 'toggle-launch-at-login': {
        const on = !state.launchAtLogin;
        try {
          await deps.setLaunchAtLogin(on);
          hub.setLaunchAtLogin(on);
        } catch (err) {
          deps.notify({ kind: 'error', title: 'Could not change launch at login', body: errorText(err) });
        }
        return;
      }
    }
  }

  return {
    async run(action) {
      try {
        await run(action);
      } catch (err) {
        deps.notify({ kind: 'error', title: 'mtls-tray', body: errorText(err) });
      }
    },
  };
}
