// Request headers of a profile, printed by the header command as `name=value` lines.
// They are data: validated when the profile is saved, rendered to the generation's
// `headers` file when a certificate is written, and never seen by a shell.
import { UserError } from '../base/errors';
import { HTTP_TOKEN_PATTERN, type HeaderPlaceholder } from '../base/vocabulary';
import { certFacts, isoSeconds, type CertFacts } from './cert-facts';

export interface HeaderSpec {
  name: string;
  /** Printable ASCII; may contain placeholders such as `{{cert.sha256}}`. */
  value: string;
}

/**
 * Placeholders filled in from the generation's certificate when it is written. A header
 * from `{{cert.sha256}}` changes with every renewal; `{{cert.spki.sha256}}` (the public key
 * pin) changes only when the key does, so a request that straddles a renewal still sends a
 * header that matches the certificate it presents.
 */
export const PLACEHOLDERS: Readonly<Record<HeaderPlaceholder, (f: CertFacts) => string>> = {
  'cert.sha256': (f) => f.sha256,
  'cert.spki.sha256': (f) => f.spkiSha256,
  'cert.serial': (f) => f.serial,
  'cert.notBefore': (f) => isoSeconds(f.notBefore),
  'cert.notAfter': (f) => isoSeconds(f.notAfter),
};

/** Printable ASCII and space. Control characters (CR, LF, NUL, TAB...) would split or
 *  corrupt the `name=value` lines; non-ASCII is refused because Node's HTTP client (the
 *  extension) and Go's (the Coder CLI) would encode it differently. */
const VALUE_RE = /^[\x20-\x7e]*$/;
const PLACEHOLDER_RE = /\{\{([^{}]*)\}\}/g;
/** Headers that describe the message framing or the connection: set by the HTTP client,
 *  and a second copy breaks requests in ways that are hard to diagnose. */
const FORBIDDEN = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'trailer', 'keep-alive', 'proxy-connection']);

export const MAX_HEADERS = 64;
export const MAX_VALUE_LENGTH = 8192;

const FIX = 'Header names are letters, digits and !#$%&\'*+.^_`|~-; values are one line of printable ASCII. Placeholders: ' +
  Object.keys(PLACEHOLDERS).map((k) => `{{${k}}}`).join(', ') + '.';

function bad(message: string): UserError {
  return new UserError('HEADER_INVALID', message, FIX, 'headers');
}

/** Refuses anything the header command could not print as a valid `name=value` line. */
export function validateHeaders(specs: readonly HeaderSpec[]): void {
  if (!Array.isArray(specs)) throw bad('The headers must be a list of {name, value}.');
  if (specs.length > MAX_HEADERS) throw bad(`Too many headers (${specs.length}); at most ${MAX_HEADERS}.`);
  const seen = new Map<string, string>();
  specs.forEach((spec, i) => {
    const name: unknown = spec?.name;
    const value: unknown = spec?.value;
    if (typeof name !== 'string' || name === '') throw bad(`Header #${i + 1} has no name.`);
    const shown = JSON.stringify(name.slice(0, 80));
    if (!HTTP_TOKEN_PATTERN.test(name)) throw bad(`Header name ${shown} is not valid: ${describeBadNameChar(name)}.`);
    const lower = name.toLowerCase();
    if (FORBIDDEN.has(lower)) throw bad(`Header ${shown} is set by the HTTP client itself and cannot be sent from the header command.`);
    const earlier = seen.get(lower);
    if (earlier !== undefined) throw bad(`Header ${shown} is given twice (also as ${JSON.stringify(earlier)}); the extension would keep only one.`);
    seen.set(lower, name);
    if (typeof value !== 'string') throw bad(`Header ${shown} has no value (use "" for an empty one).`);
    if (value.length > MAX_VALUE_LENGTH) throw bad(`The value of header ${shown} is ${value.length} characters long; at most ${MAX_VALUE_LENGTH}.`);
    if (!VALUE_RE.test(value)) throw bad(`The value of header ${shown} ${describeBadValueChar(value)}; values must be one line of printable ASCII.`);
    for (const m of value.matchAll(PLACEHOLDER_RE)) {
      if (!Object.hasOwn(PLACEHOLDERS, m[1]!)) throw bad(`The value of header ${shown} uses the unknown placeholder {{${m[1]}}}.`);
    }
    // A lone `{{` or `}}` is almost certainly a typo in a placeholder; refuse rather than send it.
    const rest = value.replace(PLACEHOLDER_RE, '');
    if (rest.includes('{{') || rest.includes('}}')) throw bad(`The value of header ${shown} has an unfinished placeholder ("{{" without "}}" or the reverse).`);
  });
}

function describeBadNameChar(name: string): string {
  const c = [...name].find((ch) => !HTTP_TOKEN_PATTERN.test(ch)) ?? '';
  if (c === '=') return 'it contains "=", which separates name from value';
  if (/\s/.test(c)) return 'it contains whitespace';
  return `it contains ${JSON.stringify(c)}`;
}

function describeBadValueChar(value: string): string {
  const c = [...value].find((ch) => !VALUE_RE.test(ch)) ?? '';
  if (c === '\n' || c === '\r') return 'contains a line break';
  if (c === '\0') return 'contains a NUL character';
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `contains the control character U+${code.toString(16).padStart(4, '0').toUpperCase()}` : `contains the non-ASCII character ${JSON.stringify(c)}`;
}

/** The `headers` file of a generation: one `name=value` line per header, placeholders filled. */
export function renderHeadersFile(specs: readonly HeaderSpec[], certPem: string): string {
  validateHeaders(specs);
  if (specs.length === 0) return '';
  const facts = specs.some((s) => s.value.includes('{{')) ? certFacts(certPem) : null;
  return specs
    .map((s) => `${s.name}=${facts ? s.value.replace(PLACEHOLDER_RE, (_, key: string) => PLACEHOLDERS[key as HeaderPlaceholder](facts)) : s.value}\n`)
    .join('');
}
