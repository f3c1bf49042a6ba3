// The two scripts run the way the editor runs them: `sh -c <setting value>` through
// child_process.exec with CODER_URL, and the header command also through a real OpenSSH
// ProxyCommand (`--header-command '<value>'`, % expansion, `$SHELL -c`).
import assert from 'node:assert/strict';
import { exec, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync, chmodSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { headerCommandScriptCmd, refreshScriptCmd, renderHeadersFile } from '../../main/store';
import { renewProfile, rotateProfile } from '../../main/services/reissue';
import { proxyCommandHeaderArg } from '../../main/base/shell-quote';
import { settingsValues } from '../../main/settings/settings-values';
import { HEADERS, awkwardDataDir, newStore, parseLikeExtension, seedProfile, tempDir } from './helpers';

const execP = promisify(exec);

/** What vscode-coder's getHeaders does: exec (= /bin/sh -c), CODER_URL, strict parse. */
async function headersLikeExtension(command: string, env: NodeJS.ProcessEnv = process.env): Promise<Record<string, string>> {
  const { stdout } = await execP(command, { env: { ...env, CODER_URL: 'https://coder.example.com' } });
  return parseLikeExtension(stdout);
}

test('header command: sh -c of the setting value prints the active headers; builtins only', async () => {
  const data = awkwardDataDir();
  const store = newStore(data);
  const { cert } = await seedProfile(store);
  await store.installScripts();
  const value = settingsValues({ paths: store.paths, platform: 'linux', hasCa: false, hasHeaders: true }).values['coder.headerCommand']!;
  assert.ok(value.startsWith("'") && value.includes(`'"'"'`) && !value.includes('\\'), value);
  const expected = parseLikeExtension(renderHeadersFile(HEADERS, cert));
  assert.deepEqual(await headersLikeExtension(value), expected);
  assert.equal(expected['X-Team'], "platform's = team; $HOME `id` \\n", 'values reach the server as data, unexpanded');
  // With no PATH at all it still works: nothing but shell builtins runs.
  assert.deepEqual(await headersLikeExtension(value, { PATH: '/nonexistent' }), expected);
  // The script is user-only and executable.
  assert.equal(statSync(store.paths.headerCommand).mode & 0o777, 0o700);
});

test('header command: no headers -> empty output; no active profile -> non-zero exit and a message', async () => {
  const data = awkwardDataDir();
  const store = newStore(data);
  await store.installScripts();
  const value = settingsValues({ paths: store.paths, platform: 'linux', hasCa: false, hasHeaders: true }).values['coder.headerCommand']!;
  const r = await execP(value).then(() => null, (e: { code: number; stdout: string; stderr: string }) => e);
  assert.ok(r, 'must fail without an active profile');
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /mtls-tray: cannot read .*active\/current\/headers: no active profile\? Run: mtls-tray status/);

  await seedProfile(store, 'bare', { headers: [] });
  const out = await execP(value);
  assert.equal(out.stdout, '');
  assert.deepEqual(await headersLikeExtension(value), {});
});

test('header command survives the SSH ProxyCommand: real OpenSSH, % expansion, $SHELL -c (bash and dash)', async (t) => {
  if (spawnSync('ssh', ['-V']).status !== 0) return t.skip('no OpenSSH client');
  const dir = tempDir();
  // Stand-in for the coder binary: runs its --header-command with sh -c, as the Coder CLI does.
  const standIn = join(dir, 'coder-standin');
  writeFileSync(standIn, [
    '#!/bin/sh',
    'out=; hc=',
    'while [ $# -gt 0 ]; do case "$1" in --header-command) hc=$2; shift 2;; --out) out=$2; shift 2;; *) shift;; esac; done',
    'sh -c "$hc" > "$out" 2>&1',
    'echo "exit=$?" >> "$out"',
  ].join('\n') + '\n');
  chmodSync(standIn, 0o755);

  async function viaSsh(value: string, shell: string): Promise<{ out: string | null; sshStderr: string }> {
    const outFile = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    // How the extension writes it: the value POSIX-quoted once more inside --header-command '...'.
    const proxy = `${standIn} --header-command ${proxyCommandHeaderArg(value)} --out ${outFile} --ssh-host-prefix coder-vscode.test-- %h`;
    const cfg = join(dir, 'ssh_config');
    writeFileSync(cfg, `Host coder-vscode.test--*\n\tProxyCommand ${proxy}\n\tConnectTimeout 5\n\tStrictHostKeyChecking no\n\tUserKnownHostsFile /dev/null\n\tLogLevel ERROR\n\tBatchMode yes\n`);
    const r = await execP(`ssh -F ${cfg} coder-vscode.test--ann--ws true`, { env: { ...process.env, SHELL: shell } }).then(() => null, (e: { stderr: string }) => e);
    return { out: existsSync(outFile) ? readFileSync(outFile, 'utf8') : null, sshStderr: r?.stderr ?? '' };
  }

  const store = newStore(awkwardDataDir());
  const { cert } = await seedProfile(store);
  await store.installScripts();
  const value = settingsValues({ paths: store.paths, platform: 'linux', hasCa: false, hasHeaders: true }).values['coder.headerCommand']!;
  const expected = renderHeadersFile(HEADERS, cert);
  for (const shell of ['/bin/bash', '/bin/dash']) {
    const { out, sshStderr } = await viaSsh(value, shell);
    assert.ok(out !== null, `ProxyCommand did not run under ${shell}: ${sshStderr}`);
    assert.equal(out, `${expected}exit=0\n`, `under ${shell}`);
    assert.deepEqual(parseLikeExtension(out.replace(/exit=0\n$/, '')), parseLikeExtension(expected));
  }
  // Control: the textbook '\'' quoting of the same path works for sh -c but not inside the
  // ProxyCommand: OpenSSH's config parser reads \' inside quotes as an escape.
  const textbook = `'${store.paths.headerCommand.replace(/'/g, `'\\''`)}'`;
  assert.deepEqual(await headersLikeExtension(textbook), parseLikeExtension(expected));
  const refused = await viaSsh(textbook, '/bin/bash');
  assert.equal(refused.out, null);
  assert.match(refused.sshStderr, /invalid quotes/);

  // A data dir with % in its path: the scripts must move, or OpenSSH refuses the ProxyCommand.
  const pct = join(tempDir(), '50%off', 'mtls-tray');
  const home = tempDir('mtls-home-');
  const pctStore = newStore(pct, { homedir: home });
  assert.equal(pctStore.scriptLocation.relocated, true);
  assert.ok(pctStore.paths.headerCommand.startsWith(join(home, '.local', 'state', 'mtls-tray')));
  const pctCert = (await seedProfile(pctStore)).cert;
  await pctStore.installScripts();
  const pctValue = settingsValues({ paths: pctStore.paths, platform: 'linux', hasCa: false, hasHeaders: true }).values['coder.headerCommand']!;
  const ok = await viaSsh(pctValue, '/bin/bash');
  assert.equal(ok.out, `${renderHeadersFile(HEADERS, pctCert)}exit=0\n`);
  // Control: the same script left under the % path breaks SSH, which is why we move it.
  const naive = join(pct, 'bin-naive');
  mkdirSync(naive, { recursive: true });
  writeFileSync(join(naive, 'hc'), readFileSync(pctStore.paths.headerCommand));
  chmodSync(join(naive, 'hc'), 0o700);
  const broken = await viaSsh(join(naive, 'hc'), '/bin/bash');
  assert.equal(broken.out, null);
  assert.match(broken.sshStderr, /percent_expand|unknown key/);
  rmSync(naive, { recursive: true });
});

test('header script is written once: not rewritten by a second install, renew or rotate', async () => {
  const store = newStore(awkwardDataDir());
  await seedProfile(store);
  assert.deepEqual(await store.installScripts({ argv: ['/usr/bin/node', '/opt/cli.js'] }), { headerCommand: true, refresh: true });
  const before = statSync(store.paths.headerCommand);
  const refreshBefore = statSync(store.paths.refreshCommand);
  await renewProfile(store, 'acme', { days: 5, headers: HEADERS });
  await rotateProfile(store, 'acme', { days: 5, headers: HEADERS, keyAlgorithm: 'ecdsa-p256' });
  assert.deepEqual(await store.installScripts({ argv: ['/usr/bin/node', '/opt/cli.js'] }), { headerCommand: false, refresh: false });
  const after = statSync(store.paths.headerCommand);
  assert.equal(after.ino, before.ino);
  assert.equal(after.mtimeMs, before.mtimeMs);
  assert.equal(statSync(store.paths.refreshCommand).ino, refreshBefore.ino);
  // A new CLI location (app updated/moved) rewrites only the refresh script.
  assert.deepEqual(await store.installScripts({ argv: ['/usr/bin/node', '/opt/v2/cli.js'] }), { headerCommand: false, refresh: true });
  // A damaged script (mode lost) is put right.
  chmodSync(store.paths.headerCommand, 0o644);
  assert.equal((await store.installScripts()).headerCommand, true);
  assert.equal(statSync(store.paths.headerCommand).mode & 0o777, 0o700);
});

test('refresh script: sh -c runs the CLI with refresh --data-dir, passes its exit status, explains a missing CLI', async () => {
  const data = awkwardDataDir();
  const store = newStore(data);
  const dir = tempDir();
  const argvFile = join(dir, 'argv.json');
  const fakeCli = join(dir, "fake cli's.js");
  writeFileSync(fakeCli, `require('fs').writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify({ argv: process.argv.slice(2), env: process.env.MTLS_TEST_FLAG ?? null })); process.exit(3);\n`);
  await store.installScripts({ argv: [process.execPath, fakeCli], env: { MTLS_TEST_FLAG: "a 'quoted' $value" } });
  const value = settingsValues({ paths: store.paths, platform: 'linux', hasCa: false, hasHeaders: true }).values['coder.tlsCertRefreshCommand']!;
  const r = await execP(value).then(() => ({ code: 0 }), (e: { code: number }) => e);
  assert.equal(r.code, 3, 'the CLI exit status reaches the extension');
  assert.deepEqual(JSON.parse(readFileSync(argvFile, 'utf8')), { argv: ['refresh', '--data-dir', data], env: "a 'quoted' $value" });

  await store.installScripts({ argv: [join(dir, 'gone', 'node'), fakeCli] });
  const gone = await execP(value).then(() => null, (e: { code: number; stderr: string }) => e);
  assert.equal(gone?.code, 1);
  assert.match(gone!.stderr, /gone\/node is gone \(moved or uninstalled\?\)/);
});

test('Windows twins are batch files with quoted paths, doubled %, CRLF (checked as text)', () => {
  const hc = headerCommandScriptCmd('C:\\Users\\Ann & Bob\\100%\\mtls-tray\\active\\current\\headers');
  assert.ok(hc.includes('\r\n') && !/[^\r]\n/.test(hc));
  assert.match(hc, /^@echo off\r\n/);
  assert.ok(hc.includes('setlocal DisableDelayedExpansion'));
  assert.ok(hc.includes('if exist "C:\\Users\\Ann & Bob\\100%%\\mtls-tray\\active\\current\\headers" goto print'));
  assert.ok(hc.includes('type "C:\\Users\\Ann & Bob\\100%%\\mtls-tray\\active\\current\\headers"'));
  assert.match(hc, />&2 echo mtls-tray: cannot read .*\r\nexit \/b 1\r\n/);
  const rf = refreshScriptCmd({ argv: ['C:\\Program Files\\mtls-tray\\mtls-tray.exe', '--cli'], env: { ELECTRON_RUN_AS_NODE: '1' } }, 'C:\\Users\\Ann\\AppData\\Local\\mtls-tray');
  assert.ok(rf.includes('set "ELECTRON_RUN_AS_NODE=1"'));
  assert.ok(rf.includes('"C:\\Program Files\\mtls-tray\\mtls-tray.exe" "--cli" refresh --data-dir "C:\\Users\\Ann\\AppData\\Local\\mtls-tray"\r\nexit /b %ERRORLEVEL%'));
  assert.throws(() => headerCommandScriptCmd('C:\\a"b'), /double quote/);
});
