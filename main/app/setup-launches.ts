/**
 * Launch requests (the first launch's argv, then second launches, `mtls-tray:` links and opened
 * files) arrive from the moment the single-instance lock is taken, but can only be served once
 * the window exists: they wait in a queue until then.
 */
import type { AppContext, Runtime } from './app-context';
import type { FileTokenStore } from '../ipc/file-tokens';
import { parseLaunchArgs, type LaunchRequest } from './launch-args';
import { setupSingleInstance } from './single-instance';
import type { WindowManager } from './window';

export interface Launches {
  /** Serves the queued requests, and every later one as it arrives. */
  serve(ctx: AppContext, windows: WindowManager): void;
}

/** Takes the lock; null when another instance has it (this one is quitting and must start nothing). */
export function setupLaunches({ electron: { app }, argvSkip }: Runtime): Launches | null {
  const pending: LaunchRequest[] = [parseLaunchArgs(process.argv, process.cwd(), argvSkip)];
  let handle: ((req: LaunchRequest) => void) | null = null;
  if (!setupSingleInstance(app, argvSkip, (req) => (handle ? handle(req) : pending.push(req)))) return null;
  return {
    serve(ctx, windows) {
      const launch = (req: LaunchRequest) => openLaunch(req, windows, ctx.files);
      handle = launch;
      const first = pending.shift();
      const atLogin = ctx.loginItem.launchedAtLogin(process.argv);
      // A first run always shows the window (the setup wizard); a login launch stays in the tray.
      if (first) launch({ ...first, show: !ctx.prefs.get('onboardingDone') || (!first.hidden && !atLogin) || first.show });
      for (const req of pending.splice(0)) launch(req);
    },
  };
}

function openLaunch(req: LaunchRequest, windows: WindowManager, files: FileTokenStore): void {
  for (const link of req.links) windows.navigate({ view: 'import', source: { link } });
  for (const path of req.files) {
    const w = windows.show();
    const picked = files.issue(w.id, path, 'profile');
    windows.navigate({ view: 'import', source: { file: picked.token }, name: picked.name });
  }
  if (req.show && !req.links.length && !req.files.length) windows.show();
}
