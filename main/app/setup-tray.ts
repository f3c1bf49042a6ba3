/**
 * The tray icon and its menu: drawn from the hub's state on every change, its actions run
 * against the service (failures become notifications, see tray-actions.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import { UserError } from '../base/errors';
import { writeFileAtomic } from '../base/fs-atomic';
import type { RenewalScheduler } from '../scheduler/renewal-scheduler';
import { createTrayActions, type TrayActions } from '../tray/tray-actions';
import { createTrayController, type TrayController } from '../tray/tray-controller';
import { trayIconFile } from '../tray/tray-icon';
import type { AppContext } from './app-context';
import type { FileDialogs } from './file-dialogs';
import type { Notify } from './setup-notifications';
import type { WindowManager } from './window';

export interface TraySetup {
  actions: TrayActions;
  view: TrayController;
}

export function setupTray(ctx: AppContext, deps: { windows: WindowManager; notify: Notify; scheduler: RenewalScheduler; dialogs: FileDialogs }): TraySetup {
  const { electron, platform, service, hub, prefs } = ctx;
  const { windows, scheduler, dialogs } = deps;
  const tray = new electron.Tray(electron.nativeImage.createFromPath(ctx.asset(trayIconFile('expiring', platform))));
  const actions = createTrayActions({
    service,
    hub,
    notify: deps.notify,
    openWindow: () => windows.show(),
    exportProfile: async (profileId) => {
      const path = await dialogs.chooseSaveFile(undefined, { defaultName: `${profileId}.mtlsprofile`, kind: 'profile' });
      if (!path) return null;
      await writeFileAtomic(path, await service.exportProfile(profileId, {}), 0o644);
      return path;
    },
    setLaunchAtLogin: async (on) => {
      await ctx.loginItem.setEnabled(on);
      prefs.set('launchAtLogin', on);
    },
    quit: () => electron.app.quit(),
    saveCsr: async (profileId, csrPem) => {
      const path = await dialogs.chooseSaveFile(undefined, { defaultName: `${profileId}.csr`, kind: 'csr' });
      if (!path) return null;
      await writeFileAtomic(path, csrPem, 0o644);
      return path;
    },
    copyText: (text) => electron.clipboard.writeText(text),
    chooseIssuedCert: async () => {
      const path = await dialogs.chooseOpenFile(undefined, 'certificate');
      if (!path) return null;
      if ((await stat(path)).size > 1024 * 1024) throw new UserError('FILE_TOO_LARGE', `${path} is larger than 1 MiB; that is not a certificate`);
      return readFile(path, 'utf8');
    },
    openWindowAt: (profileId, section) => windows.navigate({ view: 'status', profileId, section }),
    onCredentialsChanged: () => scheduler.poke(),
  });
  const view = createTrayController({
    tray,
    buildMenu: (template) => electron.Menu.buildFromTemplate(template),
    loadIcon: (file) => electron.nativeImage.createFromPath(ctx.asset(file)),
    platform,
    run: (action) => void actions.run(action),
  });
  // Windows delivers clicks on the icon: a left click opens the window (the menu is on the right button).
  if (platform === 'win32') tray.on('click', () => windows.show());
  hub.subscribe((state) => view.render(state));
  return { actions, view };
}
