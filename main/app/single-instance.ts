/**
 * One tray per user: the first instance takes Electron's single-instance lock; a later launch
 * hands its command line to the first ('second-instance') and quits. The first one then
 * focuses its window and opens whatever the launch asked for (a profile link or file). On macOS
 * links arrive as 'open-url' and files as 'open-file' instead of argv; they are forwarded the
 * same way. Electron's `app` is injected, so tests drive this with a fake.
 */
import type { App } from 'electron';
import { parseLaunchArgs, type LaunchRequest } from './launch-args';

export type SingleInstanceApp = Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>;

/**
 * Returns false when another instance holds the lock: the caller must not start anything (this
 * process is quitting). `argvSkip`: leading argv entries of the second instance that are not
 * arguments (the executable, and the app path in development).
 */
export function setupSingleInstance(app: SingleInstanceApp, argvSkip: number, onLaunch: (req: LaunchRequest) => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const req = parseLaunchArgs(argv, workingDirectory, argvSkip);
    // Launching the app again is the universal "show me the window" gesture, unless it was the login item.
    onLaunch({ ...req, show: !req.hidden });
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    onLaunch({ links: [url], files: [], show: true, hidden: false });
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    onLaunch({ links: [], files: [path], show: true, hidden: false });
  });
  return true;
}
