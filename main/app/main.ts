/**
 * The Electron composition root, and the only module that imports electron at runtime. It
 * decides between the two ways the app binary runs:
 *   `mtls-tray --cli ARGS...`  the headless CLI (what the refresh script calls after
 *                              installation), run before any window, tray or lock exists;
 *   otherwise                  the tray app: single-instance lock, services wired by
 *                              injection into the thin modules beside this file.
 * Everything that decides anything lives in those modules and is tested on plain Node; this
 * file only creates Electron objects and connects them.
 */
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, protocol, screen, session, shell, Tray } from 'electron';
import { watch } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { isUserError } from '../base/errors';
import { createFileTokenStore, type FilePurpose } from '../ipc/file-tokens';
import { createIpcHandlers, type SaveKind } from '../ipc/handlers';
import { createIpcDispatcher } from '../ipc/sender-check';
import { createRenewalScheduler } from '../scheduler/renewal-scheduler';
import type { AppService } from '../services/app-service';
import { createAppService } from '../services/create-app-service';
import { resolveDataDir } from '../store/data-dir';
import { writeFileAtomic } from '../base/fs-atomic';
import { createStateHub } from '../tray/state-hub';
import { trayIconFile } from '../tray/tray-icon';
import { APP_ID } from './app-id';
import { registerIpc } from './ipc-main';
import { cliArgs, LINK_PROTOCOL, parseLaunchArgs, type LaunchRequest } from './launch-args';
import { createLoginItem } from './login-item';
import { createNotifier } from './notifier';
import { createUiRequestHandler, UI_HOST, UI_SCHEME } from './renderer-protocol';
import { setupSingleInstance } from './single-instance';
import { createStorePreferences } from './store-preferences';
import { createTrayActions } from '../tray/tray-actions';
import { createTrayController } from '../tray/tray-controller';
import { autostartDir } from './xdg-autostart';
import { createWindowManager, hardenSession } from './window';

const platform = process.platform;
/** argv entries before the arguments: the executable, plus the app path when run as `electron .`. */
const ARGV_SKIP = process.defaultApp ? 2 : 1;
const DIST = __dirname;
const ASSETS = join(DIST, 'assets');
const STATE_POLL_MS = 60_000;

function log(message: string): void {
  process.stderr.write(`[mtls-tray] ${message}\n`);
}

/** How anything (the refresh script, the login item) starts this app again. */
function selfCommand(): string[] {
  // Inside an AppImage, execPath is in a temporary mount; $APPIMAGE is the file the user has.
  const exe = platform === 'linux' && app.isPackaged && process.env.APPIMAGE ? process.env.APPIMAGE : process.execPath;
  return app.isPackaged ? [exe] : [exe, app.getAppPath()];
}

/** `withLog`: the tray app logs the store's progress to stderr; the CLI keeps stderr for its own output. */
function createService(dataDir: string | undefined, withLog: boolean): AppService {
  return createAppService({ dataDir, env: process.env, platform, homedir: homedir(), cliCommand: [...selfCommand(), '--cli'], ...(withLog ? { log } : {}) });
}

async function runCli(args: string[]): Promise<void> {
  // Loaded only in --cli mode: the tray app never evaluates the CLI's modules.
  const { main: cliMain } = await import('../cli/cli');
  await cliMain(args, (dataDir) => createService(dataDir, false));
}

function fatal(err: unknown): void {
  const message = isUserError(err) ? `${err.message}${err.fix ? `\n\n${err.fix}` : ''}` : err instanceof Error ? err.message : String(err);
  log(`cannot start: ${err instanceof Error ? err.stack ?? message : message}`);
  try {
    dialog.showErrorBox('mtls-tray cannot start', message);
  } finally {
    app.exit(1);
  }
}

function startApp(): void {
  // Our UI's own origin (see renderer-protocol.ts); must be declared before 'ready'.
  protocol.registerSchemesAsPrivileged([{ scheme: UI_SCHEME, privileges: { standard: true, secure: true } }]);

  const dataDir = resolveDataDir({ env: process.env, platform, homedir: homedir() });
  // On macOS Electron's userData default is the same folder as our data directory: keep
  // Chromium's caches and the preferences file out of the directory the CLI owns.
  const userData = process.env.MTLS_TRAY_USER_DATA ?? app.getPath('userData');
  app.setPath('userData', resolve(userData) === resolve(dataDir) ? join(app.getPath('appData'), 'mtls-tray-app') : userData);

  const pendingLaunches: LaunchRequest[] = [parseLaunchArgs(process.argv, process.cwd(), ARGV_SKIP)];
  let handleLaunch: ((req: LaunchRequest) => void) | null = null;
  if (!setupSingleInstance(app, ARGV_SKIP, (req) => (handleLaunch ? handleLaunch(req) : pendingLaunches.push(req)))) return;

  // Registered in the packaged app only: a development build must not take the scheme over system-wide.
  if (app.isPackaged && !app.isDefaultProtocolClient(LINK_PROTOCOL)) app.setAsDefaultProtocolClient(LINK_PROTOCOL);
  // A tray app: closing the window does not quit.
  app.on('window-all-closed', () => {});

  app
    .whenReady()
    .then(async () => {
      app.dock?.hide();
      if (platform === 'win32') app.setAppUserModelId(APP_ID);
      const devTools = !app.isPackaged;
      const service = createService(undefined, true);
      const prefs = createStorePreferences(log);
      const files = createFileTokenStore();
      const loginItem = createLoginItem({ platform, app, command: selfCommand(), autostartDir: autostartDir(process.env, homedir()) });
      const hub = createStateHub({ service, launchAtLogin: prefs.get('launchAtLogin') });

      hardenSession(session.defaultSession, devTools);
      protocol.handle(UI_SCHEME, createUiRequestHandler(join(DIST, 'renderer')));

      const windows = createWindowManager({
        createWindow: (options) => new BrowserWindow(options),
        preloadPath: join(DIST, 'preload.js'),
        devTools,
        preferences: prefs,
        openExternal: (url) => void shell.openExternal(url),
        isOnScreen: (b) => screen.getAllDisplays().some(({ workArea: a }) => b.x < a.x + a.width && b.x + b.width > a.x && b.y < a.y + a.height && b.y + b.height > a.y),
        onClosed: (id) => files.dropWindow(id),
        ...(platform === 'linux' ? { icon: join(ASSETS, 'icon.png') } : {}),
      });

      // The scheduler and the notifier refer to each other (a notification's action snoozes).
      let snooze: (id: string, until: Date) => void = () => {};
      const notify = createNotifier({
        createNotification: (options) => new Notification(options),
        isSupported: () => Notification.isSupported(),
        platform,
        openWindow: () => windows.show(),
        snooze: (id, until) => snooze(id, until),
        now: () => new Date(),
        ...(platform === 'darwin' ? {} : { icon: nativeImage.createFromPath(join(ASSETS, 'icon.png')) }),
        log,
      });
      const scheduler = createRenewalScheduler({
        service,
        now: () => new Date(),
        timers: { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) },
        notify,
        memory: prefs,
        onRenewed: () => void hub.refresh(),
        log,
      });
      snooze = (id, until) => scheduler.snooze(id, until);

      const parentOf = (windowId: number) => BrowserWindow.fromId(windowId) ?? undefined;
      const handlers = createIpcHandlers({
        service,
        files,
        chooseOpenFile: async (windowId, purpose) => {
          const options: OpenDialogOptions = { properties: ['openFile', 'dontAddToRecent'], filters: openFilters(purpose) };
          const parent = parentOf(windowId);
          const r = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
          return r.canceled ? null : (r.filePaths[0] ?? null);
        },
        chooseSaveFile: async (windowId, { defaultName, kind }) => {
          const options: SaveDialogOptions = {
            defaultPath: join(app.getPath('documents'), defaultName),
            filters: saveFilters(kind),
            properties: ['showOverwriteConfirmation', 'createDirectory'],
          };
          const parent = parentOf(windowId);
          const r = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
          return r.canceled || !r.filePath ? null : r.filePath;
        },
        writeFile: (path, text, mode) => writeFileAtomic(path, text, mode),
        // The window's "Remind me tomorrow": the same snooze as the notification's action.
        snooze: (id, untilMs) => scheduler.snooze(id, new Date(untilMs)),
        now: () => Date.now(),
        clipboardWriteText: (text) => clipboard.writeText(text),
        onStateChanged: () => {
          void hub.refresh();
          scheduler.poke();
        },
        logError: (channel, err) => log(`${channel}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`),
      });
      registerIpc(
        ipcMain,
        createIpcDispatcher(handlers, { isOurWindow: (id) => windows.isOurWindow(id), uiScheme: UI_SCHEME, uiHost: UI_HOST }, (channel, reason) => log(`refused IPC ${channel}: ${reason}`)),
        (sender) => BrowserWindow.fromWebContents(sender)?.id ?? null,
      );

      const tray = new Tray(nativeImage.createFromPath(join(ASSETS, trayIconFile('expiring', platform))));
      const actions = createTrayActions({
        service,
        hub,
        notify,
        openWindow: () => windows.show(),
        exportProfile: async (profileId) => {
          const r = await dialog.showSaveDialog({
            defaultPath: join(app.getPath('documents'), `${profileId}.mtlsprofile`),
            filters: [{ name: 'mtls-tray profile', extensions: ['mtlsprofile'] }],
            properties: ['showOverwriteConfirmation', 'createDirectory'],
          });
          if (r.canceled || !r.filePath) return null;
          await writeFileAtomic(r.filePath, await service.exportProfile(profileId, {}), 0o644);
          return r.filePath;
        },
        setLaunchAtLogin: async (on) => {
          await loginItem.setEnabled(on);
          prefs.set('launchAtLogin', on);
        },
        quit: () => app.quit(),
        onCredentialsChanged: () => scheduler.poke(),
      });
      const trayView = createTrayController({
        tray,
        buildMenu: (template) => Menu.buildFromTemplate(template),
        loadIcon: (file) => nativeImage.createFromPath(join(ASSETS, file)),
        platform,
        run: (action) => void actions.run(action),
      });
      // Windows delivers clicks on the icon: a left click opens the window (the menu is on the right button).
      if (platform === 'win32') tray.on('click', () => windows.show());
      hub.subscribe((state) => {
        trayView.render(state);
        windows.broadcastStateChanged();
        if (state.profiles.length > 0 && !prefs.get('onboardingDone')) prefs.set('onboardingDone', true);
      });

      // The CLI and other processes change the data directory too: look again on change, and every minute
      // (days left move on their own). A missing directory (first run) is simply not watched yet.
      const poll = setInterval(() => void hub.refresh(), STATE_POLL_MS);
      let watcher: ReturnType<typeof watch> | null = null;
      try {
        watcher = watch(dataDir, { persistent: false }, () => {
          void hub.refresh();
          scheduler.poke();
        });
        watcher.on('error', () => watcher?.close());
      } catch {
        watcher = null;
      }
      powerMonitor.on('resume', () => {
        void hub.refresh();
        scheduler.poke();
      });
      app.on('before-quit', () => {
        clearInterval(poll);
        watcher?.close();
        scheduler.stop();
      });

      loginItem
        .isEnabled()
        .then((on) => {
          hub.setLaunchAtLogin(on);
          prefs.set('launchAtLogin', on);
        })
        .catch((err: unknown) => log(`login item: ${String(err)}`));
      await hub.refresh();
      scheduler.start();

      handleLaunch = (req) => {
        for (const link of req.links) windows.navigate({ view: 'import', source: { link } });
        for (const path of req.files) {
          const w = windows.show();
          const picked = files.issue(w.id, path, 'profile');
          windows.navigate({ view: 'import', source: { file: picked.token }, name: picked.name });
        }
        if (req.show && !req.links.length && !req.files.length) windows.show();
      };
      const first = pendingLaunches.shift();
      const atLogin = loginItem.launchedAtLogin(process.argv);
      // A first run always shows the window (the setup wizard); a login launch stays in the tray.
      if (first) handleLaunch({ ...first, show: !prefs.get('onboardingDone') || (!first.hidden && !atLogin) || first.show });
      for (const req of pendingLaunches.splice(0)) handleLaunch(req);

      if (process.env.MTLS_TRAY_TEST_HOOKS === '1') {
        // For the Playwright smoke test (test/electron-smoke): read-only views plus the tray's actions.
        Object.assign(globalThis, {
          __mtlsTray: {
            trayShowing: () => trayView.showing(),
            windowId: () => windows.current()?.id ?? null,
            runTrayAction: (a: Parameters<typeof actions.run>[0]) => actions.run(a),
            nextRenewalCheck: () => scheduler.nextWakeAt()?.toISOString() ?? null,
          },
        });
      }
    })
    .catch(fatal);
}

function saveFilters(kind: SaveKind): SaveDialogOptions['filters'] {
  switch (kind) {
    case 'profile':
      return [{ name: 'mtls-tray profile', extensions: ['mtlsprofile'] }];
    case 'csr':
      return [{ name: 'Certificate request', extensions: ['csr', 'pem'] }];
    case 'ca-cert':
      return [{ name: 'CA certificate', extensions: ['crt', 'pem'] }];
  }
}

function openFilters(purpose: FilePurpose): OpenDialogOptions['filters'] {
  const pem = ['pem', 'crt', 'cer', 'key'];
  switch (purpose) {
    case 'pkcs12':
      return [{ name: 'PKCS#12', extensions: ['p12', 'pfx'] }, { name: 'All files', extensions: ['*'] }];
    case 'profile':
      return [{ name: 'mtls-tray profile', extensions: ['mtlsprofile', 'json'] }, { name: 'All files', extensions: ['*'] }];
    default:
      return [{ name: 'PEM', extensions: pem }, { name: 'All files', extensions: ['*'] }];
  }
}

const cli = cliArgs(process.argv.slice(ARGV_SKIP));
if (cli !== null) {
  runCli(cli).catch((err: unknown) => {
    log(`internal error: ${err instanceof Error ? err.message : String(err)}`);
    app.exit(1);
  });
} else {
  try {
    startApp();
  } catch (err) {
    fatal(err);
  }
}
