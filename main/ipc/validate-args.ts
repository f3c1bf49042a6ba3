/**
 * Checks every IPC call's arguments against the contract before anything else runs. The
 * renderer is untrusted (a compromised page can send anything), so each channel has a checker
 * that accepts exactly the shape in contract.ts, with bounded strings and arrays, no extra
 * properties, and profile ids that can never be paths. A bad call is a UserError
 * `BAD_IPC_ARGUMENTS` naming the argument at fault; nothing reaches the service.
 */
import { UserError } from '../base/errors';
import { EDITOR_IDS, KEY_ALGORITHMS, PROFILE_ID_PATTERN } from '../base/vocabulary';
import type { EditorId, KeyAlgorithm } from '../services/app-service';
import type { IdentityChoice, IpcArgs, IpcChannel, WizardRequest } from './contract';

type Check<T> = (value: unknown, path: string) => T;

function fail(path: string, what: string): never {
  throw new UserError('BAD_IPC_ARGUMENTS', `invalid argument ${path}: ${what}`, 'this is a bug in the window; restart mtls-tray');
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `a string of ${v.length} characters` : `a ${typeof v}`;
}

const str =
  (max: number, opts: { min?: number; pattern?: RegExp; singleLine?: boolean } = {}): Check<string> =>
  (v, path) => {
    if (typeof v !== 'string') fail(path, `expected a string, got ${describe(v)}`);
    if (v.length < (opts.min ?? 0)) fail(path, opts.min === 1 ? 'must not be empty' : `shorter than ${opts.min}`);
    if (v.length > max) fail(path, `longer than ${max} characters`);
    if (opts.singleLine && /[\r\n\0]/.test(v)) fail(path, 'must be a single line');
    if (opts.pattern && !opts.pattern.test(v)) fail(path, `does not match ${opts.pattern}`);
    return v;
  };

const bool: Check<boolean> = (v, path) => (typeof v === 'boolean' ? v : fail(path, `expected true or false, got ${describe(v)}`));

const int =
  (min: number, max: number): Check<number> =>
  (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(path, `expected an integer, got ${describe(v)}`);
    if (v < min || v > max) fail(path, `must be between ${min} and ${max}`);
    return v;
  };

const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v, path) =>
    typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fail(path, `must be one of ${values.join(', ')}`);

const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (v, path) =>
    v === undefined ? undefined : check(v, path);

const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (v, path) =>
    v === null ? null : check(v, path);

const arrayOf =
  <T>(check: Check<T>, max: number): Check<T[]> =>
  (v, path) => {
    if (!Array.isArray(v)) fail(path, `expected an array, got ${describe(v)}`);
    if (v.length > max) fail(path, `more than ${max} items`);
    return v.map((x, i) => check(x, `${path}[${i}]`));
  };

type Shape = Record<string, Check<unknown>>;
type FromShape<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/** A plain object with exactly these keys (undefined ones dropped); anything else is refused. */
const obj =
  <S extends Shape>(shape: S): Check<FromShape<S>> =>
  (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, `expected an object, got ${describe(v)}`);
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) fail(path, 'expected a plain object');
    for (const k of Object.keys(v)) if (!Object.hasOwn(shape, k)) fail(`${path}.${k}`, 'unknown property');
    const out: Record<string, unknown> = {};
    for (const [k, check] of Object.entries(shape)) {
      const x = check((v as Record<string, unknown>)[k], `${path}.${k}`);
      if (x !== undefined) out[k] = x;
    }
    return out as FromShape<S>;
  };

// ---- the vocabulary of the contract --------------------------------------------------------

/** A directory name, never a path. */
const profileId = str(63, { min: 1, pattern: PROFILE_ID_PATTERN });
/** File tokens are 32 random bytes, base64url (see file-tokens.ts). */
export const FILE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const fileToken = str(43, { pattern: FILE_TOKEN_PATTERN });
const passphrase = str(1024);
const url = str(2048, { min: 1, singleLine: true });
const host = str(253, { min: 1, pattern: /^[A-Za-z0-9.\-:[\]]+$/ });
const editorId = oneOf<EditorId>(EDITOR_IDS);
const editors = arrayOf(editorId, EDITOR_IDS.length);
const keyAlgorithm = oneOf<KeyAlgorithm>(KEY_ALGORITHMS);
/** mtls-tray:// links carry a whole profile; 64 KiB is far above any real one. */
const link = str(65536, { min: 1, pattern: /^mtls-tray:\/\//i, singleLine: true });
const importSource: Check<{ file: string } | { link: string }> = (v, path) => {
  if (typeof v === 'object' && v !== null && 'file' in v) return obj({ file: fileToken })(v, path);
  return obj({ link })(v, path);
};

const identity: Check<IdentityChoice> = (v, path) => {
  const kind = typeof v === 'object' && v !== null ? (v as { kind?: unknown }).kind : undefined;
  switch (kind) {
    case 'self-signed':
    case 'csr':
    case 'local-ca':
      return obj({ kind: oneOf([kind]) })(v, path);
    case 'import-pem':
      return obj({
        kind: oneOf(['import-pem'] as const),
        certFile: fileToken,
        keyFile: fileToken,
        chainFile: optional(fileToken),
        passphrase: optional(passphrase),
      })(v, path);
    case 'import-p12':
      return obj({ kind: oneOf(['import-p12'] as const), file: fileToken, passphrase })(v, path);
    default:
      return fail(`${path}.kind`, 'must be one of self-signed, csr, local-ca, import-pem, import-p12');
  }
};

const wizardRequest: Check<WizardRequest> = obj({
  url,
  name: optional(str(200, { min: 1, singleLine: true })),
  identity,
  sans: optional(arrayOf(str(512, { min: 1, singleLine: true }), 100)),
  keyAlgorithm: optional(keyAlgorithm),
  days: optional(int(1, 3650)),
  caBundleFile: optional(fileToken),
  altHost: optional(host),
  headers: optional(arrayOf(obj({ name: str(256, { min: 1, singleLine: true }), value: str(8192, { singleLine: true }) }), 50)),
  editors: optional(editors),
  noSettings: optional(bool),
  proxyConsent: optional(bool),
});

// ---- one checker per channel -----------------------------------------------------------------

type ArgsChecker<C extends IpcChannel> = ((args: readonly unknown[]) => IpcArgs<C>) & { arity: number };

/** Positional arguments: at most as many as declared; missing trailing ones are undefined. */
function tuple<T extends unknown[]>(...checks: { [K in keyof T]: Check<T[K]> }): ((args: readonly unknown[]) => T) & { arity: number } {
  const fn = (args: readonly unknown[]): T => {
    if (!Array.isArray(args)) fail('list', 'expected an argument list');
    if (args.length > checks.length) fail(`#${checks.length + 1}`, `this call takes at most ${checks.length} argument(s)`);
    const out = checks.map((c, i) => (c as Check<unknown>)(args[i], `#${i + 1}`));
    while (out.length && out[out.length - 1] === undefined) out.pop();
    return out as T;
  };
  return Object.assign(fn, { arity: checks.length });
}

const optId = optional(profileId);

export const ARG_CHECKERS: { [C in IpcChannel]: ArgsChecker<C> } = {
  'profiles:list': tuple(),
  'status:get': tuple(optId),
  'profile:renew': tuple(optId),
  'profile:rotate': tuple(optId),
  'profile:rollback': tuple(optId),
  'profile:switch': tuple(profileId),
  'profile:rename': tuple(profileId, str(200, { min: 1, singleLine: true })),
  'profile:delete': tuple(profileId),
  'profile:export': tuple(nullable(profileId), nullable(str(1024, { min: 1 }))),
  'profile:exportLink': tuple(optId),
  'profile:importPreview': tuple(importSource),
  'profile:import': tuple(
    importSource,
    obj({ passphrase: optional(passphrase), editors: optional(editors), noSettings: optional(bool), proxyConsent: optional(bool) }),
  ),
  'csr:get': tuple(optId),
  'csr:save': tuple(optId),
  'csr:importCert': tuple(fileToken, optId),
  'wizard:checkDeployment': tuple(url, optional(host), optional(fileToken)),
  'wizard:previewSettings': tuple(
    obj({ editors, altHost: optional(host), hasCaBundle: bool, proxyConsent: bool }),
  ),
  'wizard:create': tuple(wizardRequest),
  'editors:detect': tuple(),
  'settings:apply': tuple(obj({ editors: optional(editors), dryRun: optional(bool), proxyConsent: optional(bool) })),
  'doctor:run': tuple(optId),
  'dialog:openFile': tuple(oneOf(['certificate', 'key', 'chain', 'pkcs12', 'ca-bundle', 'profile'] as const)),
  'clipboard:writeText': tuple(str(65536)),
  'ca:cert': tuple(optId),
  'ca:saveCert': tuple(optId),
  // One hour to one week: longer silences a warning the user would forget they silenced.
  'notifications:snooze': tuple(profileId, int(1, 168)),
};

/** The arguments of `channel`, checked; throws UserError BAD_IPC_ARGUMENTS otherwise. */
export function validateArgs<C extends IpcChannel>(channel: C, args: readonly unknown[]): IpcArgs<C> {
  const check = Object.hasOwn(ARG_CHECKERS, channel) ? (ARG_CHECKERS[channel] as ArgsChecker<C>) : undefined;
  if (check === undefined) throw new UserError('UNKNOWN_IPC_CHANNEL', `unknown channel ${String(channel)}`);
  return check(args);
}
