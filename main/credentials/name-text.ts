// Distinguished names as one line of text, e.g. "CN=dev, O=Example". The spelling is the one
// @peculiar/x509's Name.toString() gives (and the report has always shown): RDNs in
// certificate order joined by ", ", multi-valued RDNs joined by "+", short names for the
// common attribute types and the dotted OID for the rest, RFC 4514-style escaping, and
// "#<hex of the DER>" for values that are not strings.
import { hex } from './der-read';
import type { AttributeValue, DistinguishedName } from './x509-fields';

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.4': 'SN',
  '2.5.4.12': 'T',
};

const OID_BY_SHORT_NAME: Record<string, string> = Object.fromEntries(Object.entries(SHORT_NAMES).map(([oid, name]) => [name, oid]));

/**
 * RFC 4514 escaping as @peculiar applies it: special characters everywhere, a leading space
 * or '#', a trailing space, and the first CR/LF/TAB as \XX (only the first, as it does).
 */
function escapeValue(text: string): string {
  return text
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/([ ]$)/, '\\$1')
    .replace(/([\r\n\t])/, (c) => `\\${Buffer.from(c, 'utf8').toString('hex').toUpperCase()}`);
}

function valueText(v: AttributeValue): string {
  return v.der ? `#${hex(v.der)}` : escapeValue(v.text);
}

export function nameToString(name: DistinguishedName): string {
  return name.map((rdn) => rdn.map((a) => `${SHORT_NAMES[a.type] ?? a.type}=${valueText(a.value)}`).join('+')).join(', ');
}

/** Values of one attribute (by short name such as "CN", or OID), unescaped, in certificate order. */
export function nameField(name: DistinguishedName, typeOrShortName: string): string[] {
  const oid = OID_BY_SHORT_NAME[typeOrShortName] ?? typeOrShortName;
  const out: string[] = [];
  for (const rdn of name) for (const a of rdn) if (a.type === oid) out.push(a.value.der ? hex(a.value.der) : a.value.text);
  return out;
}
