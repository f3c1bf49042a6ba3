/** The CLI's contract with scripts: exit codes, --help everywhere, --json, global flags anywhere. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS } from '../../main/cli/commands';
import { makeWorld } from './cli-harness';

const w = makeWorld('usage');

test('--help works for the program and for every command, exit 0', () => {
  const top = w.cli(['--help']);
  assert.equal(top.code, 0);
  for (const c of COMMANDS) assert.ok(top.stdout.includes(c.name), `global help lists ${c.name}`);
  for (const c of COMMANDS) {
    const r = w.cli([...c.name.split(' '), '--help']);
    assert.equal(r.code, 0, c.name);
    assert.match(r.stdout, new RegExp(`Usage: mtls-tray ${c.name}`));
  }
});

test('bad usage exits 2 and names the offending word; --json puts the error on stderr as JSON', () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /no command/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['status', '--bogus'], /--bogus/],
    [['switch'], /missing argument/],
    [['settings'], /apply, show, remove/],
    [['init', '--url', 'https://x.test'], /needs a source/],
    [['init', '--url', 'https://x.test', '--self-signed', '--local-ca'], /one source/],
    [['init', '--url', 'https://x.test', '--self-signed', '--key', 'dsa-512'], /--key must be one of/],
    [['init', '--url', 'https://x.test', '--self-signed', '--days', '0'], /--days must be/],
    [['settings', 'apply', '--editor', 'notepad'], /unknown editor "notepad"/],
    [['--data-dir'], /--data-dir needs/],
  ];
  for (const [args, message] of cases) {
    const r = w.cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    const j = w.cli(['--json', ...args]);
    assert.equal(j.code, 2);
    assert.equal(j.stdout, '');
    assert.equal(JSON.parse(j.stderr).error.code, 'USAGE');
  }
});

test('failures exit 1 with a message and a fix, no stack trace; --json before or after the command', () => {
  const r = w.cli(['status']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no profile yet/i);
  assert.match(r.stderr, /fix: .*mtls-tray init/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  for (const args of [['--json', 'status'], ['status', '--json']]) {
    const j = w.cli(args);
    assert.equal(j.code, 1);
    const err = JSON.parse(j.stderr).error;
    assert.equal(err.code, 'NO_PROFILE');
    assert.ok(err.fix);
  }
  // A bad value typed on the command line is bad usage (exit 2), with the service's message and fix.
  const badUrl = w.cli(['init', '--url', 'http://insecure.test', '--self-signed']);
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /https:\/\//);
  const missing = w.cli(['init', '--url', 'https://x.test', '--import-pem', 'nope.crt', 'nope.key']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.crt.*no such file/);
});

test('every command answers --json on success', () => {
  assert.equal(w.cli(['init', '--url', 'https://coder.usage.test', '--self-signed', '--no-settings']).code, 0);
  for (const args of [['status'], ['list'], ['renew'], ['rotate'], ['rollback'], ['settings', 'show'], ['settings', 'apply', '--dry-run'], ['export', '--link']]) {
    const r = w.cli(['--json', ...args]);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.doesNotThrow(() => JSON.parse(r.stdout), args.join(' '));
  }
  const list = w.json(['list']);
  assert.equal(list.length, 1);
  assert.equal(list[0].active, true);
  // --data-dir after the command works as well as before it.
  const after = w.cli(['list', '--data-dir', w.dataDir, '--json']);
  assert.equal(JSON.parse(after.stdout).length, 1);
});
