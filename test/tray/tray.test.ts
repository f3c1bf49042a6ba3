import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Menu, MenuItemConstructorOptions, NativeImage } from 'electron';
import { UserError } from '../../main/base/errors';
import { createTrayActions } from '../../main/tray/tray-actions';
import { createTrayController, escapeLabel, type TrayLike } from '../../main/tray/tray-controller';
import type { AppNotice } from '../../main/base/notice';
import { createStateHub } from '../../main/tray/state-hub';
import type { TrayAction } from '../../main/tray/tray-menu';
import type { AppService } from '../../main/services/app-service';
import { createTempAppService, DAY, FakeAppService } from '../app/fakes';

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

type Service = AppService;

/** The tray over a service: the real one (over temp dirs) unless a test needs a port to fail. */
function rig(opts: { platform?: NodeJS.Platform; service?: Service } = {}) {
  const platform = opts.platform ?? 'linux';
  const clock = { t: new Date('2026-05-01T00:00:00Z').getTime() };
  const svc = opts.service ?? createTempAppService({ now: () => new Date(clock.t) });
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
  /** A self-signed profile made by the service, valid for `days` from the clock's now. */
  const create = async (name: string, days = 30) =>
    (await svc.init({ url: 'https://127.0.0.1:9', name, identity: { kind: 'self-signed' }, days, noSettings: true })).profile.id;
  const advance = (ms: number) => {
    clock.t += ms;
  };
  return { svc, tray, menus, hub, notes, prefs, login, controller, settle, create, advance, opened: () => opened, quit: () => quit, credentialsChanged: () => credentialsChanged };
}

test('the first render sets icon, tooltip and a menu built from the state', async () => {
  const r = rig({ platform: 'linux' });
  const acme = await r.create('Acme', 30);
  r.advance(10 * DAY);
  await r.hub.refresh();
  assert.equal(r.tray.image, 'tray-ok.png');
  assert.equal(r.tray.tooltip, 'mtls-tray: Acme: 20 days left');
  assert.equal(r.tray.find('status')?.label, 'Acme: 20 days left');
  assert.equal(r.tray.find('status')?.enabled, false);
  assert.equal(r.tray.find('rotate')?.label, 'Rotate certificate');
  assert.equal(r.tray.find('launch-at-login')?.type, 'checkbox');
  assert.equal(r.tray.find(`switch:${acme}`)?.type, 'radio');
  assert.equal(r.tray.find(`switch:${acme}`)?.checked, true);
});

test('the menu is rebuilt and set again on every state change, and not for an unchanged state', async () => {
  const r = rig();
  await r.create('Acme', 30);
  await r.hub.refresh();
  assert.equal(r.menus.length, 1);
  await r.hub.refresh();
  assert.equal(r.menus.length, 1, 'same state: the open menu is left alone');
  const beta = await r.create('Beta', 30);
  await r.hub.refresh();
  assert.equal(r.menus.length, 2);
  assert.ok(r.tray.find(`switch:${beta}`));
  // expiry (of the active profile, Beta) changes the icon; the image is only set when it changes
  r.advance(31 * DAY);
  await r.hub.refresh();
  assert.equal(r.tray.image, 'tray-error.png');
  assert.deepEqual(r.tray.log.filter((l) => l.startsWith('image')), ['image tray-ok.png', 'image tray-error.png']);
});

test('Rotate certificate rotates the active profile and reports success', async () => {
  const r = rig();
  await r.create('Beta');
  const acme = await r.create('Acme');
  const before = await r.svc.status(acme);
  await r.hub.refresh();
  const busyMenus: string[] = [];
  r.hub.subscribe((s) => s.busy && busyMenus.push(String(r.tray.find('status')?.label) + '|' + String(r.tray.find('rotate')?.enabled)));
  r.tray.click('rotate');
  await r.settle();
  assert.deepEqual(busyMenus, ['Rotating certificate…|false'], 'while rotating, the menu says so and rotate is disabled');
  const after = await r.svc.status(acme);
  assert.deepEqual(after?.generations.find((g) => g.current)?.number, 2, 'a new generation is current');
  assert.notEqual(after?.report?.fingerprintSha256, before?.report?.fingerprintSha256);
  assert.equal(r.notes.length, 1);
  assert.equal(r.notes[0]?.kind, 'rotated');
  assert.equal(r.notes[0]?.profileId, acme);
  assert.equal(r.notes[0]?.title, 'Acme: certificate rotated');
  assert.match(r.notes[0]!.body, / Editors use it from their next request; no setting changed\.$/);
  assert.equal(r.credentialsChanged(), 1);
  assert.equal(r.hub.current().busy, null);
  assert.equal(r.tray.find('rotate')?.enabled, true);
});

test('a failed rotation is reported with the reason and the fix, and the tray recovers', async () => {
  // The port fails on purpose: a fake service.
  const svc = new FakeAppService();
  const r = rig({ service: svc });
  svc.add({ id: 'acme', name: 'Acme' }, true);
  await r.hub.refresh();
  svc.rotateError = new UserError('LOCK_HELD', 'another mtls-tray process is writing the credentials', 'try again in a moment');
  r.tray.click('rotate');
  await r.settle();
  assert.deepEqual(svc.callsOf('rotate'), [['acme']]);
  assert.equal(r.notes[0]?.kind, 'rotate-failed');
  assert.equal(r.notes[0]?.urgent, true);
  assert.equal(r.notes[0]?.body, 'another mtls-tray process is writing the credentials. try again in a moment. The previous certificate is still in place.');
  assert.equal(r.hub.current().busy, null);
  svc.rotateError = null;
  r.tray.click('rotate');
  await r.settle();
  assert.equal(r.notes[1]?.kind, 'rotated');
});

test('renew and switch act on the real profiles', async () => {
  const r = rig();
  const beta = await r.create('Beta');
  const acme = await r.create('Acme');
  const before = await r.svc.status(acme);
  await r.hub.refresh();
  r.advance(DAY);
  r.tray.click('renew');
  await r.settle();
  assert.equal(r.notes.at(-1)?.kind, 'renewed');
  const after = await r.svc.status(acme);
  assert.notEqual(after?.report?.serial, before?.report?.serial, 'a new certificate');
  assert.equal(after?.generations.find((g) => g.current)?.number, 2);
  assert.equal((await r.svc.status(beta))?.generations.length, 1, 'the other profile is untouched');

  r.tray.click(`switch:${beta}`);
  await r.settle();
  assert.equal((await r.svc.listProfiles()).find((p) => p.active)?.id, beta);
  assert.equal(r.tray.find(`switch:${beta}`)?.checked, true, 'menu rebuilt with the new active profile');
  assert.equal(r.tray.find('status')?.label, 'Beta: 29 days left');
});

test('other items: switch to the active one, test connection, export, open, launch at login, quit', async () => {
  // Call sequencing and a failing doctor: a fake service.
  const svc = new FakeAppService();
  const r = rig({ service: svc });
  svc.add({ id: 'acme', name: 'Acme' }, true);
  svc.add({ id: 'beta', name: 'Beta' });
  await r.hub.refresh();
  r.tray.click('switch:acme');
  await r.settle();
  assert.equal(svc.callsOf('switchProfile').length, 0, 'switching to the active profile does nothing');

  svc.doctorOk = false;
  r.tray.click('test');
  await r.settle();
  assert.deepEqual(svc.callsOf('doctor'), [['acme']]);
  assert.equal(r.notes.at(-1)?.kind, 'test-failed');
  const report = await svc.doctor('acme');
  const failed = report.checks.find((c) => c.status === 'fail')!;
  assert.ok(r.notes.at(-1)!.body.includes(`${failed.title}: ${failed.detail}`), 'the failing check, by title and detail');

  r.tray.click('export');
  await r.settle();
  assert.match(r.notes.at(-1)!.body, /acme\.mtlsprofile/);

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
  // The service refuses "&" in names it makes; a profile's name is the tray's input here: a fake.
  const svc = new FakeAppService();
  const r = rig({ platform: 'win32', service: svc });
  svc.add({ id: 'rd', name: 'R&D' }, true);
  await r.hub.refresh();
  assert.equal(r.tray.find('switch:rd')?.label, 'R&&D');
  assert.equal(r.tray.image, 'tray-ok.ico');
});
