/**
 * A stand-in for the `electron` module, so the real composition root (main/app/main.ts) can be
 * bundled against it and run on plain Node (test/app/composition-root.test.ts). It implements
 * the slice of Electron that main.ts and electron-store touch, records what they do, and
 * exposes a control object on globalThis.__fakeElectron for the test to drive events.
 * Not a mock of behaviour we test elsewhere: just enough Electron to host the wiring.
 */
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => unknown;

export interface FakeFrame {
  routingId: number;
  processId: number;
  parent: null;
  url: string;
}

class FakeWebContents extends EventEmitter {
  static seq = 100;
  readonly id = ++FakeWebContents.seq;
  readonly sent: Array<[string, unknown[]]> = [];
  readonly mainFrame: FakeFrame = { routingId: 1, processId: this.id, parent: null, url: '' };
  openHandler: Listener | null = null;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, args]);
  }
  setWindowOpenHandler(h: Listener): void {
    this.openHandler = h;
  }
  isLoading(): boolean {
    return false;
  }
}

export class BrowserWindow extends EventEmitter {
  static seq = 0;
  static all: BrowserWindow[] = [];
  readonly id = ++BrowserWindow.seq;
  readonly webContents = new FakeWebContents();
  destroyed = false;
  shown = 0;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.all.push(this);
    control.windows.push(this);
  }
  static fromId(id: number): BrowserWindow | null {
    return BrowserWindow.all.find((w) => w.id === id && !w.destroyed) ?? null;
  }
  static fromWebContents(wc: unknown): BrowserWindow | null {
    return BrowserWindow.all.find((w) => w.webContents === wc && !w.destroyed) ?? null;
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.mainFrame.url = url;
    setImmediate(() => {
      this.emit('ready-to-show');
      this.webContents.emit('did-finish-load');
    });
  }
  show(): void {
    this.shown++;
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setMenu(): void {}
  getNormalBounds() {
    return { x: 0, y: 0, width: 900, height: 700 };
  }
  close(): void {
    this.emit('close', { preventDefault() {} });
    this.destroyed = true;
    this.emit('closed');
  }
}

export class Tray extends EventEmitter {
  image: unknown;
  tooltip = '';
  menu: { template: Array<Record<string, unknown>> } | null = null;
  menusSet = 0;
  constructor(image: unknown) {
    super();
    this.image = image;
    control.trays.push(this);
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setContextMenu(m: { template: Array<Record<string, unknown>> }): void {
    this.menu = m;
    this.menusSet++;
  }
}

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    control.notifications.push(this);
  }
}

const readyGate: { resolve: () => void; promise: Promise<void> } = (() => {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { resolve, promise };
})();

class FakeApp extends EventEmitter {
  /** Electron's standard paths, under FAKE_ELECTRON_HOME (set by the test before loading). */
  readonly paths: Record<string, string> = (() => {
    const home = process.env.FAKE_ELECTRON_HOME ?? '/nonexistent';
    return { home, appData: `${home}/.config`, userData: `${home}/.config/mtls-tray`, documents: `${home}/Documents`, app: process.cwd() };
  })();
  gotLock = true;
  quits = 0;
  exitCode: number | null = null;
  protocolClients: string[] = [];
  loginItem = { openAtLogin: false };
  readonly isPackaged = false;
  readonly dock = undefined;
  requestSingleInstanceLock(): boolean {
    return this.gotLock;
  }
  whenReady(): Promise<void> {
    return readyGate.promise;
  }
  getPath(name: string): string {
    const p = this.paths[name];
    if (!p) throw new Error(`fake electron: no path ${name}`);
    return p;
  }
  setPath(name: string, p: string): void {
    this.paths[name] = p;
  }
  appUserModelId: string | null = null;
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  getVersion(): string {
    return '0.1.0';
  }
  getAppPath(): string {
    return this.paths.app ?? process.cwd();
  }
  isDefaultProtocolClient(): boolean {
    return false;
  }
  setAsDefaultProtocolClient(p: string): boolean {
    this.protocolClients.push(p);
    return true;
  }
  getLoginItemSettings() {
    return { openAtLogin: this.loginItem.openAtLogin, wasOpenedAtLogin: false };
  }
  setLoginItemSettings(s: { openAtLogin?: boolean }): void {
    this.loginItem.openAtLogin = s.openAtLogin ?? false;
  }
  quit(): void {
    this.quits++;
    this.emit('before-quit', { preventDefault() {} });
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

export const app = new FakeApp();

export const ipcMain = Object.assign(new EventEmitter(), {
  handlers: new Map<string, Listener>(),
  handle(channel: string, l: Listener) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, l);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
});

export const Menu = { buildFromTemplate: (template: Array<Record<string, unknown>>) => ({ template }) };
export const nativeImage = { createFromPath: (path: string) => ({ path }) };
export const clipboard = { text: '', writeText(t: string) { this.text = t; } };
export const shell = { opened: [] as string[], async openExternal(u: string) { this.opened.push(u); } };
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const powerMonitor = new EventEmitter();
export const dialog = {
  nextOpen: null as string | null,
  nextSave: null as string | null,
  errors: [] as string[],
  async showOpenDialog() {
    return this.nextOpen === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [this.nextOpen] };
  },
  async showSaveDialog() {
    return this.nextSave === null ? { canceled: true } : { canceled: false, filePath: this.nextSave };
  },
  showErrorBox(title: string, body: string) {
    this.errors.push(`${title}: ${body}`);
  },
};
export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (req: Request) => Promise<Response>>(),
  registerSchemesAsPrivileged(s: unknown[]) {
    if (control.ready) throw new Error('registerSchemesAsPrivileged after ready');
    this.privileged.push(...s);
  },
  handle(scheme: string, h: (req: Request) => Promise<Response>) {
    this.handlers.set(scheme, h);
  },
};
export const session = {
  defaultSession: {
    handlers: {} as Record<string, Listener>,
    setPermissionRequestHandler(h: Listener) { this.handlers.permissionRequest = h; },
    setPermissionCheckHandler(h: Listener) { this.handlers.permissionCheck = h; },
    setDevicePermissionHandler(h: Listener) { this.handlers.devicePermission = h; },
    webRequest: {
      handlers: {} as Record<string, Listener>,
      onBeforeRequest(h: Listener) { this.handlers.beforeRequest = h; },
      onHeadersReceived(h: Listener) { this.handlers.headersReceived = h; },
    },
  },
};

export const control = {
  ready: false,
  windows: [] as BrowserWindow[],
  trays: [] as Tray[],
  notifications: [] as Notification[],
  app,
  ipcMain,
  dialog,
  protocol,
  session,
  clipboard,
  /** Let app.whenReady() resolve. */
  makeReady() {
    this.ready = true;
    readyGate.resolve();
  },
  /** An invoke from a window's top frame (or from somewhere else), as ipcRenderer.invoke would arrive. */
  invoke(channel: string, from: BrowserWindow | { sender: unknown; senderFrame: unknown }, ...args: unknown[]): Promise<unknown> {
    const h = ipcMain.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    const event = from instanceof BrowserWindow ? { sender: from.webContents, senderFrame: { ...from.webContents.mainFrame } } : from;
    return Promise.resolve(h(event, ...args));
  },
};

(globalThis as unknown as { __fakeElectron: typeof control }).__fakeElectron = control;
// Development mode, as `electron .` runs it: argv is [electron, app path, ...].
(process as unknown as { defaultApp: boolean }).defaultApp = true;

export default { app, BrowserWindow, Tray, Notification, ipcMain, Menu, nativeImage, clipboard, shell, screen, powerMonitor, dialog, protocol, session };
