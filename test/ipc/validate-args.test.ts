import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUserError } from '../../main/base/errors';
import { IPC_CHANNELS, type IpcChannel } from '../../main/ipc/contract';
import { IPC } from '../../main/ipc/schema';
import { arityOf, validateArgs } from '../../main/ipc/validate-args';
import { validCalls } from './examples';

const TOKEN = 'A'.repeat(43);
const calls = validCalls({ cert: TOKEN, key: TOKEN, profile: TOKEN, p12: TOKEN });

function refuses(channel: IpcChannel, args: unknown[], why: string): void {
  assert.throws(
    () => validateArgs(channel, args),
    (err: unknown) => isUserError(err) && err.code === 'BAD_IPC_ARGUMENTS' && /^invalid argument /.test(err.message),
    `${channel} should refuse ${why}: ${JSON.stringify(args)?.slice(0, 120)}`,
  );
}

test('the channel list is the schema map\'s, and every channel has an argument schema', () => {
  assert.deepEqual([...IPC_CHANNELS], Object.keys(IPC));
  for (const channel of IPC_CHANNELS) assert.equal(IPC[channel].args.type, 'strict_tuple', channel);
});

test('the well-formed call of every channel passes unchanged', () => {
  for (const channel of IPC_CHANNELS) {
    assert.deepEqual(validateArgs(channel, calls[channel] as unknown[]), calls[channel], channel);
  }
});

test('every channel refuses an extra argument, and a number in each argument position', () => {
  for (const channel of IPC_CHANNELS) {
    const good = calls[channel] as unknown[];
    const arity = arityOf(channel);
    assert.ok(good.length <= arity);
    assert.throws(() => validateArgs(channel, [...good, ...Array(arity - good.length).fill(undefined), 'acme']), /takes at most/, channel);
    for (let i = 0; i < good.length; i++) {
      const bad = [...good];
      bad[i] = 12345;
      refuses(channel, bad, `a number as argument ${i + 1}`);
    }
  }
});

test('profile ids can never be paths or odd strings', () => {
  for (const id of ['../etc', 'a/b', 'A', '', '-x', 'x'.repeat(64), 'a\0', ' acme', 'acme\n']) {
    refuses('profile:switch', [id], `profile id ${JSON.stringify(id)}`);
    refuses('status:get', [id], `profile id ${JSON.stringify(id)}`);
  }
  assert.deepEqual(validateArgs('status:get', []), []);
  assert.deepEqual(validateArgs('status:get', [undefined]), []);
});

test('objects: unknown properties, wrong nested types, class instances and arrays are refused', () => {
  refuses('settings:apply', [{ editors: ['code'], sneaky: true }], 'an unknown property');
  refuses('settings:apply', [{ editors: ['notepad'] }], 'an unknown editor');
  refuses('settings:apply', [{ editors: 'code' }], 'a string for a list');
  refuses('settings:apply', [[]], 'an array for an object');
  refuses('settings:apply', [new Date()], 'a class instance');
  refuses('settings:apply', [JSON.parse('{"__proto__": {"dryRun": true}}')], 'a __proto__ key');
  refuses('wizard:create', [{ ...calls['wizard:create'][0], days: 0 }], 'zero days');
  refuses('wizard:create', [{ ...calls['wizard:create'][0], days: 1.5 }], 'fractional days');
  refuses('wizard:create', [{ ...calls['wizard:create'][0], identity: { kind: 'import-pem', certFile: '/etc/passwd', keyFile: TOKEN } }], 'a path instead of a file token');
  refuses('wizard:create', [{ ...calls['wizard:create'][0], identity: { kind: 'import-p12', file: TOKEN } }], 'a PKCS#12 import without passphrase');
  refuses('wizard:create', [{ ...calls['wizard:create'][0], identity: { kind: 'self-signed', keyFile: TOKEN } }], 'extra identity properties');
  refuses('wizard:create', [{ ...calls['wizard:create'][0], identity: { kind: 'steal-keys' } }], 'an unknown identity kind');
  refuses('wizard:create', [{ ...calls['wizard:create'][0], url: 'https://a\nb' }], 'a multi-line URL');
  refuses('wizard:create', [{ ...calls['wizard:create'][0], headers: [{ name: 'X', value: 'a\nInjected: 1' }] }], 'a multi-line header value');
  refuses('wizard:create', [{ ...calls['wizard:create'][0], sans: Array(101).fill('DNS:a') }], 'too many SANs');
  refuses('profile:import', [{ link: 'https://evil.example/' }, {}], 'a link that is not ours');
  refuses('profile:import', [{ link: 'mtls-tray://x', file: TOKEN }, {}], 'both a link and a file');
  refuses('profile:export', ['acme', ''], 'an empty passphrase');
  refuses('clipboard:writeText', ['x'.repeat(65537)], 'an oversized text');
  refuses('dialog:openFile', ['../../etc'], 'an unknown purpose');
});

test('null where the contract allows it, undefined optional properties dropped', () => {
  assert.deepEqual(validateArgs('profile:export', [null, null]), [null, null]);
  assert.deepEqual(validateArgs('settings:apply', [{ editors: undefined, dryRun: true }]), [{ dryRun: true }]);
});

test('an unknown channel is refused', () => {
  assert.throws(() => validateArgs('__proto__' as IpcChannel, []), (e: unknown) => isUserError(e) && e.code === 'UNKNOWN_IPC_CHANNEL');
});
