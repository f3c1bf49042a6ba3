import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Menu, MenuItemConstructorOptions, NativeImage } from 'electron';
import { UserError } from '../../main/base/errors';
import { createTrayActions } from '../../main/tray/tray-actions';
import { createTrayController, escapeLabel, type TrayLike } from '../../main/tray/tray-controller';
import type { AppNotice } from '../../main/base/notice';
import { createStateHub } from '../../main/tray/state-hub';
import type { TrayAction } from '../../main/tray/tray-menu';
import { DAY, FakeAppService } from '../app/fakes';

/** Electron's Tray, reduced to what we call, recording every call. */
class FakeTray implements TrayLike {
  readonly log: string[] = [];
  image: string | null = null;
  tooltip = '';
  menu: MenuItemConstructorOptions[] = [];
  setImage(image: NativeImage | string): void {
    this.image = (image as unknown as { file: string }).file;
    this.log.push(`image ${this.image}`);
  }
  setToolTip(tip: string): void {
    this.tooltip = tip;
    this.log.push('tooltip');
  }
  setContextMenu(menu: Menu | null): void {
    this.menu = (menu as unknown as { template: MenuItemConstructorOptions[] }).template;
    this.log.push('menu');
  }
  find(id: string, items = this.menu): MenuItemConstructorOptions | undefined {
    for (const i of items) {
      if (i.id === id) return i;
      if (Array.isArray(i.submenu)) {
        const f = this.find(id, i.submenu);
        if (f) return f;
      }
    }
    return undefined;
  }
  /** What a user click does: Electron calls the item's click handler. */
  click(id: string): void {
    const item = this.find(id);
    assert.ok(item, `no menu item ${id}`);
    assert.notEqual(item.enabled, false, `${id} is disabled`);
    (item.click as () => void)();
  }
}

function rig(platform: NodeJS.Platform = 'linux') {
  const now = new Date('2026-05-01T00:00:00Z');
  const svc = new FakeAppService(() => now);
  const tray = new FakeTray();
  const menus: MenuItemConstructorOptions[][] = [];
  const hub = createStateHub({ service: svc, launchAtLogin: false });
  const notes: AppNotice[] = [];
  const prefs = { launchAtLogin: false };
  const login = { on: false };
  let opened = 0;
  let quit = 0;
  let credentialsChanged = 0;
  const actions = createTrayActions({
    service: svc,
    hub,
    notify: (n) => notes.push(n),
    openWindow: () => opened++,
    exportProfile: async (id) => `/home/u/Documents/${id}.mtlsprofile`,
    setLaunchAtLogin: async (on) => {
      login.on = on;
      prefs.launchAtLogin = on;
    },
    quit: () => quit++,
    onCredentialsChanged: () => credentialsChanged++,
  });
  const running: Promise<void>[] = [];
  const controller = createTrayController({
    tray,
    buildMenu: (template) => {
      menus.push(template);
      return { template } as unknown as Menu;
    },
    loadIcon: (file) => ({ file }) as unknown as NativeImage,
    platform,
    run: (a: TrayAction) => void running.push(actions.run(a)),
  });
  hub.subscribe((s) => controller.render(s));
  const settle = async () => {
    while (running.length) await running.shift();
  };
  return { svc, tray, menus, hub, notes, prefs, login, controller, settle, opened: () => opened, quit: () => quit, credentialsChanged: () => credentialsChanged, now };
}

test('the first render sets icon, tooltip and a menu built from the state', async () => {
  const r = rig('linux');
  r.svc.add({ id: 'acme', name: 'Acme', notBefore: new Date(r.now.getTime() - 10 * DAY) }, true);
  await r.hub.refresh();
  assert.equal(r.tray.image, 'tray-ok.png');
  assert.equal(r.tray.tooltip, 'mtls-tray: Acme: 20 days left');
  assert.equal(r.tray.find('status')?.label, 'Acme: 20 days left');
  assert.equal(r.tray.find('status')?.enabled, false);
  assert.equal(r.tray.find('rotate')?.label, 'Rotate certificate');
  assert.equal(r.tray.find('launch-at-login')?.type, 'checkbox');
  assert.equal(r.tray.find('switch:acme')?.type, 'radio');
  assert.equal(r.tray.find('switch:acme')?.checked, true);
});

test('the menu is rebuilt and set again on every state change, and not for an unchanged state', async () => {
  const r = rig();
  r.svc.add({ id: 'acme', name: 'Acme' }, true);
  await r.hub.refresh();
  assert.equal(r.menus.length, 1);
  await r.hub.refresh();
  assert.equal(r.menus.length, 1, 'same state: the open menu is left alone');
  r.svc.add({ id: 'beta', name: 'Beta' });
  await r.hub.refresh();
  assert.equal(r.menus.length, 2);
  assert.ok(r.tray.find('switch:beta'));
  // expiry changes the icon; the image is only set when it changes
  r.svc.profiles.get('acme')!.notAfter = new Date(r.now.getTime() - 1);
  await r.hub.refresh();
  assert.equal(r.tray.image, 'tray-error.png');
  assert.deepEqual(r.tray.log.filter((l) => l.startsWith('image')), ['image tray-ok.png', 'image tray-error.png']);
});

test('Rotate certificate calls the rotation service for the active profile and reports success', async () => {
  const r = rig();
  r.svc.add({ id: 'acme', name: 'Acme' }, true);
  r.svc.add({ id: 'beta', name: 'Beta' });
  await r.hub.refresh();
  const busyMenus: string[] = [];
  r.hub.subscribe((s) => s.busy && busyMenus.push(String(r.tray.find('status')?.label) + '|' + String(r.tray.find('rotate')?.enabled)));
  r.tray.click('rotate');
  await r.settle();
  assert.deepEqual(r.svc.callsOf('rotate'), [['acme']]);
  assert.deepEqual(busyMenus, ['Rotating certificate…|false'], 'while rotating, the menu says so and rotate is disabled');
  assert.equal(r.notes.length, 1);
  assert.equal(r.notes[0]?.kind, 'rotated');
  assert.equal(r.notes[0]?.title, 'Acme: certificate rotated');
  assert.match(r.notes[0]!.body, /Rotated Acme: new key, generation 2\./);
  assert.equal(r.credentialsChanged(), 1);
  assert.equal(r.hub.current().busy, null);
  assert.equal(r.tray.find('rotate')?.enabled, true);
});

test('a failed rotation is reported with the reason and the fix, and the tray recovers', async () => {
  const r = rig();
  r.svc.add({ id: 'acme', name: 'Acme' }, true);
  await r.hub.refresh();
  r.svc.rotateError = new UserError('LOCK_HELD', 'another mtls-tray process is writing the credentials', 'try again in a moment');
  r.tray.click('rotate');
  await r.settle();
  assert.equal(r.notes[0]?.kind, 'rotate-failed');
  assert.equal(r.notes[0]?.urgent, true);
  assert.equal(r.notes[0]?.body, 'another mtls-tray process is writing the credentials. try again in a moment. The previous certificate is still in place.');
  assert.equal(r.hub.current().busy, null);
  r.svc.rotateError = null;
  r.tray.click('rotate');
  await r.settle();
  assert.equal(r.notes[1]?.kind, 'rotated');
});

test('other items: renew, switch, test connection, export, open, launch at login, quit', async () => {
  const r = rig();
  r.svc.add({ id: 'acme', name: 'Acme' }, true);
  r.svc.add({ id: 'beta', name: 'Beta' });
  await r.hub.refresh();
  r.tray.click('renew');
  await r.settle();
  assert.deepEqual(r.svc.callsOf('renew'), [['acme']]);
  assert.equal(r.notes.at(-1)?.kind, 'renewed');

  r.tray.click('switch:beta');
  await r.settle();
  assert.deepEqual(r.svc.callsOf('switchProfile'), [['beta']]);
  assert.equal(r.tray.find('switch:beta')?.checked, true, 'menu rebuilt with the new active profile');
  r.tray.click('switch:beta');
  await r.settle();
  assert.equal(r.svc.callsOf('switchProfile').length, 1, 'switching to the active profile does nothing');

  r.svc.doctorOk = false;
  r.tray.click('test');
  await r.settle();
  assert.equal(r.notes.at(-1)?.kind, 'test-failed');
  assert.match(r.notes.at(-1)!.body, /TLS handshake: alert 42 bad certificate/);

  r.tray.click('export');
  await r.settle();
  assert.match(r.notes.at(-1)!.body, /beta\.mtlsprofile/);

  r.tray.click('open');
  assert.equal(r.opened(), 1);

  r.tray.click('launch-at-login');
  await r.settle();
  assert.equal(r.login.on, true);
  assert.equal(r.prefs.launchAtLogin, true);
  assert.equal(r.tray.find('launch-at-login')?.checked, true);

  r.tray.click('quit');
  assert.equal(r.quit(), 1);
});

test('mnemonic escaping: a profile called "R&D" shows as typed on Windows and Linux', async () => {
  assert.equal(escapeLabel('R&D', 'win32'), 'R&&D');
  assert.equal(escapeLabel('R&D', 'darwin'), 'R&D');
  const r = rig('win32');
  r.svc.add({ id: 'rd', name: 'R&D' }, true);
  await r.hub.refresh();
  assert.equal(r.tray.find('switch:rd')?.label, 'R&&D');
  assert.equal(r.tray.image, 'tray-ok.ico');
});
