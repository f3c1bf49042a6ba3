/**
 * Reads and writes profile.json against a versioned schema (valibot, json-schema.ts). Every
 * read validates: a file from a newer mtls-tray, or one that is broken, is refused with a
 * message naming the file and field, and is never silently reset (the user's identity
 * settings are in it). The pieces a shared profile has too (URL, headers, renewal, SAN
 * templates) are defined here once and reused by share-format.ts.
 */
import * as v from 'valibot';
import { UserError } from '../base/errors';
import { validateHeaders } from '../store/headers';
import { HOST_NAME_PATTERN, IDENTITY_SOURCES, KEY_ALGORITHMS, PROFILE_ID_PATTERN } from '../base/vocabulary';
import { DEFAULT_RENEWAL_POLICY, PROFILE_SCHEMA_VERSION, type HeaderSpecJson, type Profile } from './profile';
import { list, num, oneOf, readJson, text } from './json-schema';
import { parseJsonStrict, type JsonObject } from './strict-json';

const MAX_PROFILE_BYTES = 256 * 1024;
export const MAX_HEADERS = 32;
export const MAX_SANS = 64;
export const MAX_VALIDITY_DAYS = 3650;

/** SANs in openssl spelling; their content is checked again by the credential engine. */
export const SAN_PATTERN = /^(DNS|IP|email|URI):[^\s\u0000-\u001f\u007f]{1,253}$/;
/** A SAN template may hold `{user}` / `{hostname}`; nothing else is substituted. */
export const SAN_TEMPLATE_PATTERN = /^(DNS|IP|email|URI):(?:[^\s\u0000-\u001f\u007f{}]|\{user\}|\{hostname\}){1,253}$/;
/**
 * Display names: letters, digits, spaces and a little punctuation. No slashes and no `..`:
 * a name is shown in menus and file dialogs, and must never read as a path.
 */
export const NAME_PATTERN = /^(?!.*\.\.)[\p{L}\p{N} _.,()@+'-]{1,80}$/u;

/** The deployment's https:// origin and path, without a trailing slash; INVALID_URL about `field` otherwise. */
export function checkDeploymentUrl(url: string, where: string, field = 'url'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError('INVALID_URL', `${where}: "${field}" is not a URL: ${JSON.stringify(url.slice(0, 100))}`, 'Use the address you open Coder at, e.g. https://coder.example.com', field);
  }
  if (parsed.protocol !== 'https:') {
    throw new UserError('INVALID_URL', `${where}: "${field}" must start with https:// (mutual TLS needs TLS), not ${parsed.protocol}//`, 'Use the https:// address of your Coder deployment', field);
  }
  if (parsed.username || parsed.password) {
    throw new UserError('INVALID_URL', `${where}: "${field}" must not contain a user name or password`, undefined, field);
  }
  if (parsed.search || parsed.hash) {
    throw new UserError('INVALID_URL', `${where}: "${field}" must not contain a query or fragment`, undefined, field);
  }
  return parsed.origin + parsed.pathname.replace(/\/+$/, '');
}

// ---- pieces shared with .mtlsprofile files (share-format.ts) --------------------------------

export const urlField = text({ max: 2048 });
export const altHostField = v.optional(text({ pattern: HOST_NAME_PATTERN, help: 'is not a host name' }));
export const keyAlgorithmField = oneOf(KEY_ALGORITHMS);
export const identitySourceField = oneOf(IDENTITY_SOURCES);
export const validityDaysField = num(1, MAX_VALIDITY_DAYS, { integer: true });
export const sanTemplateField = list(text({ pattern: SAN_TEMPLATE_PATTERN, help: 'is not a SAN template like email:{user}@example.com' }), MAX_SANS);
export const renewalField = v.strictObject({ auto: v.boolean(), renewAt: num(0.1, 0.95), jitter: num(0, 0.2) });
/** Names and values are bounded here; what they may contain is the header rules' job (checkHeaders). */
export const headersField = list(v.strictObject({ name: text({ max: 128 }), value: text({ max: 4096 }) }), MAX_HEADERS);

/** The header rules of store/headers.ts, with the file named; HEADER_INVALID about `headers` otherwise. */
export function checkHeaders(headers: HeaderSpecJson[], where: string): HeaderSpecJson[] {
  try {
    validateHeaders(headers);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(err.code, `${where}: ${err.message}`, err.fix, 'headers');
    throw err;
  }
  return headers;
}

/** profile.json, version PROFILE_SCHEMA_VERSION; the key order is the order it is written in. */
const PROFILE = v.strictObject({
  schema: num(1, PROFILE_SCHEMA_VERSION, { integer: true }),
  id: text({ pattern: PROFILE_ID_PATTERN, help: 'is not a profile id (lowercase letters, digits and -)' }),
  name: text({ pattern: NAME_PATTERN, help: 'must be at most 80 letters, digits, spaces and . , ( ) @ + \' - (no slashes, no "..")' }),
  url: urlField,
  altHost: altHostField,
  source: identitySourceField,
  pending: v.boolean(),
  keyAlgorithm: keyAlgorithmField,
  sans: list(text({ pattern: SAN_PATTERN, help: 'is not a SAN like DNS:name, IP:addr, email:addr or URI:uri' }), MAX_SANS),
  sanTemplate: v.optional(sanTemplateField),
  commonName: text({ min: 1, max: 64, pattern: /^[^\u0000-\u001f\u007f]+$/, help: 'must be one line' }),
  validityDays: validityDaysField,
  renewal: v.optional(renewalField),
  headers: headersField,
  hasCaBundle: v.boolean(),
  createdAt: text({ max: 40, pattern: /^\d{4}-\d\d-\d\dT[\d:.]+Z$/, help: 'is not an ISO date' }),
});
const PROFILE_FIELDS = Object.keys(PROFILE.entries);

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
  const { altHost, sanTemplate, renewal, ...rest } = readJson(PROFILE, raw, where);
  const profile: Profile = {
    ...rest,
    schema: PROFILE_SCHEMA_VERSION,
    url: checkDeploymentUrl(rest.url, where),
    renewal: renewal ?? { ...DEFAULT_RENEWAL_POLICY },
    headers: checkHeaders(rest.headers, where),
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
