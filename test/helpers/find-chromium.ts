/**
 * Where a Chromium-family browser lives on this machine, for Playwright's `executablePath`
 * (we use playwright-core, which downloads no browser). Order: $CHROMIUM_PATH, Debian's
 * chromium, other Linux names, then the usual macOS and Windows Chrome/Chromium locations.
 * Returns null when none exists, so a test can skip with `skipReason()` instead of failing.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const LINUX_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function candidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const out: string[] = [];
  if (env.CHROMIUM_PATH) out.push(env.CHROMIUM_PATH);
  if (platform === 'darwin') {
    out.push(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      ...(env.HOME ? [join(env.HOME, 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome')] : []),
    );
  } else if (platform === 'win32') {
    for (const base of [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]) {
      if (base) out.push(join(base, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(base, 'Chromium', 'Application', 'chrome.exe'));
    }
  } else {
    out.push('/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium');
    for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) for (const n of LINUX_NAMES) out.push(join(dir, n));
  }
  return out;
}

function isExecutable(path: string, platform: NodeJS.Platform): boolean {
  if (!existsSync(path)) return false;
  if (platform === 'win32') return true;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findChromium(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  for (const c of candidates(env, platform)) if (isExecutable(c, platform)) return c;
  return null;
}

/** For `test(name, { skip: skipReason() }, ...)`: false when a browser exists, else why not. */
export function chromiumSkipReason(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | false {
  return findChromium(env, platform)
    ? false
    : 'no Chromium found (set CHROMIUM_PATH, or install it: apt-get install chromium); the renderer tests need a real browser';
}

/** Flags for a headless run in containers and CI: no sandbox (root), no GPU, no network chatter. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
