/**
 * The building blocks of the IPC schema (schema.ts): valibot schemas for the values a window
 * may send. The renderer is untrusted, so every string and list is bounded, every object is a
 * plain object with exactly the declared keys, and a profile id can never be a path. Pure
 * data and valibot: the preload bundles this file (through the channel list), so nothing here
 * may import node modules.
 */
import * as v from 'valibot';
import { EDITOR_IDS, KEY_ALGORITHMS, PROFILE_ID_PATTERN } from '../base/vocabulary';

/** No CR, LF or NUL: a value that must stay one line (a URL, a header value). */
export const SINGLE_LINE = /^[^\r\n\0]*$/;

type StringCheck = v.PipeItem<string, string, v.BaseIssue<unknown>>;

/** A string of at most `max` characters, optionally non-empty, one line, or of a pattern. */
export function str(max: number, opts: { min?: number; pattern?: RegExp; singleLine?: boolean } = {}) {
  // Only the checks asked for: this runs on every IPC call.
  const checks: StringCheck[] = [];
  if (opts.min) checks.push(v.minLength(opts.min));
  checks.push(v.maxLength(max));
  if (opts.singleLine) checks.push(v.regex(SINGLE_LINE));
  if (opts.pattern) checks.push(v.regex(opts.pattern));
  return v.pipe(v.string(), ...(checks as [StringCheck]));
}

/** A whole number in [min, max]. */
export const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/** A list of at most `max` items. */
export const list = <T extends v.GenericSchema>(item: T, max: number) => v.pipe(v.array(item), v.maxLength(max));

/** Only objects made of `{...}`: a class instance, an array or a Date has no business here. */
function isPlainObject(x: unknown): boolean {
  const proto = Object.getPrototypeOf(x);
  return !Array.isArray(x) && (proto === Object.prototype || proto === null);
}

type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** Optional properties sent as `undefined` are dropped, so handlers see only what was set. */
function dropUndefined<T extends object>(o: T): Defined<T> {
  for (const k of Object.keys(o)) if ((o as Record<string, unknown>)[k] === undefined) delete (o as Record<string, unknown>)[k];
  return o as Defined<T>;
}

/**
 * Makes an object schema (strict object or variant) plain-only, with undefined properties
 * dropped. The plain check comes first: valibot's object schemas accept arrays and Dates.
 */
export function plain<T extends v.GenericSchema<unknown, object>>(schema: T) {
  type Out = v.InferOutput<T>;
  const plainObject = v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && isPlainObject(x), 'expected a plain object');
  // The cast only says the object schema may take the plain check's output as its input.
  return v.pipe(plainObject, schema as unknown as v.GenericSchema<Record<string, unknown>, Out>, v.transform<Out, Defined<Out>>(dropUndefined));
}

/** A plain object with exactly these keys (undefined ones dropped); anything else is refused. */
export const obj = <E extends v.ObjectEntries>(entries: E) => plain(v.strictObject(entries));

// ---- the vocabulary of the contract --------------------------------------------------------

/** A directory name, never a path. */
export const profileId = str(63, { min: 1, pattern: PROFILE_ID_PATTERN });
/** File tokens are 32 random bytes, base64url (see file-tokens.ts). */
export const FILE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const fileToken = str(43, { pattern: FILE_TOKEN_PATTERN });
export const passphrase = str(1024);
export const url = str(2048, { min: 1, singleLine: true });
export const host = str(253, { min: 1, pattern: /^[A-Za-z0-9.\-:[\]]+$/ });
export const displayName = str(200, { min: 1, singleLine: true });
export const editors = list(v.picklist(EDITOR_IDS), EDITOR_IDS.length);
export const keyAlgorithm = v.picklist(KEY_ALGORITHMS);

/** What a picked file is for: picks the dialog's filter and how main reads it. */
export const FILE_PURPOSES = ['certificate', 'key', 'chain', 'pkcs12', 'ca-bundle', 'profile'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

/** mtls-tray:// links carry a whole profile; 64 KiB is far above any real one. */
const link = str(65536, { min: 1, pattern: /^mtls-tray:\/\//i, singleLine: true });
/** A profile to import: a picked file or a link, never both. */
export const importSource = v.union([obj({ file: fileToken }), obj({ link })]);

export const identity = plain(
  v.variant('kind', [
    v.strictObject({ kind: v.literal('self-signed') }),
    v.strictObject({ kind: v.literal('csr') }),
    v.strictObject({ kind: v.literal('local-ca') }),
    v.strictObject({
      kind: v.literal('import-pem'),
      certFile: fileToken,
      keyFile: fileToken,
      chainFile: v.optional(fileToken),
      passphrase: v.optional(passphrase),
    }),
    v.strictObject({ kind: v.literal('import-p12'), file: fileToken, passphrase }),
  ]),
);

/** A request header as the profile stores it (name and value; the value may hold {{cert.*}} tokens). */
export const header = obj({ name: str(256, { min: 1, singleLine: true }), value: str(8192, { singleLine: true }) });
/** SANs as typed (`email:…`, `DNS:…`, templates such as `email:{{user}}@corp`). */
export const sans = list(str(512, { min: 1, singleLine: true }), 100);

/**
 * An edit of a profile from the window (the service's EditRequest, with a CA bundle chosen in
 * a native dialog as a file token; null removes the bundle or the alt host).
 */
export const editRequest = obj({
  name: v.optional(displayName),
  caBundleFile: v.optional(v.nullable(fileToken)),
  altHost: v.optional(v.nullable(host)),
  setHeaders: v.optional(list(header, 50)),
  removeHeaders: v.optional(list(str(256, { min: 1, singleLine: true }), 50)),
  sans: v.optional(sans),
  days: v.optional(int(1, 3650)),
  keyAlgorithm: v.optional(keyAlgorithm),
  dryRun: v.optional(v.boolean()),
});

export const wizardRequest = obj({
  url,
  name: v.optional(displayName),
  identity,
  sans: v.optional(sans),
  keyAlgorithm: v.optional(keyAlgorithm),
  days: v.optional(int(1, 3650)),
  caBundleFile: v.optional(fileToken),
  altHost: v.optional(host),
  headers: v.optional(list(header, 50)),
  editors: v.optional(editors),
  noSettings: v.optional(v.boolean()),
  proxyConsent: v.optional(v.boolean()),
});
