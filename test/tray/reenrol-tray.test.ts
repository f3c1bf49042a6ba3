// tier: integration
/**
 * Issue 12 in the tray (issue 15 item 3): for a CA-issued profile, "Request a new certificate…"
 * makes the CSR (saved and copied) and opens the window where it shows what to send and where;
 * "Import issued certificate…" publishes what `openssl ca` signed as the next generation; "Set up
 * automatic renewal…" opens the window at the issuer-command form; once an issuer command is
 * set, "Renew now" is offered and renews through it. A refused certificate is a notification
 * that says why, and nothing changes. Real service, real files, real CA.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AppNotice } from '../../main/base/notice';
import { createAppService } from '../../main/services/create-app-service';
import { createStateHub } from '../../main/tray/state-hub';
import { createTrayActions, type TraySection } from '../../main/tray/tray-actions';
import { buildTrayMenu, type TrayMenuItem } from '../../main/tray/tray-menu';
import { makeOpensslCa } from '../helpers/openssl-ca';

const enabled = (menu: TrayMenuItem[], id: string) => menu.some((i) => i.kind === 'action' && i.id === id && i.enabled);
const label = (menu: TrayMenuItem[], id: string) => menu.flatMap((i) => (i.kind === 'action' && i.id === id ? [i.label] : []))[0];

function world(name: string) {
  const home = mkdtempSync(join(tmpdir(), `mtls-tray-${name}-`));
  after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
  const ca = makeOpensslCa('Corp Issuing CA', home);
  const dataDir = join(home, 'data');
  const svc = createAppService({ dataDir, env: { HOME: home, PATH: process.env.PATH }, platform: 'linux', homedir: home, cliCommand: ['node', 'cli.js'] });
  const hub = createStateHub({ service: svc, launchAtLogin: false });
  const notes: AppNotice[] = [];
  const saved: string[] = [];
  const copied: string[] = [];
  const opened: Array<[string, TraySection] | 'window'> = [];
  const io: { toImport: string | null; savePath: string | null } = { toImport: '', savePath: '/home/u/Documents/corp.csr' };
  const actions = createTrayActions({
    service: svc,
    hub,
    notify: (n) => notes.push(n),
    openWindow: () => void opened.push('window'),
    exportProfile: async () => null,
    setLaunchAtLogin: async () => undefined,
    quit: () => undefined,
    saveCsr: async (_id, pem) => {
      saved.push(pem);
      return io.savePath;
    },
    copyText: (t) => copied.push(t),
    chooseIssuedCert: async () => io.toImport,
    openWindowAt: (id, section) => void opened.push([id, section]),
  });
  const menu = async () => {
    await hub.refresh();
    return buildTrayMenu(hub.current());
  };
  return { home, ca, dataDir, svc, hub, notes, saved, copied, opened, io, actions, menu };
}

test('tray: request, import, set up automatic renewal, then Renew now through the issuer command', async () => {
  const w = world('reenrol');
  const init = await w.svc.init({ url: 'https://coder.corp.test', name: 'corp', identity: { kind: 'csr' }, sans: ['email:dev@corp.test'], noSettings: true });
  await w.svc.csrImportCert(await w.ca.sign(init.csrPem!), 'corp', { noSettings: true });
  const key0 = readFileSync(join(w.dataDir, 'profiles', 'corp', 'current', 'client.key'), 'utf8');

  let m = await w.menu();
  assert.equal(enabled(m, 'renew'), false, 'no issuer command: mtls-tray cannot renew it by itself');
  assert.equal(enabled(m, 'rotate'), false, 'a new key for a CA-issued profile is a re-enrolment');
  assert.ok(enabled(m, 'request-csr') && enabled(m, 'import-cert') && enabled(m, 'setup-issuer'));
  assert.equal(label(m, 'request-csr'), 'Request a new certificate…');
  assert.equal(label(m, 'import-cert'), 'Import issued certificate…');
  assert.equal(label(m, 'setup-issuer'), 'Set up automatic renewal…');

  // Request: the CSR is saved and copied, and the window opens where it shows what to send where.
  await w.actions.run({ type: 'request-csr' });
  assert.equal(w.saved.length, 1);
  assert.match(w.saved[0]!, /BEGIN CERTIFICATE REQUEST/);
  assert.deepEqual(w.copied, w.saved);
  assert.deepEqual(w.opened, [['corp', 'reenrol']]);
  assert.match(w.notes.at(-1)!.body, /Saved to \/home\/u\/Documents\/corp.csr and copied to the clipboard/);
  assert.equal((await w.svc.listProfiles())[0]!.reenrolment?.newKey, false);
  assert.equal(w.hub.current().busy, null, 'not busy afterwards');

  // Cancelled save dialog: the window still shows the request; the notice says it was not saved.
  w.io.savePath = null;
  await w.actions.run({ type: 'request-csr' });
  assert.deepEqual(w.opened.at(-1), ['corp', 'reenrol']);
  assert.match(w.notes.at(-1)!.body, /Not saved to a file and copied to the clipboard/);
  const csr = w.saved.at(-1)!;

  // A serverAuth-only certificate: refused, said so, nothing changed.
  w.io.toImport = await w.ca.sign(csr, { profile: 'server' });
  await w.actions.run({ type: 'import-cert' });
  assert.equal(w.notes.at(-1)!.kind, 'renew-failed');
  assert.match(w.notes.at(-1)!.body, /does not allow client authentication.*Nothing changed/);
  assert.equal((await w.svc.status('corp'))!.generations[0]!.number, 1);

  w.io.toImport = await w.ca.sign(csr);
  await w.actions.run({ type: 'import-cert' });
  assert.equal(w.notes.at(-1)!.kind, 'renewed', w.notes.at(-1)!.body);
  assert.match(w.notes.at(-1)!.body, /generation 2 \(same key: a renewal\)/);
  assert.equal((await w.svc.listProfiles())[0]!.reenrolment, undefined);
  // A cancelled open dialog: nothing happens, nothing is said.
  const before = w.notes.length;
  w.io.toImport = null;
  await w.actions.run({ type: 'import-cert' });
  assert.equal(w.notes.length, before);

  // Set up automatic renewal: the window opens at the issuer-command form.
  await w.actions.run({ type: 'setup-issuer' });
  assert.deepEqual(w.opened.at(-1), ['corp', 'issuer']);

  // With an issuer command (here `openssl ca` behind a script), "Renew now" is offered and works.
  const script = join(w.home, 'issue.sh');
  writeFileSync(script, `#!/bin/sh\nset -e\nout=$(mktemp)\nopenssl ca -batch -config '${w.ca.dir}/ca.cnf' -notext -in "$MTLS_TRAY_CSR_FILE" -out "$out" -extensions ext_client -days 20 2>/dev/null\ncat "$out"; rm -f "$out"\n`, { mode: 0o755 });
  await w.svc.setIssuerCommand('corp', { command: script });
  m = await w.menu();
  assert.equal(enabled(m, 'renew'), true);
  assert.equal(label(m, 'renew'), 'Renew now');
  assert.equal(enabled(m, 'rotate'), false);
  assert.ok(enabled(m, 'request-csr') && enabled(m, 'import-cert') && enabled(m, 'setup-issuer'), 'by hand still works');
  await w.actions.run({ type: 'renew' });
  assert.equal(w.notes.at(-1)!.kind, 'renewed', w.notes.at(-1)!.body);
  assert.match(w.notes.at(-1)!.body, /no setting changed/);
  assert.equal((await w.svc.status('corp'))!.generations[0]!.number, 3, 'renewed through the issuer command');
  assert.equal(readFileSync(join(w.dataDir, 'profiles', 'corp', 'current', 'client.key'), 'utf8'), key0, 'same key');

  // A failing issuer command: a notification naming it, the previous certificate still in place.
  writeFileSync(script, '#!/bin/sh\necho "CA says no" >&2\nexit 3\n', { mode: 0o755 });
  await w.actions.run({ type: 'renew' });
  assert.equal(w.notes.at(-1)!.kind, 'renew-failed');
  assert.match(w.notes.at(-1)!.body, /CA says no[\s\S]*previous certificate is still in place/);
  assert.equal((await w.svc.status('corp'))!.generations[0]!.number, 3);
});
