// tier: integration
/**
 * Issue 12, the tray: for a CA-issued profile, "Request a new certificate…" makes the CSR
 * (saved and copied), "Import issued certificate…" publishes what `openssl ca` signed as the
 * next generation, and "Set up automatic renewal…" opens the window. A refused certificate is
 * a notification that says why, and nothing changes. Real service, real files, real CA.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AppNotice } from '../../main/base/notice';
import { createAppService } from '../../main/services/create-app-service';
import { createStateHub } from '../../main/tray/state-hub';
import { createTrayActions } from '../../main/tray/tray-actions';
import { buildTrayMenu } from '../../main/tray/tray-menu';
import { makeOpensslCa } from '../helpers/openssl-ca';

test('tray: request, import and set up renewal for a CA-issued profile', async () => {
  const home = mkdtempSync(join(tmpdir(), 'mtls-tray-reenrol-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
  const ca = makeOpensslCa('Corp Issuing CA', home);
  const svc = createAppService({ dataDir: join(home, 'data'), env: { HOME: home, PATH: process.env.PATH }, platform: 'linux', homedir: home, cliCommand: ['node', 'cli.js'] });
  const init = await svc.init({ url: 'https://coder.corp.test', name: 'corp', identity: { kind: 'csr' }, sans: ['email:dev@corp.test'], noSettings: true });
  await svc.csrImportCert(await ca.sign(init.csrPem!), 'corp', { noSettings: true });

  const hub = createStateHub({ service: svc, launchAtLogin: false });
  await hub.refresh();
  const menu = buildTrayMenu(hub.current());
  const en = (id: string) => menu.some((i) => i.kind === 'action' && i.id === id && i.enabled);
  assert.equal(en('renew'), false, 'no issuer command: mtls-tray cannot renew it by itself');
  assert.ok(en('request-csr') && en('import-cert') && en('setup-issuer'));

  const notes: AppNotice[] = [];
  const saved: string[] = [];
  const copied: string[] = [];
  let toImport = '';
  let setup = '';
  const actions = createTrayActions({
    service: svc,
    hub,
    notify: (n) => notes.push(n),
    openWindow: () => undefined,
    exportProfile: async () => null,
    setLaunchAtLogin: async () => undefined,
    quit: () => undefined,
    saveCsr: async (_id, pem) => {
      saved.push(pem);
      return '/home/u/Documents/corp.csr';
    },
    copyText: (t) => copied.push(t),
    chooseIssuedCert: async () => toImport,
    openIssuerSetup: (id) => (setup = id),
  });

  await actions.run({ type: 'request-csr' });
  assert.equal(saved.length, 1);
  assert.deepEqual(copied, saved);
  assert.match(notes.at(-1)!.body, /Saved to \/home\/u\/Documents\/corp.csr and copied to the clipboard/);
  assert.equal((await svc.listProfiles())[0]!.reenrolment?.newKey, false);

  // A serverAuth-only certificate: refused, said so, nothing changed.
  toImport = await ca.sign(saved[0]!, { profile: 'server' });
  await actions.run({ type: 'import-cert' });
  assert.equal(notes.at(-1)!.kind, 'renew-failed');
  assert.match(notes.at(-1)!.body, /does not allow client authentication.*Nothing changed/);
  assert.equal((await svc.status('corp'))!.generations[0]!.number, 1);

  toImport = await ca.sign(saved[0]!);
  await actions.run({ type: 'import-cert' });
  assert.equal(notes.at(-1)!.kind, 'renewed', notes.at(-1)!.body);
  assert.match(notes.at(-1)!.body, /generation 2 \(same key: a renewal\)/);
  assert.equal((await svc.listProfiles())[0]!.reenrolment, undefined);

  await actions.run({ type: 'setup-issuer' });
  assert.equal(setup, 'corp');
});
