/**
 * The Electron composition root, and the only module that imports electron at runtime (with
 * store-preferences.ts); every setup-*.ts receives the API through the AppContext. It decides
 * between the two ways the app binary runs:
 *   `mtls-tray --cli ARGS...`  the headless CLI (what the refresh script calls after
 *                              installation), run before any window, tray or lock exists;
 *   otherwise                  the tray app: single-instance lock, then one setup per feature.
 */
import * as electron from 'electron';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isUserError } from '../base/errors';
import type { RenewalScheduler } from '../scheduler/renewal-scheduler';
import { resolveDataDir } from '../store/data-dir';
import { APP_ID } from './app-id';
import { createAppContext, createService, type Runtime } from './app-context';
import { createFileDialogs } from './file-dialogs';
import { cliArgs } from './launch-args';
import { setupDataWatch } from './setup-data-watch';
import { setupDriftWatch } from './setup-drift-watch';
import { setupIpc } from './setup-ipc';
import { setupLaunches, type Launches } from './setup-launches';
import { setupLoginItem } from './setup-login-item';
import { setupNotifications } from './setup-notifications';
import { setupLinkProtocol, setupUiProtocol, setupUiScheme } from './setup-protocol';
import { setupScheduler } from './setup-scheduler';
import { setupTestHooks } from './setup-test-hooks';
import { setupTray } from './setup-tray';
import { setupWindow } from './setup-window';
import { createStorePreferences } from './store-preferences';

const { app, dialog } = electron;

const runtime: Runtime = {
  electron,
  platform: process.platform,
  argvSkip: process.defaultApp ? 2 : 1,
  dist: __dirname,
  log: (message) => process.stderr.write(`[mtls-tray] ${message}\n`),
};

async function runCli(args: string[]): Promise<void> {
  // Loaded only in --cli mode: the tray app never evaluates the CLI's modules.
  const { main: cliMain } = await import('../cli/cli');
  await cliMain(args, (dataDir) => createService(runtime, dataDir));
}

function fatal(err: unknown): void {
  const message = isUserError(err) ? `${err.message}${err.fix ? `\n\n${err.fix}` : ''}` : err instanceof Error ? err.message : String(err);
  runtime.log(`cannot start: ${err instanceof Error ? err.stack ?? message : message}`);
  try {
    dialog.showErrorBox('mtls-tray cannot start', message);
  } finally {
    app.exit(1);
  }
}

function startApp(): void {
  setupUiScheme(runtime);
  const dataDir = resolveDataDir({ env: process.env, platform: runtime.platform, homedir: homedir() });
  // On macOS Electron's userData default is the same folder as our data directory: keep
  // Chromium's caches and the preferences file out of the directory the CLI owns.
  const userData = process.env.MTLS_TRAY_USER_DATA ?? app.getPath('userData');
  app.setPath('userData', resolve(userData) === resolve(dataDir) ? join(app.getPath('appData'), 'mtls-tray-app') : userData);

  const launches = setupLaunches(runtime);
  if (!launches) return;
  setupLinkProtocol(runtime);
  // A tray app: closing the window does not quit.
  app.on('window-all-closed', () => {});
  app
    .whenReady()
    .then(() => onReady(dataDir, launches))
    .catch(fatal);
}

async function onReady(dataDir: string, launches: Launches): Promise<void> {
  app.dock?.hide();
  if (runtime.platform === 'win32') app.setAppUserModelId(APP_ID);
  const ctx = createAppContext(runtime, { dataDir, prefs: createStorePreferences(runtime.log) });
  setupUiProtocol(ctx);
  const windows = setupWindow(ctx);
  const dialogs = createFileDialogs(electron);
  // The notifier and the scheduler refer to each other: a notification's action snoozes.
  // A CA-issued profile's reminder offers "Request a new certificate…": the tray's action, on the active profile.
  const reenrol = (id: string) => (ctx.hub.current().active?.id === id ? void tray.actions.run({ type: 'request-csr' }) : windows.show());
  // A drift notice's Restore / Keep theirs reach the drift watch, made below (issue 17).
  const notify = setupNotifications(ctx, windows, (id, until) => scheduler.snooze(id, until), reenrol, { restore: (sources) => void drift.restore(sources), keepTheirs: (source) => void drift.keepTheirs(source) });
  const scheduler: RenewalScheduler = setupScheduler(ctx, notify);
  setupIpc(ctx, { windows, scheduler, dialogs });
  const tray = setupTray(ctx, { windows, notify, scheduler, dialogs });
  setupDataWatch(ctx, scheduler);
  const drift = setupDriftWatch(ctx, { notify, windows });
  setupLoginItem(ctx);
  await ctx.hub.refresh();
  scheduler.start();
  launches.serve(ctx, windows);
  setupTestHooks({ tray, windows, scheduler });
}

const cli = cliArgs(process.argv.slice(runtime.argvSkip));
if (cli !== null) {
  runCli(cli).catch((err: unknown) => {
    runtime.log(`internal error: ${err instanceof Error ? err.message : String(err)}`);
    app.exit(1);
  });
} else {
  try {
    startApp();
  } catch (err) {
    fatal(err);
  }
}
