// Decoders for the extension values the report shows (RFC 5280 §4.2.1): subject alternative
// names, key usage and extended key usage. Input is an extension's extnValue content.
import { childrenOf, contentOf, DerError, expect, hex, latin1, oidOf, readNode, TAG } from './der-read';
import type { San, SanType } from './san';

export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_KEY_USAGE = '2.5.29.15';
export const OID_EXT_KEY_USAGE = '2.5.29.37';

// GeneralName choices we report, by their [n] IMPLICIT tag (all primitive).
const GENERAL_NAME_TYPES: Record<number, SanType> = { 0x81: 'email', 0x82: 'dns', 0x86: 'uri', 0x87: 'ip' };

/** One hextet per pair, lowercase without leading zeros; the longest run (2+) of zero hextets becomes "::". */
function ipv6Text(b: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && parts[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (bestLen < 2) return parts.join(':');
  return `${parts.slice(0, best).join(':')}::${parts.slice(best + bestLen).join(':')}`;
}

function prefixLength(mask: Uint8Array): number {
  let n = 0;
  for (const byte of mask) for (let v = byte; v; v &= v - 1) n++;
  return n;
}

/**
 * iPAddress octets as text: 4 bytes IPv4, 16 bytes IPv6; 8 and 32 bytes are address+mask
 * (name constraints) shown as CIDR; anything else as hex, so nothing is hidden.
 */
export function ipAddressText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) return ipv6Text(b);
  if (b.length === 8 || b.length === 32) {
    if (b.every((x) => x === 0)) return b.length === 8 ? '0.0.0.0/0' : '::/0';
    const half = b.length / 2;
    const addr = b.subarray(0, half);
    return `${half === 4 ? Array.from(addr).join('.') : ipv6Text(addr)}/${prefixLength(b.subarray(half))}`;
  }
  return hex(b);
}

/**
 * SubjectAltName ::= GeneralNames ::= SEQUENCE OF GeneralName. Names of the types we
 * understand, in certificate order; others (otherName, directoryName, registeredID...) are
 * skipped, since nothing we check or show depends on them.
 */
export function decodeSubjectAltNames(value: Uint8Array): San[] {
  const seq = expect(readNode(value, 0), TAG.SEQUENCE, 'subjectAltName');
  if (seq.end !== value.length) throw new DerError('subjectAltName has trailing bytes');
  const out: San[] = [];
  for (const gn of childrenOf(value, seq)) {
    const type = GENERAL_NAME_TYPES[gn.tag];
    if (!type) continue;
    const bytes = contentOf(value, gn);
    out.push({ type, value: type === 'ip' ? ipAddressText(bytes) : latin1(bytes) });
  }
  return out;
}

const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** KeyUsage ::= BIT STRING; bit n (counted from the first octet's high bit) is the nth name. */
export function decodeKeyUsage(value: Uint8Array): string[] {
  const node = expect(readNode(value, 0), TAG.BIT_STRING, 'keyUsage');
  const content = contentOf(value, node);
  if (content.length === 0) throw new DerError('keyUsage BIT STRING has no unused-bits octet');
  const unused = content[0]!;
  if (unused > 7) throw new DerError('keyUsage BIT STRING has more than 7 unused bits');
  const bits = content.subarray(1);
  const nbits = bits.length * 8 - unused;
  return KEY_USAGE_NAMES.filter((_, n) => n < nbits && (bits[n >> 3]! & (0x80 >> (n & 7))) !== 0);
}

/** ExtKeyUsageSyntax ::= SEQUENCE OF KeyPurposeId (OIDs), in certificate order. */
export function decodeExtKeyUsage(value: Uint8Array): string[] {
  const seq = expect(readNode(value, 0), TAG.SEQUENCE, 'extKeyUsage');
  return childrenOf(value, seq).map((n) => oidOf(value, n, 'key purpose'));
}
