import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { IPC_EVENT_NAVIGATE, IPC_EVENT_STATE_CHANGED } from '../../main/ipc/contract';
import { createMemoryPreferences } from '../../main/app/preferences';
import { CONTENT_SECURITY_POLICY, UI_INDEX_URL } from '../../main/app/renderer-protocol';
import { createWindowManager, hardenSession, hardenWebContents, isRequestAllowed, type SessionLike, type WindowLike } from '../../main/app/window';

/** A WebContents: events, sends and the window-open handler. */
class FakeWebContents extends EventEmitter {
  readonly id: number;
  readonly sent: Array<[string, unknown[]]> = [];
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  constructor(id: number) {
    super();
    this.id = id;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, args]);
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.openHandler = h;
  }
  isLoading(): boolean {
    return false;
  }
}

class FakeWindow extends EventEmitter {
  static seq = 0;
  readonly id = ++FakeWindow.seq;
  readonly webContents = new FakeWebContents(this.id);
  shown = 0;
  focused = 0;
  destroyed = false;
  minimized = false;
  loaded: string[] = [];
  menu: unknown = 'default';
  bounds: Rectangle = { x: 10, y: 20, width: 900, height: 700 };
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
  }
  show(): void {
    this.shown++;
  }
  focus(): void {
    this.focused++;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }
  getNormalBounds(): Rectangle {
    return this.bounds;
  }
  setMenu(m: unknown): void {
    this.menu = m;
  }
  close(): void {
    this.emit('close', { preventDefault() {} });
    this.destroyed = true;
    this.emit('closed');
  }
}

/** An Electron Event as handlers see it. */
const ev = () => ({ defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } });

function rig(opts: { onScreen?: boolean } = {}) {
  const made: FakeWindow[] = [];
  const external: string[] = [];
  const closed: number[] = [];
  const prefs = createMemoryPreferences();
  const wm = createWindowManager({
    createWindow: (o) => {
      const w = new FakeWindow(o);
      made.push(w);
      return w as unknown as WindowLike;
    },
    preloadPath: '/app/dist/preload.js',
    devTools: false,
    preferences: prefs,
    openExternal: (u) => external.push(u),
    isOnScreen: () => opts.onScreen ?? true,
    onClosed: (id) => closed.push(id),
  });
  return { wm, made, external, closed, prefs };
}

test('the window is locked down: sandbox, isolation, no node, web security, no devtools in production, our preload', () => {
  const r = rig();
  r.wm.show();
  const wp = r.made[0]!.options.webPreferences!;
  assert.equal(wp.sandbox, true);
  assert.equal(wp.contextIsolation, true);
  assert.equal(wp.nodeIntegration, false);
  assert.equal(wp.nodeIntegrationInSubFrames, false);
  assert.equal(wp.nodeIntegrationInWorker, false);
  assert.equal(wp.webSecurity, true);
  assert.equal(wp.allowRunningInsecureContent, false);
  assert.equal(wp.webviewTag, false);
  assert.equal(wp.devTools, false);
  assert.equal(wp.preload, '/app/dist/preload.js');
  assert.equal(r.made[0]!.options.show, false, 'shown on ready-to-show, no white flash');
  assert.deepEqual(r.made[0]!.loaded, [UI_INDEX_URL]);
  assert.equal(r.made[0]!.menu, null);
});

test('navigation, redirects, <webview> and new windows are denied; https links go to the browser', () => {
  const wc = new FakeWebContents(1);
  const external: string[] = [];
  hardenWebContents(wc as never, (u) => external.push(u));
  for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
    const e = ev();
    wc.emit(name, e, 'https://evil.example/');
    assert.equal(e.defaultPrevented, true, name);
  }
  assert.deepEqual(wc.openHandler?.({ url: 'https://coder.com/docs' }), { action: 'deny' });
  assert.deepEqual(wc.openHandler?.({ url: 'file:///etc/passwd' }), { action: 'deny' });
  assert.deepEqual(wc.openHandler?.({ url: 'javascript:alert(1)' }), { action: 'deny' });
  assert.deepEqual(external, ['https://coder.com/docs']);
});

test('session: every permission denied, every request that is not our UI cancelled, CSP forced on responses', () => {
  const calls: Record<string, (...a: never[]) => unknown> = {};
  const session = {
    setPermissionRequestHandler: (h: never) => (calls.request = h),
    setPermissionCheckHandler: (h: never) => (calls.check = h),
    setDevicePermissionHandler: (h: never) => (calls.device = h),
    webRequest: {
      onBeforeRequest: (h: never) => (calls.before = h),
      onHeadersReceived: (h: never) => (calls.headers = h),
    },
  } as unknown as SessionLike;
  hardenSession(session, false);
  let granted: boolean | null = null;
  (calls.request as unknown as (wc: unknown, p: string, cb: (g: boolean) => void) => void)({}, 'media', (g) => (granted = g));
  assert.equal(granted, false);
  assert.equal((calls.check as unknown as () => boolean)(), false);
  assert.equal((calls.device as unknown as () => boolean)(), false);
  const before = calls.before as unknown as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
  const verdict = (url: string) => {
    let cancel: boolean | null = null;
    before({ url }, (r) => (cancel = r.cancel));
    return cancel;
  };
  assert.equal(verdict('app://mtls-tray/index.js'), false);
  assert.equal(verdict('data:image/png;base64,AAAA'), false);
  assert.equal(verdict('https://coder.example.com/api/v2/users/me'), true);
  assert.equal(verdict('file:///home/u/.local/share/mtls-tray/active/current/client.key'), true);
  assert.equal(verdict('devtools://devtools/bundled/inspector.html'), true, 'no devtools in production');
  assert.equal(isRequestAllowed('devtools://devtools/x', true), true);
  const headers = calls.headers as unknown as (d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
  let out: Record<string, string[]> = {};
  headers({ responseHeaders: { 'content-security-policy': ["default-src *; script-src 'unsafe-inline'"], 'Content-Type': ['text/html'] } }, (r) => (out = r.responseHeaders));
  assert.deepEqual(out, { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
});

test('show creates one window, then restores and focuses it; closing saves bounds and forgets it', () => {
  const r = rig();
  const w1 = r.wm.show();
  r.made[0]!.emit('ready-to-show');
  assert.equal(r.made[0]!.shown, 1);
  r.made[0]!.minimized = true;
  const w2 = r.wm.show();
  assert.equal(w1, w2);
  assert.equal(r.made.length, 1);
  assert.equal(r.made[0]!.minimized, false);
  assert.equal(r.made[0]!.focused, 2);
  assert.equal(r.wm.isOurWindow(r.made[0]!.id), true);
  assert.equal(r.wm.isOurWindow(r.made[0]!.id + 1000), false);
  r.made[0]!.close();
  assert.deepEqual(r.prefs.get('windowBounds'), { x: 10, y: 20, width: 900, height: 700 });
  assert.deepEqual(r.closed, [r.made[0]!.id]);
  assert.equal(r.wm.isOurWindow(r.made[0]!.id), false, 'a closed window is no longer trusted');
  assert.equal(r.wm.current(), null);
  r.wm.show();
  assert.equal(r.made.length, 2);
  assert.equal(r.made[1]!.options.x, 10, 'bounds restored');
  assert.equal(r.made[1]!.options.width, 900);
});

test('saved bounds that are off every screen are ignored', () => {
  const r = rig({ onScreen: false });
  r.prefs.set('windowBounds', { x: 5000, y: 5000, width: 800, height: 600 });
  r.wm.show();
  assert.equal(r.made[0]!.options.x, undefined);
});

test('navigation requests wait for the page to load; state-changed only goes to a loaded page', () => {
  const r = rig();
  r.wm.navigate({ view: 'import', source: { link: 'mtls-tray://import?p=1' } });
  const wc = r.made[0]!.webContents;
  r.wm.broadcastStateChanged();
  assert.deepEqual(wc.sent, [], 'nothing before did-finish-load');
  wc.emit('did-finish-load');
  assert.deepEqual(wc.sent, [[IPC_EVENT_NAVIGATE, [{ view: 'import', source: { link: 'mtls-tray://import?p=1' } }]]]);
  r.wm.navigate({ view: 'home' });
  r.wm.broadcastStateChanged();
  assert.deepEqual(wc.sent.slice(1), [[IPC_EVENT_NAVIGATE, [{ view: 'home' }]], [IPC_EVENT_STATE_CHANGED, []]]);
});
