/**
 * What every setup-*.ts receives: the Electron API (handed in by main.ts, so these modules
 * import electron for its types only and stay testable with a fake), the platform, where the
 * bundle's files are, and the services the tray app shares, created once when Electron is ready.
 */
import type * as Electron from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createFileTokenStore, type FileTokenStore } from '../ipc/file-tokens';
import type { AppService } from '../services/app-service';
import { createAppService } from '../services/create-app-service';
import { workerPkcs12Reader } from '../services/pkcs12-off-thread';
import { createStateHub, type StateHub } from '../tray/state-hub';
import { createLoginItem, type LoginItem } from './login-item';
import type { Preferences } from './preferences';
import { autostartDir } from './xdg-autostart';

/** The part of Electron the app uses. */
export type ElectronApi = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'clipboard' | 'dialog' | 'ipcMain' | 'Menu' | 'nativeImage' | 'Notification' | 'powerMonitor' | 'protocol' | 'screen' | 'session' | 'shell' | 'Tray'
>;

/** What is known before Electron is ready: enough to take the lock, or to run the CLI. */
export interface Runtime {
  electron: ElectronApi;
  platform: NodeJS.Platform;
  /** argv entries before the arguments: the executable, plus the app path when run as `electron .`. */
  argvSkip: number;
  /** The bundle's folder: preload.js, renderer/, assets/. */
  dist: string;
  log(message: string): void;
}

export interface AppContext extends Runtime {
  /** The folder the CLI and the app share (profiles, credentials). */
  dataDir: string;
  /** The development build lets DevTools open and load from a dev server. */
  devTools: boolean;
  service: AppService;
  prefs: Preferences;
  /** Files the user picked in a dialog, handed to the page as tokens. */
  files: FileTokenStore;
  loginItem: LoginItem;
  /** The tray's view of the profiles; the window and the tray follow it. */
  hub: StateHub;
  /** A file in the bundle's assets/. */
  asset(file: string): string;
}

/** How anything (the refresh script, the login item) starts this app again. */
export function selfCommand({ electron: { app }, platform }: Runtime): string[] {
  // Inside an AppImage, execPath is in a temporary mount; $APPIMAGE is the file the user has.
  const exe = platform === 'linux' && app.isPackaged && process.env.APPIMAGE ? process.env.APPIMAGE : process.execPath;
  return app.isPackaged ? [exe] : [exe, app.getAppPath()];
}

/** `log`: the tray app logs the store's progress to stderr; the CLI keeps stderr for its own output. */
export function createService(rt: Runtime, dataDir: string | undefined, log?: (message: string) => void): AppService {
  return createAppService({ dataDir, env: process.env, platform: rt.platform, homedir: homedir(), cliCommand: [...selfCommand(rt), '--cli'], ...(log ? { log } : {}), readPkcs12: workerPkcs12Reader(pkcs12WorkerScript()) });
}

/**
 * Called once, on 'ready'. `prefs` comes from main.ts: the electron-store behind it loads
 * electron, which only the composition root may do.
 */
export function createAppContext(rt: Runtime, { dataDir, prefs }: { dataDir: string; prefs: Preferences }): AppContext {
  const service = createService(rt, undefined, rt.log);
  return {
    ...rt,
    dataDir,
    devTools: !rt.electron.app.isPackaged,
    service,
    prefs,
    files: createFileTokenStore(),
    loginItem: createLoginItem({ platform: rt.platform, app: rt.electron.app, command: selfCommand(rt), autostartDir: autostartDir(process.env, homedir()) }),
    hub: createStateHub({ service, launchAtLogin: prefs.get('launchAtLogin') }),
    asset: (file) => join(rt.dist, 'assets', file),
  };
}

/** dist/pkcs12-worker.js beside main.js; packaged, it is unpacked next to app.asar (electron-builder.yml). */
function pkcs12WorkerScript(): string {
  return join(__dirname, 'pkcs12-worker.js').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}
