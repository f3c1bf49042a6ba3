/**
 * The renderer under test in real Chromium, wired to the real main process: the built page
 * (esbuild, the options of scripts/build.mjs) served over local http with the app's own
 * security headers (so its CSP applies), and `window.mtlsTray` bridged with
 * `page.exposeFunction` to the real IPC handlers (main/ipc/handlers.ts) over the real
 * AppService on a temp data dir and a temp HOME. Native dialogs are the only stand-ins: a test
 * queues the path the user "picks".
 */
import { mkdirSync, mkdtempSync, readdirSync, copyFileSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SECURITY_HEADERS } from '../../main/app/renderer-protocol';
import type { IpcChannel } from '../../main/ipc/contract';
import { createFileTokenStore } from '../../main/ipc/file-tokens';
import { createIpcHandlers, type IpcHandler } from '../../main/ipc/handlers';
import type { AppService } from '../../main/services/app-service';
import { createAppService } from '../../main/services/create-app-service';
import { CHROMIUM_ARGS, findChromium } from '../helpers/find-chromium';

export const REPO = resolve(__dirname, '..', '..');
/** Every state a test photographs: committed, so a reviewer sees the window without running it. */
export const SCREENSHOTS = join(REPO, 'docs', 'screenshots');

/** Builds renderer/ once per process into a temp dir (dist/ is shared with parallel builds). */
let built: Promise<string> | null = null;
export function buildRenderer(): Promise<string> {
  built ??= (async () => {
    const out = mkdtempSync(join(tmpdir(), 'mtls-renderer-'));
    process.on('exit', () => rmSync(out, { recursive: true, force: true }));
    await build({
      entryPoints: [join(REPO, 'renderer', 'index.ts')],
      outfile: join(out, 'index.js'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'error',
    });
    for (const name of readdirSync(join(REPO, 'renderer'))) {
      if (/\.(html|css|png|ico|svg)$/.test(name)) copyFileSync(join(REPO, 'renderer', name), join(out, name));
    }
    return out;
  })();
  return built;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml' };

export interface Site {
  url: string;
  close(): Promise<void>;
}

/** Static files with the app's CSP and security headers, from 127.0.0.1 only. */
export async function serveDir(dir: string): Promise<Site> {
  const srv: Server = createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const full = normalize(join(dir, rel === '/' ? 'index.html' : rel));
    const type = TYPES[extname(full)];
    if (!full.startsWith(dir + sep) || !type || !existsSync(full)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-store' }).end(readFileSync(full));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { srv.closeAllConnections(); srv.close(() => r()); }) };
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium (tests should have skipped)');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/** The page side of the bridge: what the preload exposes, over the exposed function. */
const BRIDGE = `(() => {
  const state = new Set();
  const nav = new Set();
  window.mtlsTray = Object.freeze({
    invoke: (channel, ...args) => window.__mtlsInvoke(channel, args),
    onStateChanged(l) { state.add(l); return () => state.delete(l); },
    onNavigate(l) { nav.add(l); return () => nav.delete(l); },
  });
  window.__mtlsFire = () => state.forEach((l) => l());
  window.__mtlsNavigate = (req) => nav.forEach((l) => l(req));
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
})();`;

export interface SessionOptions {
  /** Editors whose user-data dirs exist in the temp HOME (so they count as installed). */
  editors?: Array<'Code' | 'Cursor' | 'VSCodium'>;
  colorScheme?: 'light' | 'dark';
  /** The data dir's name under the temp dir (default "mtls tray's data"): long ones test wrapping. */
  dataDirName?: string;
}

export interface Session {
  page: Page;
  context: BrowserContext;
  service: AppService;
  tmp: string;
  home: string;
  dataDir: string;
  /** The service's clock; null = the real time. */
  clock: { now: Date | null };
  /** Paths the next native open dialogs return, per purpose (FIFO); empty = the user cancels. */
  pick(purpose: string, path: string): void;
  /** Paths the next native save dialogs return. */
  saveAs(path: string): void;
  clipboard: string[];
  /** What `notifications:snooze` handed to the scheduler's snooze: [profileId, untilMs]. */
  snoozes: Array<[string, number]>;
  /** Page errors, console errors, CSP violations, non-user errors in the handlers, unlabelled controls. */
  problems(): Promise<string[]>;
  open(): Promise<void>;
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openSession(browser: Browser, site: Site, opts: SessionOptions = {}): Promise<Session> {
  const tmp = mkdtempSync(join(tmpdir(), 'mtls-renderer-test-'));
  const home = join(tmp, 'home');
  // The data dir may hold spaces and quotes (DESIGN §2): use both.
  const dataDir = join(tmp, opts.dataDirName ?? "mtls tray's data");
  mkdirSync(home, { recursive: true });
  for (const ed of opts.editors ?? ['Code']) mkdirSync(join(home, '.config', ed, 'User'), { recursive: true });
  if ((opts.editors ?? ['Code']).includes('Code')) {
    // A settings file a person wrote: comments and a trailing comma must survive our edit.
    writeFileSync(join(home, '.config', 'Code', 'User', 'settings.json'), '{\n  // my font\n  "editor.fontSize": 14,\n}\n');
  }
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), PATH: process.env.PATH };
  const clock: { now: Date | null } = { now: null };
  const service = createAppService({
    dataDir,
    env,
    platform: process.platform,
    homedir: home,
    cliCommand: [process.execPath, join(REPO, 'dist', 'cli.js')],
    now: () => clock.now ?? new Date(),
    vars: { user: 'alice', hostname: 'alice-laptop.example.com' },
  });
  const opens: Array<{ purpose: string; path: string }> = [];
  const saves: string[] = [];
  const clipboard: string[] = [];
  const snoozes: Array<[string, number]> = [];
  const internal: string[] = [];
  const pageErrors: string[] = [];
  let page: Page | null = null;
  let closed = false;
  const handlers = createIpcHandlers({
    service,
    files: createFileTokenStore(),
    confirmIssuerCommand: async () => true,
    chooseOpenFile: async (_w, purpose) => {
      const i = opens.findIndex((o) => o.purpose === purpose);
      return i < 0 ? null : opens.splice(i, 1)[0]!.path;
    },
    chooseSaveFile: async () => saves.shift() ?? null,
    writeFile: async (path, text, mode) => writeFileSync(path, text, { mode }),
    clipboardWriteText: (text) => void clipboard.push(text),
    // The scheduler (and its preferences) is Electron-side; here the snooze is only recorded.
    snooze: (id, untilMs) => void snoozes.push([id, untilMs]),
    now: () => (clock.now ?? new Date()).getTime(),
    onStateChanged: () => void page?.evaluate('window.__mtlsFire && window.__mtlsFire()').catch(() => {}),
    logError: (channel, err) => void internal.push(`${channel}: ${err instanceof Error ? err.stack : String(err)}`),
  }) as unknown as Record<string, IpcHandler<IpcChannel> | undefined>;

  const context = await browser.newContext({ viewport: { width: 1000, height: 760 }, colorScheme: opts.colorScheme ?? 'light', reducedMotion: 'reduce' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const p = page;
  await p.exposeFunction('__mtlsInvoke', async (channel: string, args: unknown[]) => {
    const h = handlers[channel];
    if (!h) return { ok: false, error: { code: 'UNKNOWN_IPC_CHANNEL', message: `unknown channel ${channel}` } };
    return h({ windowId: 1 }, args);
  });
  await p.addInitScript({ content: BRIDGE });
  p.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
  });

  return {
    page: p,
    context,
    service,
    tmp,
    home,
    dataDir,
    clock,
    pick: (purpose, path) => void opens.push({ purpose, path }),
    saveAs: (path) => void saves.push(path),
    clipboard,
    snoozes,
    async problems() {
      const csp = (await p.evaluate('window.__csp || []')) as string[];
      return [...pageErrors, ...csp.map((c) => `csp: ${c}`), ...internal];
    },
    async open() {
      await p.goto(`${site.url}/index.html`);
      await p.locator('main h1').first().waitFor();
    },
    async shot(name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
      // Every state worth a screenshot is also checked for controls without a name.
      for (const c of await unlabelledControls(p)) pageErrors.push(`unlabelled control in ${name}: ${c}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Reads a settings.json that may carry comments and trailing commas (as VS Code allows). */
export function readJsonc(path: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const value = parseJsonc(readFileSync(path, 'utf8'), errors, { allowTrailingComma: true }) as Record<string, unknown>;
  if (errors.length) throw new Error(`${path} is not valid JSONC`);
  return value;
}

/** Waits for something the page causes in this process (a clipboard write, a file). */
export async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Visible form controls and buttons without an accessible name (label, aria-label(ledby) or
 * text): each is a control a screen-reader user could not identify.
 */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return (await page.evaluate(`[...document.querySelectorAll('input, select, textarea, button')]
    .filter((el) => el.type !== 'hidden' && (el.offsetParent !== null || el.closest('dialog[open]')))
    .filter((el) => {
      if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
      if (el.tagName === 'BUTTON') return el.textContent.trim() === '';
      return !(el.labels && el.labels.length && [...el.labels].some((l) => l.textContent.trim() !== ''));
    })
    .map((el) => el.outerHTML.slice(0, 120))`)) as string[];
}
