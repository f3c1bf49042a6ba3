// Subject alternative names: the identity a TLS peer actually checks. Input syntax is
// openssl's (`DNS:x`, `IP:1.2.3.4`, `email:a@b`, `URI:spiffe://x`); a bare value is guessed
// the way mkcert guesses (IP, then email, then URI, else DNS name), and anything that is
// none of them is refused before it can reach a certificate.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { UserError } from '../base/errors';

export type SanType = 'dns' | 'ip' | 'email' | 'uri';
export interface San {
  type: SanType;
  value: string;
}

const PREFIXES: Record<string, SanType> = { dns: 'dns', ip: 'ip', email: 'email', uri: 'uri' };
const SPELLING: Record<SanType, string> = { dns: 'DNS', ip: 'IP', email: 'email', uri: 'URI' };
const SAN_FIX = 'Write it as DNS:host.example.com, IP:10.0.0.1, email:you@example.com or URI:spiffe://example.com/you.';

function invalid(text: string, why: string): UserError {
  return new UserError('SAN_INVALID', `Subject alternative name "${text}" is not valid: ${why}.`, SAN_FIX);
}

// A DNS label as certificates carry it: letters, digits, hyphen and underscore (seen in
// real internal names), not starting or ending with a hyphen, at most 63 characters.
const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** Returns the normalised (lower-case, punycode) DNS name, or undefined if it is not one. */
function normaliseDnsName(value: string): string | undefined {
  if (value.length === 0 || value.length > 253) return undefined;
  let name = value.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1); // a rooted name means the same host
  // Non-ASCII names go into certificates as punycode (RFC 5280 §7.2).
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(name)) {
    const ascii = domainToASCII(name);
    if (!ascii) return undefined;
    name = ascii;
  }
  const labels = name.split('.');
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? '';
    // A wildcard is only allowed as the whole left-most label of a name with 2+ labels.
    if (label === '*' && i === 0 && labels.length >= 2) continue;
    if (!LABEL.test(label)) return undefined;
  }
  return name;
}

function isEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (/[\s@<>(),;:"\\[\]]/.test(local)) return false;
  return normaliseDnsName(domain) !== undefined && !domain.startsWith('*');
}

function isUri(value: string): boolean {
  // URL() accepts far more than certificates should carry; require a scheme and no spaces.
  if (/\s/.test(value) || !/^[a-z][a-z0-9+.-]*:/i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function validated(type: SanType, value: string, text: string): San {
  switch (type) {
    case 'ip':
      if (!isIP(value)) throw invalid(text, `"${value}" is not an IPv4 or IPv6 address`);
      return { type, value };
    case 'email':
      if (!isEmail(value)) throw invalid(text, `"${value}" is not an e-mail address`);
      return { type, value };
    case 'uri':
      if (!isUri(value)) throw invalid(text, `"${value}" is not an absolute URI`);
      return { type, value };
    case 'dns': {
      const name = normaliseDnsName(value);
      if (!name) throw invalid(text, `"${value}" is not a host name`);
      return { type, value: name };
    }
  }
}

export function parseSan(text: string): San {
  if (typeof text !== 'string') throw invalid(String(text), 'it is not text');
  const trimmed = text.trim();
  if (trimmed === '') throw invalid(text, 'it is empty');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(trimmed)) throw invalid(JSON.stringify(text), 'it contains control characters');
  const m = /^([A-Za-z]+):(.*)$/s.exec(trimmed);
  const prefix = m?.[1]?.toLowerCase();
  // `URI` values contain colons themselves, so only a known prefix counts as one.
  if (m && prefix && prefix in PREFIXES && !trimmed.slice(m[1]!.length).startsWith('://')) {
    const value = (m[2] ?? '').trim();
    if (value === '') throw invalid(text, 'the value after the prefix is empty');
    return validated(PREFIXES[prefix]!, value, text);
  }
  if (isIP(trimmed)) return { type: 'ip', value: trimmed };
  if (trimmed.includes('@')) return validated('email', trimmed, text);
  if (trimmed.includes('://')) return validated('uri', trimmed, text);
  return validated('dns', trimmed, text);
}

/** openssl's spelling, so what we print can be pasted back into `--san` or `-addext`. */
export function formatSan(san: San): string {
  return `${SPELLING[san.type]}:${san.value}`;
}

/** Same type and value (DNS case-insensitively, IPs by address not spelling). */
export function sameSan(a: San, b: San): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'dns') return a.value.toLowerCase() === b.value.toLowerCase();
  if (a.type === 'ip') return ipBytesHex(a.value) === ipBytesHex(b.value);
  return a.value === b.value;
}

/** Canonical byte form of an IP address, so '::1' and '0:0:0:0:0:0:0:1' compare equal. */
export function ipBytesHex(ip: string): string {
  if (isIP(ip) === 4) return ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('');
  if (isIP(ip) !== 6) return ip;
  let text = ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const o = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((x) => x.padStart(4, '0')).join('').toLowerCase();
}
