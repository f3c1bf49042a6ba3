/**
 * For the Playwright smoke test (test/electron/smoke.spec.ts) only, with MTLS_TRAY_TEST_HOOKS=1:
 * read-only views of the tray, window and scheduler, plus the tray's actions.
 */
import type { RenewalScheduler } from '../scheduler/renewal-scheduler';
import type { TraySetup } from './setup-tray';
import type { WindowManager } from './window';

export function setupTestHooks(deps: { tray: TraySetup; windows: WindowManager; scheduler: RenewalScheduler }): void {
  if (process.env.MTLS_TRAY_TEST_HOOKS !== '1') return;
  const { tray, windows, scheduler } = deps;
  Object.assign(globalThis, {
    __mtlsTray: {
      trayShowing: () => tray.view.showing(),
      windowId: () => windows.current()?.id ?? null,
      runTrayAction: (a: Parameters<typeof tray.actions.run>[0]) => tray.actions.run(a),
      nextRenewalCheck: () => scheduler.nextWakeAt()?.toISOString() ?? null,
    },
  });
}
