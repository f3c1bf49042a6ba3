/**
 * Where a Chromium-family browser lives on this machine, for Playwright's `executablePath`
 * (we use playwright-core, which downloads no browser). Order: $CHROMIUM_PATH, then
 * $PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, then per platform: Debian's /usr/bin/chromium and the
 * other usual Linux places, the usual macOS and Windows Chrome/Chromium locations; then
 * chromium, chromium-browser, google-chrome(-stable) or chrome on PATH.
 * Returns null when none exists, so a test can skip with `skipReason()` instead of failing.
 * The file check is injectable, so the search order can be tested without this machine's disk.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';

const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

/** Every place looked at, in order (the first executable one wins). */
export function chromiumCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const out: string[] = [];
  if (env.CHROMIUM_PATH) out.push(env.CHROMIUM_PATH);
  if (env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH) out.push(env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH);
  if (platform === 'darwin') {
    out.push(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      ...(env.HOME ? [posix.join(env.HOME, 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome')] : []),
    );
  } else if (platform === 'win32') {
    for (const base of [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]) {
      if (base) out.push(win32.join(base, 'Google', 'Chrome', 'Application', 'chrome.exe'), win32.join(base, 'Chromium', 'Application', 'chrome.exe'));
    }
  } else {
    out.push('/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium');
  }
  const pathDirs = (platform === 'win32' ? env.Path ?? env.PATH : env.PATH) ?? '';
  const sepOf = platform === 'win32' ? ';' : ':';
  const names = platform === 'win32' ? PATH_NAMES.map((n) => `${n}.exe`) : PATH_NAMES;
  const joinOf = platform === 'win32' ? win32.join : posix.join;
  for (const dir of pathDirs.split(sepOf).filter(Boolean)) for (const n of names) out.push(joinOf(dir, n));
  return out;
}

export function isExecutable(path: string, platform: NodeJS.Platform): boolean {
  if (!existsSync(path)) return false;
  if (platform === 'win32') return true;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Is this an executable file? Defaults to the disk; tests pass their own. */
export type ExecutableCheck = (path: string, platform: NodeJS.Platform) => boolean;

export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  executable: ExecutableCheck = isExecutable,
): string | null {
  for (const c of chromiumCandidates(env, platform)) if (executable(c, platform)) return c;
  return null;
}

/** For `test(name, { skip: skipReason() }, ...)`: false when a browser exists, else why not. */
export function chromiumSkipReason(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  executable: ExecutableCheck = isExecutable,
): string | false {
  return findChromium(env, platform, executable)
    ? false
    : 'no Chromium found (set CHROMIUM_PATH, or install it: apt-get install chromium); the renderer tests need a real browser';
}

/** Flags for a headless run in containers and CI: no sandbox (root), no GPU, no network chatter. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
