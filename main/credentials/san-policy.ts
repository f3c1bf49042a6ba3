// Which SANs a local CA may put into a teammate's certificate. A CSR can ask for any name;
// the CA operator decides which ones are copied, with patterns in the --san syntax.
import { BlockList, isIP } from 'node:net';
import { UserError } from '../base/errors';
import { parseSan, sameSan, type San, type SanType } from './san';

export type SanPredicate = (san: San) => boolean;

function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Builds a predicate from patterns such as `DNS:*.dev.example.com`, `email:*@example.com`,
 * `IP:10.0.0.0/8`, `URI:spiffe://corp/*`. `*` matches any run of characters; an IP pattern
 * may be a CIDR range. A value without a prefix is guessed like a --san value.
 */
export function sanAllowList(patterns: readonly string[]): SanPredicate {
  const rules: Array<{ type: SanType; test: (v: string) => boolean }> = patterns.map((raw) => {
    const m = /^(DNS|IP|email|URI):(.+)$/i.exec(raw.trim());
    if (m && m[1]!.toLowerCase() === 'ip' && m[2]!.includes('/')) {
      const [net, bitsText] = m[2]!.split('/');
      const bits = Number(bitsText);
      const family = isIP(net ?? '');
      if (!family || !Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) {
        throw new UserError('SAN_PATTERN_INVALID', `Allowed-name pattern "${raw}" is not a valid IP range.`, 'Write a range as IP:10.0.0.0/8 or IP:fd00::/8.');
      }
      const list = new BlockList();
      list.addSubnet(net!, bits, family === 4 ? 'ipv4' : 'ipv6');
      return { type: 'ip' as const, test: (v: string) => isIP(v) === family && list.check(v, family === 4 ? 'ipv4' : 'ipv6') };
    }
    if (m && m[2]!.includes('*')) {
      const re = globToRegExp(m[2]!);
      return { type: m[1]!.toLowerCase() as SanType, test: (v: string) => re.test(v) };
    }
    const san = parseSan(raw); // exact name; throws SAN_INVALID on junk
    return { type: san.type, test: (v: string) => sameSan(san, { type: san.type, value: v }) };
  });
  return (san) => rules.some((r) => r.type === san.type && safe(() => r.test(san.value)));
}

function safe(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

/** Splits requested SANs into those the policy allows and those it refuses. */
export function filterSans(sans: San[], allow: SanPredicate | readonly string[]): { copied: San[]; refused: San[] } {
  const pred = typeof allow === 'function' ? allow : sanAllowList(allow);
  const copied: San[] = [];
  const refused: San[] = [];
  for (const s of sans) (pred(s) ? copied : refused).push(s);
  return { copied, refused };
}
