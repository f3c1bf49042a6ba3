/** The header command runs as the extension runs it (sh -c, env + CODER_URL) and is judged by its rules. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { checkHeaderCommand } from '../../main/doctor/checks/header-command';
import { runHeaderCommand } from '../../main/doctor/header-command';

const URL = 'https://coder.example.com';
const env = { PATH: process.env['PATH'], FROM_ENV: 'env-value' };
let tmp: string;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'doctor-hc-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('runs through the shell with the given environment plus CODER_URL', async () => {
  const run = await runHeaderCommand('printf "U=%s\\nE=%s\\n" "$CODER_URL" "$FROM_ENV" | cat', { url: URL, env, timeoutMs: 5000 });
  assert.equal(run.exitCode, 0);
  assert.equal(run.stdout, `U=${URL}\nE=env-value\n`);
  assert.equal(run.timedOut, false);
});

test('a script path with a space, quoted as the settings value would be', async () => {
  const dir = join(tmp, 'with space');
  mkdirSync(dir);
  const script = join(dir, 'coder-header-command');
  writeFileSync(script, '#!/bin/sh\nprintf "X-Token=abc\\n"\n', { mode: 0o755 });
  const r = await checkHeaderCommand(`'${script}'`, { url: URL, env, timeoutMs: 5000 });
  assert.equal(r.check.status, 'pass');
  assert.deepEqual(r.headers, { 'X-Token': 'abc' });
  assert.match(r.check.detail, /prints 1 header: X-Token/);
});

test('blank or absent command: skipped, no headers (the extension trims the setting)', async () => {
  for (const cmd of [undefined, '', '   ']) {
    const r = await checkHeaderCommand(cmd, { url: URL, env, timeoutMs: 5000 });
    assert.equal(r.check.status, 'skip');
    assert.deepEqual(r.headers, {});
  }
});

test('non-zero exit fails with the code and the first stderr line; no headers', async () => {
  const r = await checkHeaderCommand('echo "no profile active" >&2; exit 3', { url: URL, env, timeoutMs: 5000 });
  assert.equal(r.check.status, 'fail');
  assert.equal(r.check.code, 'HEADER_COMMAND_FAILED');
  assert.match(r.check.detail, /exited with code 3 \(no profile active\)/);
  assert.equal(r.headers, undefined);
});

test('a missing script fails (sh exits 127)', async () => {
  const r = await checkHeaderCommand(`'${join(tmp, 'nope')}'`, { url: URL, env, timeoutMs: 5000 });
  assert.equal(r.check.status, 'fail');
  assert.match(r.check.detail, /exited with code 127/);
});

test('a command that never finishes is reported, since the extension would wait forever', async () => {
  const r = await checkHeaderCommand('sleep 30', { url: URL, env, timeoutMs: 300 });
  assert.equal(r.check.status, 'fail');
  assert.equal(r.check.code, 'HEADER_COMMAND_HANGS');
  assert.match(r.check.detail, /did not finish within 300 ms/);
});

test('a hanging command is killed with everything it started, so nothing holds on', async () => {
  const pidFile = join(tmp, 'grandchild.pid');
  const r = await runHeaderCommand(`sleep 30 & echo $! > '${pidFile}'; wait`, { url: URL, env, timeoutMs: 300 });
  assert.equal(r.timedOut, true);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  // Had only the shell been killed, this sleep would live on for 30 s.
  const deadline = Date.now() + 5000;
  while (alive(pid)) {
    assert.ok(Date.now() < deadline, `the command's child ${pid} outlived the timeout`);
    await new Promise((res) => setTimeout(res, 50));
  }
});

/** Running and not a zombie waiting for init to reap it. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

test('output past exec\'s 1 MiB limit fails as it does in the extension', async () => {
  const r = await checkHeaderCommand('head -c 1100000 /dev/zero | tr "\\0" a', { url: URL, env, timeoutMs: 5000 });
  assert.equal(r.check.status, 'fail');
  assert.match(r.check.detail, /more than 1 MiB/);
});

test('printing a lone newline is an error (blank line), printing nothing is fine', async () => {
  const nl = await checkHeaderCommand('echo', { url: URL, env, timeoutMs: 5000 });
  assert.equal(nl.check.status, 'fail');
  assert.match(nl.check.detail, /line 1 .*blank line/);
  const none = await checkHeaderCommand('true', { url: URL, env, timeoutMs: 5000 });
  assert.equal(none.check.status, 'pass');
  assert.match(none.check.detail, /prints nothing/);
});

test('a malformed line is shown without what follows its separator (it may be a secret)', async () => {
  const r = await checkHeaderCommand(`printf 'Authorization: Bearer s3cr3t\\n'`, { url: URL, env, timeoutMs: 5000 });
  assert.equal(r.check.code, 'HEADER_OUTPUT_MALFORMED');
  assert.match(r.check.detail, /"Authorization:…"/);
  assert.doesNotMatch(r.check.detail, /s3cr3t/);
  const eq = await checkHeaderCommand(`printf '=s3cr3t\\n'`, { url: URL, env, timeoutMs: 5000 });
  assert.match(eq.check.detail, /empty header name\): "=…"/);
});
