/**
 * The Playwright tests (`npx playwright test`, also run by `npm test`):
 *   window    the renderer in Chromium, bridged to the real IPC handlers and service over temp
 *             directories (test/window). The browser is the first one findChromium() sees
 *             ($CHROMIUM_PATH, Debian's /usr/bin/chromium, Chrome on macOS/Windows, PATH);
 *             with none, Playwright's own (after `npx playwright install chromium`).
 *   electron  the app itself through Playwright's `_electron` (test/electron): runs where an
 *             Electron binary exists (CI on Linux, macOS, Windows), skips with its reason here.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './test/helpers/find-chromium';

const executablePath = findChromium() ?? undefined;

export default defineConfig({
  outputDir: 'test-artifacts/playwright',
  // Each test builds its own temp profiles and drives real openssl, nginx and CA servers.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  projects: [
    {
      name: 'window',
      testDir: 'test/window',
      testMatch: /\.spec\.ts$/,
      use: { browserName: 'chromium', headless: true, launchOptions: { executablePath, args: CHROMIUM_ARGS } },
    },
    {
      name: 'electron',
      testDir: 'test/electron',
      testMatch: /\.spec\.ts$/,
    },
  ],
});
