/**
 * The one window: created on demand, hidden rather than kept when closed (the app lives in the
 * tray), locked down. Its page is sandboxed with context isolation and no Node, sees only the
 * preload's typed bridge, may not navigate or open windows, gets no permission (camera,
 * notifications, clipboard-read ...) and no network; devtools exist only in development.
 * BrowserWindow and the session are injected, so this runs under test with fakes.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents, WebPreferences } from 'electron';
import { IPC_EVENT_NAVIGATE, IPC_EVENT_STATE_CHANGED, type NavigateRequest } from '../ipc/contract';
import type { Preferences, WindowBounds } from './preferences';
import { CONTENT_SECURITY_POLICY, UI_INDEX_URL, UI_SCHEME } from './renderer-protocol';

export function webPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

export function windowOptions(opts: { preloadPath: string; devTools: boolean; bounds: WindowBounds | null; icon?: string }): BrowserWindowConstructorOptions {
  const o: BrowserWindowConstructorOptions = {
    width: opts.bounds?.width ?? 920,
    height: opts.bounds?.height ?? 680,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'mtls-tray',
    autoHideMenuBar: true,
    webPreferences: webPreferences(opts.preloadPath, opts.devTools),
  };
  if (opts.bounds) {
    o.x = opts.bounds.x;
    o.y = opts.bounds.y;
  }
  if (opts.icon !== undefined) o.icon = opts.icon;
  return o;
}

export type WebContentsLike = Pick<WebContents, 'id' | 'send' | 'on' | 'once' | 'setWindowOpenHandler' | 'isLoading'>;
export type WindowLike = Pick<
  BrowserWindow,
  'id' | 'show' | 'focus' | 'restore' | 'isMinimized' | 'isDestroyed' | 'on' | 'once' | 'loadURL' | 'getNormalBounds' | 'setMenu'
> & { webContents: WebContentsLike };

/** Only https links leave the app, and only to the user's browser. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** No navigation away from our page, no new windows, no <webview>. */
export function hardenWebContents(wc: Pick<WebContents, 'on' | 'setWindowOpenHandler'>, openExternal: (url: string) => void): void {
  wc.on('will-navigate', (event) => event.preventDefault());
  wc.on('will-redirect', (event) => event.preventDefault());
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) openExternal(url);
    return { action: 'deny' };
  });
}

export type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest' | 'onHeadersReceived'>;
};

/** Schemes a page of ours may load from: our UI, inline images, and devtools in development. */
export function isRequestAllowed(url: string, devTools: boolean): boolean {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return false;
  }
  if (protocol === `${UI_SCHEME}:` || protocol === 'data:') return true;
  return devTools && (protocol === 'devtools:' || protocol === 'chrome-extension:');
}

export function hardenSession(session: SessionLike, devTools: boolean): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // The page has nothing to fetch: every request that is not our own UI is cancelled.
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isRequestAllowed(details.url, devTools) }));
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}

export interface WindowManager {
  /** Creates the window if needed, shows and focuses it. */
  show(): WindowLike;
  /** Shows the window and asks the page to open a view (sent once the page has loaded). */
  navigate(req: NavigateRequest): void;
  /** Tells the page that profiles or credentials changed. */
  broadcastStateChanged(): void;
  isOurWindow(id: number): boolean;
  current(): WindowLike | null;
}

export function createWindowManager(deps: {
  createWindow(options: BrowserWindowConstructorOptions): WindowLike;
  preloadPath: string;
  devTools: boolean;
  preferences: Pick<Preferences, 'get' | 'set'>;
  openExternal(url: string): void;
  /** Whether saved bounds are still on a connected display; else the window is centred. */
  isOnScreen?(bounds: WindowBounds): boolean;
  icon?: string;
  onClosed?(windowId: number): void;
}): WindowManager {
  let win: WindowLike | null = null;
  let loaded = false;
  let pending: NavigateRequest[] = [];

  function flush(w: WindowLike): void {
    for (const req of pending) w.webContents.send(IPC_EVENT_NAVIGATE, req);
    pending = [];
  }

  function create(): WindowLike {
    const saved = deps.preferences.get('windowBounds');
    const bounds = saved && (deps.isOnScreen?.(saved) ?? true) ? saved : null;
    const opts: Parameters<typeof windowOptions>[0] = { preloadPath: deps.preloadPath, devTools: deps.devTools, bounds };
    if (deps.icon !== undefined) opts.icon = deps.icon;
    const w = deps.createWindow(windowOptions(opts));
    const id = w.id;
    loaded = false;
    w.setMenu(null);
    hardenWebContents(w.webContents, deps.openExternal);
    w.once('ready-to-show', () => w.show());
    w.webContents.on('did-finish-load', () => {
      loaded = true;
      flush(w);
    });
    w.on('close', () => {
      const b = w.getNormalBounds();
      deps.preferences.set('windowBounds', { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) });
    });
    w.on('closed', () => {
      if (win === w) win = null;
      loaded = false;
      deps.onClosed?.(id);
    });
    void w.loadURL(UI_INDEX_URL);
    return w;
  }

  function show(): WindowLike {
    if (win === null || win.isDestroyed()) win = create();
    else {
      if (win.isMinimized()) win.restore();
      win.show();
    }
    win.focus();
    return win;
  }

  return {
    show,
    navigate(req) {
      pending.push(req);
      const w = show();
      if (loaded) flush(w);
    },
    broadcastStateChanged() {
      if (win !== null && !win.isDestroyed() && loaded) win.webContents.send(IPC_EVENT_STATE_CHANGED);
    },
    isOurWindow: (id) => win !== null && !win.isDestroyed() && win.id === id,
    current: () => (win !== null && !win.isDestroyed() ? win : null),
  };
}
