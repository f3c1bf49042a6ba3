/**
 * The window tests' fixtures for @playwright/test: one renderer build served per worker (with
 * the app's CSP), and `newSession(options)` for a page bridged to the real IPC handlers over a
 * temp data dir and HOME (see harness.ts). Sessions a test opens are closed after it, and
 * every one of them must end without a page error, console error, CSP violation or internal
 * handler error: a test cannot pass while the window logged a bug.
 */
import { test as base, expect } from '@playwright/test';
import { buildRenderer, openSession, serveDir, type Session, type SessionOptions, type Site } from './harness';

export interface WindowFixtures {
  /** Opens a session (more than one per test for two users, e.g. export then import). */
  newSession(options?: SessionOptions): Promise<Session>;
}

export const test = base.extend<WindowFixtures, { site: Site }>({
  site: [
    async ({}, use) => {
      const site = await serveDir(await buildRenderer());
      await use(site);
      await site.close();
    },
    { scope: 'worker' },
  ],
  newSession: async ({ browser, site }, use) => {
    const sessions: Session[] = [];
    await use(async (options) => {
      const s = await openSession(browser, site, options);
      sessions.push(s);
      return s;
    });
    const problems: string[] = [];
    for (const s of sessions) {
      problems.push(...(await s.problems()));
      await s.close();
    }
    expect(problems, 'the window logged no error').toEqual([]);
  },
});

export { expect };
