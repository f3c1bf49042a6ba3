import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { cliArgs, parseLaunchArgs, type LaunchRequest } from '../../main/app/launch-args';
import { setupSingleInstance, type SingleInstanceApp } from '../../main/app/single-instance';

/** Electron's app for the lock: an event emitter plus the lock answer. */
class FakeApp extends EventEmitter {
  quits = 0;
  constructor(private readonly gotLock: boolean) {
    super();
  }
  requestSingleInstanceLock(): boolean {
    return this.gotLock;
  }
  quit(): void {
    this.quits++;
  }
}
const asApp = (a: FakeApp) => a as unknown as SingleInstanceApp;
/** Electron's Event: preventDefault is what the handlers call. */
const electronEvent = () => ({ prevented: false, preventDefault() { this.prevented = true; } });

test('the second instance does not get the lock: it quits and starts nothing', () => {
  const app = new FakeApp(false);
  const seen: LaunchRequest[] = [];
  assert.equal(setupSingleInstance(asApp(app), 1, (r) => seen.push(r)), false);
  assert.equal(app.quits, 1);
  assert.equal(app.listenerCount('second-instance'), 0);
});

test('the first instance receives the second launch: links, profile files (resolved against its cwd) and a show request', () => {
  const app = new FakeApp(true);
  const seen: LaunchRequest[] = [];
  assert.equal(setupSingleInstance(asApp(app), 1, (r) => seen.push(r)), true);
  app.emit('second-instance', electronEvent(), ['/opt/mtls-tray/mtls-tray', '--enable-features=X', 'mtls-tray://import?p=abc', 'team.mtlsprofile'], '/home/u/Downloads', {});
  assert.deepEqual(seen, [{ links: ['mtls-tray://import?p=abc'], files: ['/home/u/Downloads/team.mtlsprofile'], show: true, hidden: false }]);
  // a plain second launch means "show me the window"
  app.emit('second-instance', electronEvent(), ['/opt/mtls-tray/mtls-tray'], '/', {});
  assert.deepEqual(seen[1], { links: [], files: [], show: true, hidden: false });
  // the login item launching a second copy must not pop the window up
  app.emit('second-instance', electronEvent(), ['/opt/mtls-tray/mtls-tray', '--hidden'], '/', {});
  assert.equal(seen[2]?.show, false);
});

test('in development the app path is skipped, CLI-style "import" and "open" work', () => {
  const req = parseLaunchArgs(['/usr/lib/electron', '/src/mtls-tray', 'import', './x.mtlsprofile'], '/work', 2);
  assert.deepEqual(req, { links: [], files: ['/work/x.mtlsprofile'], show: true, hidden: false });
  assert.deepEqual(parseLaunchArgs(['e', 'app', 'import', 'MTLS-TRAY://import?p=1'], '/', 2).links, ['MTLS-TRAY://import?p=1']);
  assert.equal(parseLaunchArgs(['e', 'open'], '/', 1).show, true);
  // the app path itself must not be taken for a request, and unknown words are ignored
  assert.deepEqual(parseLaunchArgs(['e', '/src/app.mtlsprofile', 'frobnicate'], '/', 2), { links: [], files: [], show: false, hidden: false });
});

test('macOS delivers links as open-url and files as open-file: forwarded the same way, default prevented', () => {
  const app = new FakeApp(true);
  const seen: LaunchRequest[] = [];
  setupSingleInstance(asApp(app), 1, (r) => seen.push(r));
  const e1 = electronEvent();
  app.emit('open-url', e1, 'mtls-tray://import?p=mac');
  const e2 = electronEvent();
  app.emit('open-file', e2, '/Users/u/team.mtlsprofile');
  assert.ok(e1.prevented && e2.prevented);
  assert.deepEqual(seen.map((r) => [r.links, r.files]), [[['mtls-tray://import?p=mac'], []], [[], ['/Users/u/team.mtlsprofile']]]);
});

test('--cli: everything after it goes to the CLI, whatever came before', () => {
  assert.deepEqual(cliArgs(['--cli', 'refresh']), ['refresh']);
  assert.deepEqual(cliArgs(['--no-sandbox', '--cli', 'status', '--json', '--data-dir', '/d']), ['status', '--json', '--data-dir', '/d']);
  assert.deepEqual(cliArgs(['--cli']), []);
  assert.equal(cliArgs(['refresh']), null);
});
