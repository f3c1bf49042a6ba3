// tier: integration
/**
 * "No handler returns private-key bytes", against the real AppService over a temp data
 * directory: profiles are created (a self-signed one, one imported from an openssl-made key
 * and certificate, a CSR one), then every channel is called and every answer, success or
 * error, is scanned for key material.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IPC_CHANNELS, type IpcChannel } from '../../main/ipc/contract';
import { createFileTokenStore } from '../../main/ipc/file-tokens';
import { createIpcHandlers } from '../../main/ipc/handlers';
import { createAppService } from '../../main/services/create-app-service';
import { writeFileAtomic } from '../../main/base/fs-atomic';
import { tempDir } from '../app/fakes';

test('no IPC answer from the real service carries a private key', { timeout: 120_000 }, async () => {
  const tmp = tempDir('mtls-ipc-real-');
  const home = join(tmp, 'home');
  mkdirSync(home, { recursive: true });
  const keyFile = join(tmp, 'client.key');
  const certFile = join(tmp, 'client.crt');
  const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=imported', '-addext', 'subjectAltName=email:me@example.com', '-addext', 'extendedKeyUsage=clientAuth', '-days', '30'], { encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const keyPem = readFileSync(keyFile, 'utf8');
  const keyBody = keyPem.split('\n').filter((l) => l && !l.startsWith('-----'));

  const service = createAppService({
    dataDir: join(tmp, 'data'),
    env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share') },
    platform: process.platform,
    homedir: home,
    cliCommand: [process.execPath, join(tmp, 'cli.js')],
  });
  const files = createFileTokenStore();
  let save = 0;
  const handlers = createIpcHandlers({
    service,
    files,
    confirmIssuerCommand: async () => true,
    chooseOpenFile: async () => certFile,
    chooseSaveFile: async () => join(tmp, `saved-${++save}`),
    writeFile: writeFileAtomic,
    clipboardWriteText: () => {},
    onStateChanged: () => {},
    snooze: () => {},
  });
  const ctx = { windowId: 1 };
  const answers: Array<[string, unknown]> = [];
  const call = async (channel: IpcChannel, ...args: unknown[]) => {
    const res = await handlers[channel](ctx, args);
    answers.push([channel, res]);
    return res as { ok: boolean; value?: unknown; error?: unknown };
  };
  const tok = (path: string) => files.issue(1, path, 'certificate').token;

  // With a CA bundle (any certificate will do): its trust snippets carry the CA, never a key.
  const alpha = await call('wizard:create', { url: 'https://127.0.0.1:9', name: 'Alpha', identity: { kind: 'self-signed' }, caBundleFile: files.issue(1, certFile, 'ca-bundle').token, noSettings: true });
  assert.equal(alpha.ok, true, JSON.stringify(alpha));
  const beta = await call('wizard:create', { url: 'https://127.0.0.1:9', name: 'Beta', identity: { kind: 'import-pem', certFile: tok(certFile), keyFile: tok(keyFile) }, noSettings: true });
  assert.equal(beta.ok, true, JSON.stringify(beta));
  const gamma = await call('wizard:create', { url: 'https://127.0.0.1:9', name: 'Gamma', identity: { kind: 'csr' }, sans: ['email:me@example.com'], noSettings: true });
  assert.equal(gamma.ok, true, JSON.stringify(gamma));
  // A local CA: its CA key signs every renewal and must never cross either, only its certificate.
  const delta = await call('wizard:create', { url: 'https://127.0.0.1:9', name: 'Delta', identity: { kind: 'local-ca' }, sans: ['email:me@example.com'], noSettings: true });
  assert.equal(delta.ok, true, JSON.stringify(delta));
  const ids = ((await call('profiles:list')).value as Array<{ id: string; name: string }>).map((p) => p.id);
  assert.equal(ids.length, 4);

  for (const id of ids) {
    await call('status:get', id);
    await call('profile:renew', id);
    await call('profile:rotate', id);
    await call('profile:rollback', id);
    await call('profile:exportLink', id);
    await call('profile:export', id, null);
    await call('profile:export', id, 'a long export passphrase');
    await call('csr:get', id);
    await call('csr:save', id);
    await call('csr:new', id, {});
    await call('csr:new', id, { newKey: true });
    await call('csr:get', id);
    await call('issuer:set', id, { command: 'true', timeoutSeconds: 5 });
    await call('ca:cert', id);
    await call('ca:saveCert', id);
    await call('notifications:snooze', id, 24);
    await call('profile:edit', id, { setHeaders: [{ name: 'X-Fp', value: '{{cert.spki.sha256}}' }], dryRun: true });
    await call('profile:edit', id, { caBundleFile: tok(certFile), days: 30 });
    await call('profile:history', id);
    for (const format of ['dockerfile', 'shell', 'terraform'] as const) await call('trust:snippet', id, { format });
    await call('profile:switch', id);
    await call('status:get');
  }
  const link = (await call('profile:exportLink', ids[0])).value as string;
  await call('profile:importPreview', { link });
  await call('profile:import', { link }, { noSettings: true });
  await call('csr:importCert', tok(certFile), ids[2]);
  await call('profile:rename', ids[0], 'Alpha renamed');
  await call('wizard:previewSettings', { editors: ['code'], hasCaBundle: false, proxyConsent: false });
  await call('settings:apply', { dryRun: true });
  await call('editors:detect');
  await call('dialog:openFile', 'key');
  await call('wizard:checkDeployment', 'https://127.0.0.1:9');
  await call('doctor:run', ids[0]);
  await call('drift:get');
  await call('drift:restore', 'files');
  await call('drift:keepTheirs', '/nowhere/settings.json');
  await call('profiles:list');

  const called = new Set(answers.map(([c]) => c));
  for (const channel of IPC_CHANNELS) if (channel !== 'clipboard:writeText' && channel !== 'profile:delete') assert.ok(called.has(channel), `${channel} was exercised`);
  await call('profile:delete', ids[1]);

  const caSaved = answers.filter(([c, r]) => c === 'ca:saveCert' && (r as { ok: boolean }).ok).map(([, r]) => (r as { value: { path: string } }).value.path);
  assert.equal(caSaved.length, 1, 'only the local-CA profile has a CA certificate to save');
  assert.match(readFileSync(caSaved[0]!, 'utf8'), /^-----BEGIN CERTIFICATE-----[^]*-----END CERTIFICATE-----\n?$/);
  const snippets = answers.filter(([c, r]) => c === 'trust:snippet' && (r as { ok: boolean; value?: { hasCaBundle: boolean } }).value?.hasCaBundle);
  assert.ok(snippets.length >= 3, 'the profiles with a CA bundle got their snippets');
  const text = JSON.stringify(answers);
  assert.doesNotMatch(text, /PRIVATE KEY/);
  for (const line of keyBody) assert.ok(!text.includes(line), 'a line of the imported key appears in an answer');
  // and the exports with an identity went to files, 0600, where the key is encrypted
  assert.ok(answers.some(([c, r]) => c === 'profile:export' && (r as { ok: boolean }).ok), 'some export succeeded');
});
