import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../main/base/errors';
import { IPC_CHANNELS, type IpcChannel, type IpcResponse } from '../../main/ipc/contract';
import { createFileTokenStore, MAX_PICKED_FILE_BYTES, type FilePurpose } from '../../main/ipc/file-tokens';
import { createIpcHandlers, MUTATING_CHANNELS, type IpcHandlerMap } from '../../main/ipc/handlers';
import { writeFileAtomic } from '../../main/base/fs-atomic';
import { FAKE_KEY_PEM, FakeAppService, tempDir } from '../app/fakes';
import { validCalls } from './examples';

const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBFAKE\n-----END CERTIFICATE-----\n';
const NOW = Date.parse('2030-01-15T12:00:00Z');

interface Rig {
  svc: FakeAppService;
  handlers: IpcHandlerMap;
  dir: string;
  tokens: { cert: string; key: string; profile: string; p12: string };
  clipboard: string[];
  stateChanges: () => number;
  saveTo: { path: string | null };
  errors: unknown[];
  /** What the injected snooze received, and the fixed clock the handlers use. */
  snoozes: Array<[string, number]>;
  pick(path: string, purpose?: FilePurpose, windowId?: number): Promise<string>;
  cancelNextDialog(): void;
  /** Commands shown in the native confirmation, and the answer it gives. */
  confirmations: string[];
  answer(yes: boolean): void;
}

async function rig(): Promise<Rig> {
  const dir = tempDir('mtls-ipc-');
  const svc = new FakeAppService();
  svc.add({ id: 'acme', name: 'Acme' }, true);
  svc.add({ id: 'beta', name: 'Beta' });
  const files = createFileTokenStore();
  const clipboard: string[] = [];
  let changes = 0;
  let nextOpen: string | null = null;
  const confirmations: string[] = [];
  let confirmAnswer = false;
  const saveTo = { path: join(dir, 'out.mtlsprofile') as string | null };
  const errors: unknown[] = [];
  const snoozes: Array<[string, number]> = [];
  const handlers = createIpcHandlers({
    service: svc,
    files,
    confirmIssuerCommand: async (_w: number, req: { command: string }) => {
      confirmations.push(req.command);
      return confirmAnswer;
    },
    chooseOpenFile: async () => nextOpen,
    chooseSaveFile: async () => saveTo.path,
    writeFile: writeFileAtomic,
    clipboardWriteText: (t) => clipboard.push(t),
    onStateChanged: () => changes++,
    logError: (_c, e) => errors.push(e),
    snooze: (id, untilMs) => void snoozes.push([id, untilMs]),
    now: () => NOW,
  });
  const pick = async (path: string, purpose: FilePurpose = 'certificate', windowId = 1) => {
    nextOpen = path;
    const res = await handlers['dialog:openFile']({ windowId }, [purpose]);
    assert.ok(res.ok && res.value !== null);
    return res.value.token;
  };
  const w = (name: string, text: string | Buffer) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const tokens = {
    cert: await pick(w('client.crt', CERT_PEM)),
    key: await pick(w('client.key', FAKE_KEY_PEM), 'key'),
    profile: await pick(w('team.mtlsprofile', '{"format":"mtls-tray-profile"}'), 'profile'),
    p12: await pick(w('id.p12', Buffer.from([0x30, 0x82, 0xff, 0x00])), 'pkcs12'),
  };
  return { svc, handlers, dir, tokens, clipboard, stateChanges: () => changes, saveTo, errors, snoozes, pick, cancelNextDialog: () => (nextOpen = null), confirmations, answer: (yes) => void (confirmAnswer = yes) };
}

function call<C extends IpcChannel>(r: Rig, channel: C, args: unknown[], windowId = 1): Promise<IpcResponse<unknown>> {
  return r.handlers[channel]({ windowId }, args);
}

test('every channel has a handler; a malformed call is refused before the service is touched', async () => {
  const r = await rig();
  assert.deepEqual(Object.keys(r.handlers).sort(), [...IPC_CHANNELS].sort());
  const before = r.svc.calls.length;
  for (const channel of IPC_CHANNELS) {
    for (const bad of [[12345], [{ x: 1 }, 'extra', 'more'], ['../../etc/passwd', { y: 2 }, null]]) {
      const res = await call(r, channel, bad);
      assert.equal(res.ok, false, `${channel} ${JSON.stringify(bad)}`);
      if (!res.ok) assert.equal(res.error.code, 'BAD_IPC_ARGUMENTS', channel);
    }
  }
  assert.equal(r.svc.calls.length, before, 'the service saw none of them');
  assert.equal(r.clipboard.length, 0);
});

test('well-formed calls reach the service with the arguments of the contract', async () => {
  const r = await rig();
  r.answer(true); // the user allows the issuer command in the native dialog
  const calls = validCalls(r.tokens);
  for (const channel of IPC_CHANNELS) {
    const res = await call(r, channel, calls[channel] as unknown[]);
    assert.equal(res.ok, true, `${channel}: ${JSON.stringify(res)}`);
  }
  assert.deepEqual(r.svc.callsOf('renew'), [['acme']]);
  assert.deepEqual(r.svc.callsOf('rotate'), [[undefined]]);
  assert.deepEqual(r.svc.callsOf('renameProfile'), [['acme', 'Acme production']]);
  assert.deepEqual(r.svc.callsOf('checkDeployment'), [['https://coder.example.com', 'coder.internal']]);
  // files picked in the dialog arrive as contents: the key is read in main, handed to the service
  const init = r.svc.callsOf('init')[0]?.[0] as { identity: { kind: string; certPem: string; keyPem: string } };
  assert.equal(init.identity.kind, 'import-pem');
  assert.equal(init.identity.certPem, CERT_PEM);
  assert.equal(init.identity.keyPem, FAKE_KEY_PEM);
  assert.deepEqual(r.svc.callsOf('csrImportCert'), [[CERT_PEM, 'acme']]);
  // an edit's CA bundle is a picked file, read in main; null removes the alt host
  assert.deepEqual(r.svc.callsOf('editProfile'), [[{ profileId: 'acme', caBundlePem: CERT_PEM, altHost: null, setHeaders: [{ name: 'X-Team', value: 'infra' }], sans: ['email:{{user}}@example.com'], days: 90, dryRun: true }]]);
  assert.deepEqual(r.svc.callsOf('history'), [['acme']]);
  assert.deepEqual(r.svc.callsOf('previewImport'), [['{"format":"mtls-tray-profile"}']]);
  assert.deepEqual(r.clipboard, ['mtls-tray://import?p=x']);
});

test('no result of any handler carries private-key bytes, although the service data and a picked file hold a key', async () => {
  const r = await rig();
  const calls = validCalls(r.tokens);
  const results: unknown[] = [];
  for (const channel of IPC_CHANNELS) results.push(await call(r, channel, calls[channel] as unknown[]));
  // the PKCS#12 and the passphrase-protected export too
  results.push(await call(r, 'wizard:create', [{ url: 'https://c.example', name: 'P12', identity: { kind: 'import-p12', file: r.tokens.p12, passphrase: 'pw' } }]));
  results.push(await call(r, 'profile:export', [null, 'a long passphrase']));
  results.push(await call(r, 'status:get', []));
  const text = JSON.stringify(results);
  assert.ok(r.svc.profiles.get('acme')!.keyPem.includes('PRIVATE KEY'), 'the fake really holds a key');
  assert.ok(!/PRIVATE KEY/.test(text), 'a handler result contains a private key');
  assert.ok(!text.includes('MIGHAgEAMBMGByqGSM49'), 'key bytes leaked without their PEM armour');
});

test('errors cross as data: a UserError keeps code, message and fix; anything else is INTERNAL and logged', async () => {
  const r = await rig();
  r.svc.rotateError = new UserError('LOCK_HELD', 'another mtls-tray process is writing', 'wait a moment and try again');
  const res = await call(r, 'profile:rotate', []);
  assert.deepEqual(res, { ok: false, error: { code: 'LOCK_HELD', message: 'another mtls-tray process is writing', fix: 'wait a moment and try again' } });
  r.svc.rotateError = new TypeError("Cannot read properties of undefined (reading 'x')");
  const bug = await call(r, 'profile:rotate', []);
  assert.equal(bug.ok, false);
  if (!bug.ok) {
    assert.equal(bug.error.code, 'INTERNAL');
    assert.doesNotMatch(bug.error.message, /\n\s+at /, 'no stack trace');
  }
  assert.equal(r.errors.length, 1);
});

test('state-changed is signalled after mutations (even failed ones) and not after reads', async () => {
  const r = await rig();
  await call(r, 'profiles:list', []);
  await call(r, 'status:get', []);
  await call(r, 'doctor:run', []);
  assert.equal(r.stateChanges(), 0);
  await call(r, 'profile:renew', []);
  assert.equal(r.stateChanges(), 1);
  r.svc.rotateError = new UserError('CANNOT_RENEW', 'no');
  await call(r, 'profile:rotate', []);
  assert.equal(r.stateChanges(), 2);
  await call(r, 'profile:rotate', [42]);
  assert.equal(r.stateChanges(), 2, 'a call refused by validation changed nothing');
  // Previews write nothing: an edit's or a settings write's dry run is a read.
  await call(r, 'profile:edit', ['acme', { altHost: 'coder.internal', dryRun: true }]);
  await call(r, 'settings:apply', [{ dryRun: true }]);
  assert.equal(r.stateChanges(), 2, 'dry runs changed nothing');
  await call(r, 'profile:edit', ['acme', { altHost: 'coder.internal' }]);
  assert.equal(r.stateChanges(), 3);
  assert.ok(MUTATING_CHANNELS.has('wizard:create') && !MUTATING_CHANNELS.has('status:get'));
});

test('file tokens: only the window they were issued to can use them; unknown tokens are refused', async () => {
  const r = await rig();
  const other = await call(r, 'csr:importCert', [r.tokens.cert], 2);
  assert.ok(!other.ok && other.error.code === 'FILE_TOKEN_UNKNOWN');
  const forged = await call(r, 'csr:importCert', ['B'.repeat(43)]);
  assert.ok(!forged.ok && forged.error.code === 'FILE_TOKEN_UNKNOWN');
  assert.equal(r.svc.callsOf('csrImportCert').length, 0);
  // dialog cancelled: null, no token
  r.cancelNextDialog();
  assert.deepEqual(await r.handlers['dialog:openFile']({ windowId: 1 }, ['key']), { ok: true, value: null });
});

test('picked files over the size limit, or binary where text is expected, are refused with the file named', async () => {
  const r = await rig();
  const big = join(r.dir, 'huge.pem');
  writeFileSync(big, Buffer.alloc(MAX_PICKED_FILE_BYTES + 1, 0x41));
  const t = await r.pick(big);
  const res = await call(r, 'csr:importCert', [t]);
  assert.ok(!res.ok && res.error.code === 'FILE_TOO_LARGE' && res.error.message.includes(big));
  const bin = join(r.dir, 'cert.der');
  writeFileSync(bin, Buffer.from([0x30, 0x82, 0x01, 0xff, 0xfe, 0x80]));
  const t2 = await r.pick(bin);
  const res2 = await call(r, 'csr:importCert', [t2]);
  assert.ok(!res2.ok && res2.error.code === 'FILE_NOT_TEXT' && res2.error.message.includes(bin));
  assert.equal(r.svc.callsOf('csrImportCert').length, 0);
});

test('profile export goes to the file chosen in the save dialog: 0600 with the identity, 0644 without, nothing when cancelled', async () => {
  const r = await rig();
  const withId = await call(r, 'profile:export', ['acme', 'a long passphrase']);
  assert.deepEqual(withId, { ok: true, value: { saved: true, path: r.saveTo.path } });
  assert.match(readFileSync(r.saveTo.path!, 'utf8'), /ENCRYPTED PRIVATE KEY/);
  if (process.platform !== 'win32') assert.equal(statSync(r.saveTo.path!).mode & 0o777, 0o600);
  r.saveTo.path = join(r.dir, 'plain.mtlsprofile');
  await call(r, 'profile:export', [null, null]);
  assert.doesNotMatch(readFileSync(r.saveTo.path, 'utf8'), /PRIVATE KEY/);
  if (process.platform !== 'win32') assert.equal(statSync(r.saveTo.path).mode & 0o777, 0o644);
  r.saveTo.path = null;
  const before = r.svc.callsOf('exportProfile').length;
  assert.deepEqual(await call(r, 'profile:export', ['acme', null]), { ok: true, value: { saved: false, path: null } });
  assert.equal(r.svc.callsOf('exportProfile').length, before, 'cancelled: nothing exported');
});

test('the clipboard refuses private keys', async () => {
  const r = await rig();
  const res = await call(r, 'clipboard:writeText', [FAKE_KEY_PEM]);
  assert.ok(!res.ok && res.error.code === 'CLIPBOARD_REFUSED');
  assert.deepEqual(r.clipboard, []);
});

test('a CSR is saved where the user chose', async () => {
  const r = await rig();
  r.saveTo.path = join(r.dir, 'me.csr');
  const res = await call(r, 'csr:save', []);
  assert.deepEqual(res, { ok: true, value: { saved: true, path: r.saveTo.path } });
  assert.match(readFileSync(r.saveTo.path, 'utf8'), /BEGIN CERTIFICATE REQUEST/);
});

test('the wizard settings preview goes to the service preview, not to a write', async () => {
  const r = await rig();
  const res = await call(r, 'wizard:previewSettings', [{ editors: ['code', 'cursor'], altHost: 'coder.internal', hasCaBundle: true, proxyConsent: false }]);
  assert.equal(res.ok, true);
  assert.deepEqual(r.svc.callsOf('previewSettings'), [[{ editors: ['code', 'cursor'], altHost: 'coder.internal', hasCaBundle: true, proxyConsent: false }]]);
  assert.equal(r.svc.callsOf('applySettings').length, 0);
});

test('Remind me tomorrow: the injected snooze gets the profile and now + hours; bad hours and unknown profiles change nothing', async () => {
  const r = await rig();
  const res = await call(r, 'notifications:snooze', ['beta', 24]);
  assert.deepEqual(res, { ok: true, value: { until: '2030-01-16T12:00:00.000Z' } });
  assert.deepEqual(r.snoozes, [['beta', NOW + 24 * 3_600_000]]);
  assert.deepEqual(await call(r, 'notifications:snooze', ['acme', 168]), { ok: true, value: { until: '2030-01-22T12:00:00.000Z' } });
  for (const hours of [0, 169, 1.5, -24, '24']) {
    const bad = await call(r, 'notifications:snooze', ['acme', hours]);
    assert.ok(!bad.ok && bad.error.code === 'BAD_IPC_ARGUMENTS', `hours ${JSON.stringify(hours)}`);
  }
  const ghost = await call(r, 'notifications:snooze', ['ghost', 24]);
  assert.ok(!ghost.ok && ghost.error.code === 'NO_SUCH_PROFILE' && ghost.error.message.includes('ghost'));
  assert.equal(r.snoozes.length, 2, 'refused calls snoozed nothing');
  assert.equal(r.stateChanges(), 0, 'a snooze changes no credentials');
});

test('without a snooze dependency the channel says so instead of pretending', async () => {
  const handlers = createIpcHandlers({
    service: new FakeAppService(),
    files: createFileTokenStore(),
    confirmIssuerCommand: async () => true,
    chooseOpenFile: async () => null,
    chooseSaveFile: async () => null,
    writeFile: async () => assert.fail('no write'),
    clipboardWriteText: () => {},
    onStateChanged: () => {},
  });
  const res = await handlers['notifications:snooze']({ windowId: 1 }, ['acme', 24]);
  assert.ok(!res.ok && res.error.code === 'SNOOZE_UNAVAILABLE');
});

test('the local CA certificate is saved where the user chose, 0644; a cancelled dialog writes nothing', async () => {
  const r = await rig();
  const ca = '-----BEGIN CERTIFICATE-----\nMIICAFAKECA\n-----END CERTIFICATE-----\n';
  const recorded = r.svc.caCert.bind(r.svc);
  r.svc.caCert = async (id?: string) => {
    await recorded(id);
    return ca;
  };
  assert.deepEqual(await call(r, 'ca:cert', []), { ok: true, value: ca });
  r.saveTo.path = join(r.dir, 'team-ca.crt');
  assert.deepEqual(await call(r, 'ca:saveCert', []), { ok: true, value: { saved: true, path: r.saveTo.path } });
  assert.equal(readFileSync(r.saveTo.path, 'utf8'), ca);
  if (process.platform !== 'win32') assert.equal(statSync(r.saveTo.path).mode & 0o777, 0o644);
  assert.deepEqual(r.svc.callsOf('caCert'), [[undefined], ['acme']], 'the save names the active profile');
  r.saveTo.path = null;
  assert.deepEqual(await call(r, 'ca:saveCert', ['beta']), { ok: true, value: { saved: false, path: null } });
});

test('issuer:set stores a command only after the user allows it in a native dialog; removing one needs no question', async () => {
  const r = await rig();
  const command = 'curl --data-binary @- https://ca.example.test/sign';
  const refused = await call(r, 'issuer:set', ['acme', { command }]);
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.error.code, 'NOT_CONFIRMED');
  assert.deepEqual(r.confirmations, [command], 'the dialog showed the exact command');
  assert.deepEqual(r.svc.callsOf('setIssuerCommand'), [], 'nothing stored without a yes');
  r.answer(true);
  assert.equal((await call(r, 'issuer:set', ['acme', { command }])).ok, true);
  assert.deepEqual(r.svc.callsOf('setIssuerCommand'), [['acme', { command }]]);
  assert.equal((await call(r, 'issuer:set', ['acme', { command: null }])).ok, true);
  assert.equal(r.confirmations.length, 2, 'removing asks nothing');
});
