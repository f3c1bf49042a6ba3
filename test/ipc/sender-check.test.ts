import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS, type IpcChannel } from '../../main/ipc/contract';
import { createFileTokenStore } from '../../main/ipc/file-tokens';
import { createIpcHandlers } from '../../main/ipc/handlers';
import { checkSender, createIpcDispatcher, type SenderPolicy } from '../../main/ipc/sender-check';
import { registerIpc, type InvokeEventLike, type IpcMainLike } from '../../main/app/ipc-main';
import { UI_HOST, UI_SCHEME } from '../../main/app/renderer-protocol';
import { FakeAppService } from '../app/fakes';
import { validCalls } from './examples';

const OUR_WINDOW = 3;
const policy: SenderPolicy = { isOurWindow: (id) => id === OUR_WINDOW, uiScheme: UI_SCHEME, uiHost: UI_HOST };

/** ipcMain as Electron has it for our purpose: handle() registrations, invoked by channel. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
    assert.ok(!this.handlers.has(channel), `${channel} registered twice`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): unknown {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event as IpcMainInvokeEvent, ...args);
  }
}

/** An invoke event from a WebContents (id = its window's id here) and one of its frames. */
function event(opts: { windowId: number | null; url: string | null; subframe?: boolean }): InvokeEventLike & { windowId: number | null } {
  const mainFrame = { routingId: 1, processId: 10, parent: null, url: opts.url ?? '' };
  const frame = opts.url === null ? null : opts.subframe ? { routingId: 2, processId: 10, parent: mainFrame, url: opts.url } : { ...mainFrame };
  return { windowId: opts.windowId, sender: { mainFrame } as unknown as IpcMainInvokeEvent['sender'], senderFrame: frame as unknown as IpcMainInvokeEvent['senderFrame'] };
}

function setup() {
  const svc = new FakeAppService();
  svc.add({ id: 'acme' }, true);
  svc.add({ id: 'beta' });
  const handlers = createIpcHandlers({
    service: svc,
    files: createFileTokenStore(),
    confirmIssuerCommand: async () => true,
    chooseOpenFile: async () => '/etc/hostname',
    chooseSaveFile: async () => null,
    writeFile: async () => assert.fail('no write expected'),
    clipboardWriteText: () => assert.fail('no clipboard expected'),
    onStateChanged: () => {},
  });
  const refused: string[] = [];
  const ipc = new FakeIpcMain();
  const windowOf = new Map<unknown, number | null>();
  const unregister = registerIpc(ipc, createIpcDispatcher(handlers, policy, (ch, why) => refused.push(`${ch}: ${why}`)), (sender) => windowOf.get(sender) ?? null);
  const send = (channel: IpcChannel, ev: ReturnType<typeof event>, args: unknown[]) => {
    windowOf.set(ev.sender, ev.windowId);
    return ipc.invoke(channel, ev, ...args) as Promise<{ ok: boolean; error?: { code: string } }>;
  };
  return { svc, ipc, send, refused, unregister };
}

const T = 'A'.repeat(43);
const calls = validCalls({ cert: T, key: T, profile: T, p12: T });

test('exactly the contract channels are registered with ipcMain, and unregistered on teardown', () => {
  const { ipc, unregister } = setup();
  assert.deepEqual([...ipc.handlers.keys()].sort(), [...IPC_CHANNELS].sort());
  unregister();
  assert.equal(ipc.handlers.size, 0);
});

test('every channel refuses a foreign sender, and the service never sees the call', async () => {
  const { svc, send, refused } = setup();
  const foreign = [
    event({ windowId: 99, url: 'app://mtls-tray/index.html' }), // another window (devtools, a popup)
    event({ windowId: null, url: 'app://mtls-tray/index.html' }), // not a BrowserWindow at all
    event({ windowId: OUR_WINDOW, url: 'https://evil.example/' }), // our window, navigated away
    event({ windowId: OUR_WINDOW, url: 'file:///tmp/index.html' }),
    event({ windowId: OUR_WINDOW, url: 'app://other-host/index.html' }),
    event({ windowId: OUR_WINDOW, url: 'app://mtls-tray/index.html', subframe: true }), // an iframe
    event({ windowId: OUR_WINDOW, url: null }), // the frame is gone
    event({ windowId: OUR_WINDOW, url: 'not a url' }),
  ];
  const before = svc.calls.length;
  for (const channel of IPC_CHANNELS) {
    for (const ev of foreign) {
      const res = await send(channel, ev, calls[channel] as unknown[]);
      assert.equal(res.ok, false, channel);
      assert.equal(res.error?.code, 'FOREIGN_SENDER', channel);
    }
  }
  assert.equal(svc.calls.length, before);
  assert.equal(refused.length, IPC_CHANNELS.length * foreign.length);
});

test('our window, top frame, our UI: calls go through (and malformed ones are still refused)', async () => {
  const { svc, send } = setup();
  const ours = event({ windowId: OUR_WINDOW, url: 'app://mtls-tray/index.html#/status' });
  const res = await send('profile:switch', ours, ['beta']);
  assert.equal(res.ok, true);
  assert.deepEqual(svc.callsOf('switchProfile'), [['beta']]);
  const bad = await send('profile:switch', ours, ['../beta']);
  assert.equal(bad.error?.code, 'BAD_IPC_ARGUMENTS');
});

test('checkSender reasons', () => {
  assert.deepEqual(checkSender({ windowId: OUR_WINDOW, frameUrl: 'app://mtls-tray/', isMainFrame: true }, policy), { ok: true, windowId: OUR_WINDOW });
  const v = checkSender({ windowId: OUR_WINDOW, frameUrl: 'app://mtls-tray.evil/', isMainFrame: true }, policy);
  assert.ok(!v.ok && /not our UI/.test(v.reason));
});
