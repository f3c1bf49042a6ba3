/**
 * The `.mtlsprofile` file and the `mtls-tray://import?...` link: how a profile travels to a
 * teammate. The file is untrusted input from a chat or an email, so reading it is strict:
 * a format name and version, a size limit, no unknown fields, every header re-validated, the
 * CA bundle parsed as certificates. Nothing in it can name a path or a command: the fields
 * that could (header command, file locations) do not exist in the format, and an unknown
 * field refuses the whole file. Private keys travel only inside an AES-256 PKCS#12 the user
 * chose to embed (`--with-identity`), and never in a link.
 */
import { X509Certificate } from 'node:crypto';
import * as v from 'valibot';
import { UserError } from '../base/errors';
import { MAX_BUNDLE_CERTS, scanPemBlocks } from '../base/pem-blocks';
import type { IdentitySource, KeyAlgorithm } from '../base/vocabulary';
import { num, oneOf, readJson, text } from './json-schema';
import type { HeaderSpecJson, RenewalPolicy } from './profile';
import {
  altHostField,
  checkDeploymentUrl,
  checkHeaders,
  headersField,
  identitySourceField,
  keyAlgorithmField,
  NAME_PATTERN,
  renewalField,
  sanTemplateField,
  urlField,
  validityDaysField,
} from './profile-schema';
import { JsonShapeError, parseJsonStrict, type JsonObject } from './strict-json';

export const SHARE_FORMAT = 'mtls-tray-profile';
export const SHARE_VERSION = 1;
export const MAX_SHARE_BYTES = 1024 * 1024;
export const MAX_LINK_CHARS = 16 * 1024;
export const LINK_PREFIX = 'mtls-tray://import?';

export interface SharedProfile {
  format: typeof SHARE_FORMAT;
  version: number;
  name: string;
  url: string;
  altHost?: string;
  /** How the teammate gets an identity; see `identityForTeammate`. */
  identity: IdentitySource;
  keyAlgorithm: KeyAlgorithm;
  validityDays: number;
  sanTemplate: string[];
  headers: HeaderSpecJson[];
  renewal?: RenewalPolicy;
  /** PEM certificates that verify the deployment's server. */
  caBundle?: string;
  /** Present only when exported `--with-identity`: PKCS#12, AES-256, passphrase-protected. */
  identityBundle?: { type: 'pkcs12'; data: string };
}

/** The file, version SHARE_VERSION; the key order is the order it is written in. */
const SHARED = v.strictObject({
  format: v.literal(SHARE_FORMAT),
  version: num(1, SHARE_VERSION, { integer: true }),
  name: text({ pattern: NAME_PATTERN, help: 'must be one line of at most 80 characters' }),
  url: urlField,
  altHost: altHostField,
  identity: identitySourceField,
  keyAlgorithm: keyAlgorithmField,
  validityDays: validityDaysField,
  sanTemplate: sanTemplateField,
  headers: headersField,
  renewal: v.optional(renewalField),
  caBundle: v.optional(text({ max: 512 * 1024 })),
  identityBundle: v.optional(
    v.strictObject({
      type: oneOf(['pkcs12'] as const),
      data: text({ min: 1, max: 256 * 1024, pattern: /^[A-Za-z0-9+/]+={0,2}$/, help: 'is not base64' }),
    }),
  ),
});
const FIELDS = Object.keys(SHARED.entries) as Array<keyof SharedProfile>;

export function serializeSharedProfile(p: SharedProfile): string {
  const ordered: Record<string, unknown> = {};
  for (const k of FIELDS) if (p[k] !== undefined) ordered[k] = p[k];
  const text = `${JSON.stringify(ordered, null, 2)}\n`;
  parseSharedProfile(text, 'export'); // what we write must pass our own import
  return text;
}

export function parseSharedProfile(text: string, where: string): SharedProfile {
  const raw = parseJsonStrict(text, where, MAX_SHARE_BYTES);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new JsonShapeError(where, '', 'must be an object');
  // Format and version first: a file from elsewhere or from a newer mtls-tray is told so, not picked apart.
  const { format, version } = raw as JsonObject;
  if (format !== SHARE_FORMAT) {
    throw new UserError('NOT_A_PROFILE', `${where} is not an mtls-tray profile (its "format" is ${JSON.stringify(format ?? null)}, expected "${SHARE_FORMAT}")`);
  }
  if (typeof version === 'number' && Number.isInteger(version) && version > SHARE_VERSION) {
    throw new UserError('PROFILE_TOO_NEW', `${where} uses profile format version ${version}; this mtls-tray reads version ${SHARE_VERSION}`, 'Update mtls-tray, or ask for an export from the same version');
  }
  refuseCommands(raw as JsonObject, where);
  const { altHost, renewal, caBundle, identityBundle, ...rest } = readJson(SHARED, raw, where);
  const shared: SharedProfile = { ...rest, url: checkDeploymentUrl(rest.url, where), headers: checkHeaders(rest.headers, where) };
  shared.headers.forEach((h, i) => checkSharedHeaderValue(h.value, where, i));
  if (altHost !== undefined) shared.altHost = altHost;
  if (renewal !== undefined) shared.renewal = renewal;
  if (caBundle !== undefined) shared.caBundle = checkCaBundle(caBundle, `${where}: "caBundle"`);
  if (identityBundle !== undefined) shared.identityBundle = identityBundle;
  return shared;
}

/**
 * An issuer command (or anything like one) is local trust: it is set on this machine and never
 * travels. A file or link that carries one, under any spelling, is refused as a whole, with
 * its own message rather than the generic "unknown field".
 */
const COMMAND_LIKE = /issuer|command|cmd|exec|script|helper|hook|shell/i;
function refuseCommands(raw: JsonObject, where: string): void {
  const found = Object.keys(raw).find((k) => COMMAND_LIKE.test(k));
  if (found) {
    throw new UserError('ISSUER_COMMAND_REFUSED', `${where}: "${found}" is not a field of a shared profile: a command to run is never accepted from a shared profile or a link; refusing it`, 'Import a profile without it; if you trust the command, set it yourself on this machine with `mtls-tray edit --issuer-command CMD`', found);
  }
}

/**
 * Header values from a teammate are data and no shell ever sees them, but a value that looks
 * like shell code (`$(...)`, backticks, `;`, pipes, quotes) has no business in an HTTP header
 * a profile sets: refuse it, so a reviewer never has to reason about quoting.
 */
const SAFE_SHARED_HEADER_VALUE = /^(?:[A-Za-z0-9 !#%*+,\-./:=?@[\]^_~]|\{\{cert\.[A-Za-z0-9.]+\}\})*$/;
function checkSharedHeaderValue(value: string, where: string, i: number): void {
  if (!SAFE_SHARED_HEADER_VALUE.test(value)) {
    const bad = [...value].find((c) => !SAFE_SHARED_HEADER_VALUE.test(c)) ?? '';
    throw new UserError('UNSAFE_HEADER_VALUE', `${where}: "headers[${i}].value" contains ${JSON.stringify(bad)}; header values in a shared profile may hold letters, digits, spaces and ! # % * + , - . / : = ? @ [ ] ^ _ ~ only`, 'Ask whoever sent the profile to remove the header, or add it yourself after importing', 'headers');
  }
}

/**
 * A CA bundle holds certificates and nothing else: a private key or any other PEM block
 * refuses the file, so a bundle can never smuggle a key onto a teammate's disk.
 */
export function checkCaBundle(pem: string, where: string): string {
  const { blocks, labels, leftover } = scanPemBlocks(pem);
  if (blocks.length === 0) throw new UserError('CA_BUNDLE_EMPTY', `${where} holds no PEM certificate`, 'Pass the PEM file of the CA(s) that signed the deployment\'s server certificate', 'caBundle');
  if (leftover) throw new UserError('CA_BUNDLE_INVALID', `${where} has text outside its PEM blocks`, 'Keep only the "-----BEGIN CERTIFICATE-----" … "-----END CERTIFICATE-----" blocks in the file', 'caBundle');
  if (blocks.length > MAX_BUNDLE_CERTS) {
    throw new UserError('CA_BUNDLE_TOO_LARGE', `${where} has ${blocks.length} PEM blocks; a CA bundle holds at most ${MAX_BUNDLE_CERTS} certificates`, 'Keep only the CA(s) that signed the deployment\'s server certificate (usually one or two)', 'caBundle');
  }
  const parsed = new Set<string>();
  for (const [i, block] of blocks.entries()) {
    if (labels[i] !== 'CERTIFICATE') {
      throw new UserError('CA_BUNDLE_INVALID', `${where}: block ${i + 1} is a ${labels[i]}, only certificates are allowed`, 'Remove every block that is not a CERTIFICATE', 'caBundle');
    }
    if (parsed.has(block)) continue;
    parsed.add(block);
    try {
      new X509Certificate(block);
    } catch {
      throw new UserError('CA_BUNDLE_INVALID', `${where}: certificate ${i + 1} cannot be parsed`, 'Replace the bundle with the CA certificate(s) exported again as PEM', 'caBundle');
    }
  }
  return `${blocks.join('\n')}\n`;
}

/** `mtls-tray://import?profile=<base64url JSON>`: the same profile, never with an identity. */
export function profileToLink(p: SharedProfile): string {
  if (p.identityBundle) throw new UserError('LINK_WITH_IDENTITY', 'A link cannot carry a private key; export a file with --with-identity instead');
  const json = JSON.stringify(JSON.parse(serializeSharedProfile(p)));
  const link = `${LINK_PREFIX}profile=${Buffer.from(json, 'utf8').toString('base64url')}`;
  if (link.length > MAX_LINK_CHARS) throw new UserError('LINK_TOO_LONG', `The profile is too large for a link (${link.length} characters); share the .mtlsprofile file instead`);
  return link;
}

export function parseProfileLink(link: string): SharedProfile {
  const where = 'import link';
  if (link.length > MAX_LINK_CHARS) throw new UserError('LINK_TOO_LONG', `The ${where} is longer than ${MAX_LINK_CHARS} characters`);
  if (!link.startsWith(LINK_PREFIX)) throw new UserError('NOT_A_PROFILE_LINK', `Not an mtls-tray import link (it must start with ${LINK_PREFIX})`);
  const params = new URLSearchParams(link.slice(LINK_PREFIX.length));
  const keys = [...params.keys()];
  if (keys.length !== 1 || keys[0] !== 'profile') throw new UserError('NOT_A_PROFILE_LINK', `The ${where} must carry exactly one parameter, "profile"`);
  const encoded = params.get('profile') ?? '';
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw new UserError('NOT_A_PROFILE_LINK', `The ${where}'s "profile" parameter is not base64url`);
  // A link cut short or changed in transit decodes to bytes, not text: say so, never echo them.
  const damaged = () => new UserError('NOT_A_PROFILE_LINK', `The ${where} is damaged (cut short or changed on the way): its profile data cannot be read`, 'Copy the whole link again from the sender, or ask for the .mtlsprofile file (`mtls-tray export --out FILE`).');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64url'));
  } catch {
    throw damaged();
  }
  if (!text.trimStart().startsWith('{') || /[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) throw damaged();
  let shared: SharedProfile;
  try {
    shared = parseSharedProfile(text, where);
  } catch (err) {
    if (err instanceof UserError && err.code === 'INVALID_JSON') throw damaged();
    throw err;
  }
  if (shared.identityBundle) throw new UserError('LINK_WITH_IDENTITY', 'An import link must not carry a private key; refusing it');
  return shared;
}

/**
 * Fill a SAN template for this user. Only `{user}` and `{hostname}` exist; the values are
 * reduced to characters that are safe in DNS names and e-mail local parts.
 */
export function expandSanTemplate(template: readonly string[], vars: { user: string; hostname: string }): string[] {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'user';
  return template.map((t) => t.replace(/\{user\}/g, clean(vars.user)).replace(/\{hostname\}/g, clean(vars.hostname.split('.')[0] ?? '')));
}

/**
 * How the importing teammate obtains an identity. A local CA's key never leaves its owner,
 * so a `local-ca` profile becomes a CSR the owner signs with `ca sign`; an `imported` one
 * without an embedded identity came from a CA too, and a CSR is how a teammate asks it.
 */
export function identityForTeammate(shared: SharedProfile): { source: IdentitySource; pending: boolean } {
  if (shared.identityBundle) return { source: 'imported', pending: false };
  switch (shared.identity) {
    case 'self-signed':
      return { source: 'self-signed', pending: false };
    case 'csr':
    case 'local-ca':
    case 'imported':
      return { source: 'csr', pending: true };
  }
}

/** The review a person reads before anything is applied (CLI prompt and the import screen). */
export function describeSharedProfile(shared: SharedProfile, vars: { user: string; hostname: string }): string[] {
  const who = identityForTeammate(shared);
  const lines = [
    `Profile name:      ${shared.name}`,
    `Deployment:        ${shared.url}`,
    `TLS alt host:      ${shared.altHost ?? '(none)'}`,
    `Identity:          ${shared.identityBundle ? 'a certificate and private key embedded in the file (passphrase needed)' : describeSource(who.source)}`,
    `Key and validity:  ${shared.keyAlgorithm}, ${shared.validityDays} days`,
    `SANs:              ${expandSanTemplate(shared.sanTemplate, vars).join(', ') || '(none)'}`,
    `Headers:           ${shared.headers.length ? shared.headers.map((h) => `${h.name}=${h.value}`).join('; ') : '(none)'}`,
    `Server CA bundle:  ${shared.caBundle ? `${(shared.caBundle.match(/BEGIN CERTIFICATE/g) ?? []).length} certificate(s): ${caSubjects(shared.caBundle).join('; ')}` : '(none: the system trust store is used)'}`,
    'Editor settings:   coder.tlsCertFile, coder.tlsKeyFile, coder.headerCommand, coder.tlsCertRefreshCommand' + (shared.caBundle ? ', coder.tlsCaFile' : '') + (shared.altHost ? ', coder.tlsAltHost' : '') + ' (paths chosen by mtls-tray, not by the file)',
  ];
  return lines;
}

function describeSource(source: IdentitySource): string {
  switch (source) {
    case 'self-signed':
      return 'a new self-signed certificate made on this machine';
    case 'csr':
      return 'a new key and a certificate request (CSR) for your CA to sign';
    case 'local-ca':
      return 'a local CA on this machine';
    case 'imported':
      return 'your own certificate, imported later';
  }
}

function caSubjects(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b).subject.replace(/\n/g, ', '));
}
