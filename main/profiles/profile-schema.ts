/**
 * Reads and writes profile.json against a versioned schema. Every read validates: a file from
 * a newer mtls-tray, or one that is broken, is refused with a message naming the file and
 * field, and is never silently reset (the user's identity settings are in it).
 */
import { UserError } from '../base/errors';
import { validateHeaders } from '../store/headers';
import { HOST_NAME_PATTERN, IDENTITY_SOURCES, KEY_ALGORITHMS, PROFILE_ID_PATTERN } from '../base/vocabulary';
import {
  DEFAULT_RENEWAL_POLICY,
  PROFILE_SCHEMA_VERSION,
  type HeaderSpecJson,
  type Profile,
  type RenewalPolicy,
} from './profile';
import { asObject, parseJsonStrict, readArray, readBoolean, readNumber, readString, type JsonObject } from './strict-json';

const MAX_PROFILE_BYTES = 256 * 1024;
export const MAX_HEADERS = 32;
export const MAX_SANS = 64;
export const MAX_VALIDITY_DAYS = 3650;

const PROFILE_FIELDS = [
  'schema', 'id', 'name', 'url', 'altHost', 'source', 'pending', 'keyAlgorithm', 'sans', 'sanTemplate',
  'commonName', 'validityDays', 'renewal', 'headers', 'hasCaBundle', 'createdAt',
] as const;

/** SANs in openssl spelling; their content is checked again by the credential engine. */
export const SAN_PATTERN = /^(DNS|IP|email|URI):[^\s\u0000-\u001f\u007f]{1,253}$/;
/** A SAN template may hold `{user}` / `{hostname}`; nothing else is substituted. */
export const SAN_TEMPLATE_PATTERN = /^(DNS|IP|email|URI):(?:[^\s\u0000-\u001f\u007f{}]|\{user\}|\{hostname\}){1,253}$/;
/**
 * Display names: letters, digits, spaces and a little punctuation. No slashes and no `..`:
 * a name is shown in menus and file dialogs, and must never read as a path.
 */
export const NAME_PATTERN = /^(?!.*\.\.)[\p{L}\p{N} _.,()@+'-]{1,80}$/u;

export function checkDeploymentUrl(url: string, where: string, field = 'url'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError('INVALID_URL', `${where}: "${field}" is not a URL: ${JSON.stringify(url.slice(0, 100))}`, 'Use the address you open Coder at, e.g. https://coder.example.com');
  }
  if (parsed.protocol !== 'https:') {
    throw new UserError('INVALID_URL', `${where}: "${field}" must start with https:// (mutual TLS needs TLS), not ${parsed.protocol}//`, 'Use the https:// address of your Coder deployment');
  }
  if (parsed.username || parsed.password) {
    throw new UserError('INVALID_URL', `${where}: "${field}" must not contain a user name or password`);
  }
  if (parsed.search || parsed.hash) {
    throw new UserError('INVALID_URL', `${where}: "${field}" must not contain a query or fragment`);
  }
  return parsed.origin + parsed.pathname.replace(/\/+$/, '');
}

export function readRenewal(obj: JsonObject, where: string): RenewalPolicy {
  const raw = obj.renewal;
  if (raw === undefined) return { ...DEFAULT_RENEWAL_POLICY };
  const r = asObject(raw, where, 'renewal', ['auto', 'renewAt', 'jitter']);
  return {
    auto: readBoolean(r, 'auto', where, 'renewal.'),
    renewAt: readNumber(r, 'renewAt', where, { min: 0.1, max: 0.95 }, 'renewal.')!,
    jitter: readNumber(r, 'jitter', where, { min: 0, max: 0.2 }, 'renewal.')!,
  };
}

export function readHeaderList(list: unknown[] | undefined, where: string): HeaderSpecJson[] {
  const headers: HeaderSpecJson[] = [];
  (list ?? []).forEach((h, i) => {
    const o = asObject(h, where, `headers[${i}]`, ['name', 'value']);
    headers.push({
      name: readString(o, 'name', where, { max: 128 }, `headers[${i}].`),
      value: readString(o, 'value', where, { max: 4096 }, `headers[${i}].`),
    });
  });
  try {
    validateHeaders(headers);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(err.code, `${where}: ${err.message}`, err.fix);
    throw err;
  }
  return headers;
}

export function readStringList(obj: JsonObject, key: string, where: string, pattern: RegExp, help: string, optional = false): string[] | undefined {
  const list = readArray(obj, key, where, { max: MAX_SANS, optional });
  if (list === undefined) return undefined;
  return list.map((v, i) => {
    if (typeof v !== 'string') throw new UserError('INVALID_FIELD', `${where}: "${key}[${i}]" must be a string`);
    if (!pattern.test(v)) throw new UserError('INVALID_FIELD', `${where}: "${key}[${i}]" (${JSON.stringify(v.slice(0, 80))}) ${help}`);
    return v;
  });
}

export function parseProfile(text: string, where: string): Profile {
  const raw = parseJsonStrict(text, where, MAX_PROFILE_BYTES);
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const schema = (raw as JsonObject).schema;
    if (typeof schema === 'number' && schema > PROFILE_SCHEMA_VERSION) {
      throw new UserError(
        'PROFILE_TOO_NEW',
        `${where} was written by a newer mtls-tray (profile schema ${schema}; this version reads ${PROFILE_SCHEMA_VERSION})`,
        'Update mtls-tray; the file was left as it is',
      );
    }
  }
  const o = asObject(raw, where, '', PROFILE_FIELDS);
  readNumber(o, 'schema', where, { min: 1, max: PROFILE_SCHEMA_VERSION, integer: true });
  const altHost = readString(o, 'altHost', where, { optional: true, pattern: HOST_NAME_PATTERN, patternHelp: 'is not a host name' });
  const sanTemplate = readStringList(o, 'sanTemplate', where, SAN_TEMPLATE_PATTERN, 'is not a SAN template like email:{user}@example.com', true);
  const profile: Profile = {
    schema: PROFILE_SCHEMA_VERSION,
    id: readString(o, 'id', where, { pattern: PROFILE_ID_PATTERN, patternHelp: 'is not a profile id (lowercase letters, digits and -)' }),
    name: readString(o, 'name', where, { pattern: NAME_PATTERN, patternHelp: 'must be at most 80 letters, digits, spaces and . , ( ) @ + \' - (no slashes, no "..")' }),
    url: checkDeploymentUrl(readString(o, 'url', where, { max: 2048 }), where),
    source: readString(o, 'source', where, { oneOf: IDENTITY_SOURCES }) as Profile['source'],
    pending: readBoolean(o, 'pending', where),
    keyAlgorithm: readString(o, 'keyAlgorithm', where, { oneOf: KEY_ALGORITHMS }) as Profile['keyAlgorithm'],
    sans: readStringList(o, 'sans', where, SAN_PATTERN, 'is not a SAN like DNS:name, IP:addr, email:addr or URI:uri')!,
    commonName: readString(o, 'commonName', where, { min: 1, max: 64, pattern: /^[^\u0000-\u001f\u007f]+$/, patternHelp: 'must be one line' }),
    validityDays: readNumber(o, 'validityDays', where, { min: 1, max: MAX_VALIDITY_DAYS, integer: true })!,
    renewal: readRenewal(o, where),
    headers: readHeaderList(readArray(o, 'headers', where, { max: MAX_HEADERS }), where),
    hasCaBundle: readBoolean(o, 'hasCaBundle', where),
    createdAt: readString(o, 'createdAt', where, { max: 40, pattern: /^\d{4}-\d\d-\d\dT[\d:.]+Z$/, patternHelp: 'is not an ISO date' }),
  };
  if (altHost !== undefined) profile.altHost = altHost;
  if (sanTemplate !== undefined) profile.sanTemplate = sanTemplate;
  return profile;
}

/** Serialise with a stable key order so diffs of profile.json stay readable. */
export function serializeProfile(profile: Profile): string {
  const ordered: Record<string, unknown> = {};
  for (const key of PROFILE_FIELDS) {
    const v = (profile as unknown as Record<string, unknown>)[key];
    if (v !== undefined) ordered[key] = v;
  }
  const text = `${JSON.stringify(ordered, null, 2)}\n`;
  parseProfile(text, 'profile'); // never write what we would refuse to read
  return text;
}
