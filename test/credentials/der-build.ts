// Building DER by hand for tests: certificates with the corner cases openssl will not make,
// and deliberately broken encodings. Primitive values that have one right encoding (OIDs,
// INTEGERs, strings) come from asn1js; `tlv` writes any identifier and content as given, so a
// test can also make what no conforming encoder would (9 unused bits, EKU of integers).
import * as asn1js from 'asn1js';

const der = (block: { toBER(): ArrayBuffer }): Buffer => Buffer.from(block.toBER());

function lengthOctets(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV with a single-octet identifier (class, constructed bit and tag number as one byte). */
export const tlv = (tag: number, content: Uint8Array): Buffer => Buffer.concat([Buffer.from([tag]), lengthOctets(content.length), content]);
export const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
/** SET OF as DER wants it: the elements sorted by their encoding. */
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat([...items].sort(Buffer.compare)));
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
export const octets = (b: Uint8Array): Buffer => tlv(0x04, b);
export const oid = (dotted: string): Buffer => der(new asn1js.ObjectIdentifier({ value: dotted }));
export const int = (n: number): Buffer => der(new asn1js.Integer({ value: n }));
export const utf8String = (text: string): Buffer => der(new asn1js.Utf8String({ value: text }));
export const bmpString = (text: string): Buffer => der(new asn1js.BmpString({ value: text }));

/**
 * BER that DER forbids but other tools write: every OCTET STRING longer than `chunk` bytes
 * split into a constructed string of `chunk`-byte pieces, and every constructed element given
 * an indefinite length. Walks definite-length input (e.g. what openssl writes) and returns
 * the re-encoded bytes; the content of each string is unchanged, so MACs over it still hold.
 */
export function toConstructedBer(input: Uint8Array, chunk = 64): Buffer {
  const walk = (at: number, end: number): Buffer[] => {
    const out: Buffer[] = [];
    while (at < end) {
      const tag = input[at]!;
      let len = input[at + 1]!;
      let start = at + 2;
      if (len & 0x80) {
        const n = len & 0x7f;
        len = 0;
        for (let i = 0; i < n; i++) len = len * 256 + input[start + i]!;
        start += n;
      }
      const content = input.subarray(start, start + len);
      if (tag & 0x20) {
        out.push(Buffer.concat([Buffer.from([tag, 0x80]), ...walk(start, start + len), Buffer.from([0, 0])]));
      } else if (tag === 0x04 && len > chunk) {
        const pieces: Buffer[] = [];
        for (let i = 0; i < len; i += chunk) pieces.push(octets(content.subarray(i, i + chunk)));
        out.push(Buffer.concat([Buffer.from([0x24, 0x80]), ...pieces, Buffer.from([0, 0])]));
      } else {
        out.push(tlv(tag, content));
      }
      at = start + len;
    }
    return out;
  };
  return Buffer.concat(walk(0, input.length));
}
