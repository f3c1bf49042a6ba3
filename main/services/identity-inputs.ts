/**
 * Turning what a user typed into checked values: SANs, headers, names, defaults. Shared by
 * `init`, profile import and the wizard, so each refuses bad input with the same words.
 */
import { hostname as osHostname, userInfo } from 'node:os';
import { inField, UserError } from '../base/errors';
import { formatSan, parseSan } from '../credentials/reading';
import { validateHeaders, type HeaderSpec } from '../store/headers';
import { HOST_NAME_PATTERN } from '../base/vocabulary';
import { NAME_PATTERN } from '../profiles/profile-schema';
import { expandSanTemplate } from '../profiles/share-format';
import { profileIdFromName } from '../profiles/profile';

export const DEFAULT_DAYS = 30;

export interface LocalIdentityVars {
  user: string;
  hostname: string;
}

/** {user}: the login name ($USER, $LOGNAME or %USERNAME%, else the passwd entry); {hostname}: the host name. */
export function localVars(env: Readonly<Record<string, string | undefined>> = {}): LocalIdentityVars {
  let user = env.USER || env.LOGNAME || env.USERNAME || 'user';
  if (!(env.USER || env.LOGNAME || env.USERNAME)) {
    try {
      user = userInfo().username || user;
    } catch {
      /* no passwd entry (containers): keep the default */
    }
  }
  return { user, hostname: osHostname() || 'localhost' };
}

/** SANs in openssl spelling; bare values guessed like mkcert. */
export function normaliseSans(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of raw) {
    const f = inField('sans', () => formatSan(parseSan(s)));
    if (!out.includes(f)) out.push(f);
  }
  return out;
}

/**
 * With no SAN given we name the machine (`DNS:<short hostname>`): a self-signed client
 * certificate identifies a device, and a certificate without any SAN is one Go refuses.
 */
export function defaultSans(vars: LocalIdentityVars): string[] {
  const host = vars.hostname.split('.')[0]!.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'localhost';
  return [`DNS:${host}`];
}

export function defaultCommonName(vars: LocalIdentityVars): string {
  return `${vars.user}@${vars.hostname.split('.')[0]}`.slice(0, 64);
}

export function checkHeaders(headers: ReadonlyArray<{ name: string; value: string }> | undefined): HeaderSpec[] {
  const list = (headers ?? []).map((h) => ({ name: h.name, value: h.value }));
  validateHeaders(list);
  return list;
}

export function checkAltHost(altHost: string | undefined): string | undefined {
  if (altHost === undefined || altHost === '') return undefined;
  if (!HOST_NAME_PATTERN.test(altHost)) throw new UserError('INVALID_ALT_HOST', `"${altHost.slice(0, 80)}" is not a host name; --alt-host takes the name on the server's certificate, e.g. coder.internal.example.com`, undefined, 'altHost');
  return altHost;
}

export function checkName(name: string): string {
  if (!NAME_PATTERN.test(name)) throw new UserError('INVALID_NAME', `The profile name "${name.slice(0, 80)}" is not allowed: use at most 80 letters, digits, spaces and . , ( ) @ + ' - (no slashes, no "..")`, undefined, 'name');
  return name;
}

/** A display name from the deployment's host, and an id not yet taken. */
export function nameAndId(url: string, name: string | undefined, taken: ReadonlySet<string>): { name: string; id: string } {
  const display = checkName(name ?? new URL(url).hostname);
  return { name: display, id: profileIdFromName(display, taken) };
}

const PLACEHOLDER = /\{(user|hostname)\}/;

/**
 * SANs as typed, `{user}` and `{hostname}` allowed: the expanded SANs for this machine, and,
 * when a placeholder was used, the template (with each SAN's type spelt out) that export shares.
 */
export function sansFromInput(raw: readonly string[], vars: LocalIdentityVars): { sans: string[]; sanTemplate?: string[] } {
  const sans = normaliseSans(raw.map((s) => expandSanTemplate([s], vars)[0]!));
  if (!raw.some((s) => PLACEHOLDER.test(s))) return { sans };
  const sanTemplate = raw.map((s) => (/^(DNS|IP|email|URI):/i.test(s) ? s.replace(/^(dns|ip|email|uri):/i, (m) => ({ 'dns:': 'DNS:', 'ip:': 'IP:', 'email:': 'email:', 'uri:': 'URI:' })[m.toLowerCase()]!) : `${formatSan(parseSan(expandSanTemplate([s], vars)[0]!)).split(':')[0]}:${s}`));
  return { sans, sanTemplate };
}

/**
 * The SAN template a shared profile carries: the exporter's own login and short host name,
 * where they stand as a whole label or e-mail local part, become `{user}` and `{hostname}`.
 */
export function templateOfSans(sans: readonly string[], vars: LocalIdentityVars): string[] {
  const clean = (x: string) => x.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const word = (x: string) => new RegExp(`(?<=^(?:DNS|IP|email|URI):|[.@])${esc(x)}(?=$|[.@])`, 'gi');
  const host = clean(vars.hostname.split('.')[0] ?? '');
  const user = clean(vars.user);
  return sans.map((s) => {
    if (s.startsWith('IP:')) return s;
    let t = s;
    if (host) t = t.replace(word(host), '{hostname}');
    if (user && user !== host) t = t.replace(word(user), '{user}');
    return t;
  });
}
