// A small, strict DER reader for the few certificate structures the report needs (names,
// extensions, algorithm OIDs). Node's X509Certificate has already checked the outer
// structure, but it hands out extension contents only as display text, so those we walk
// ourselves. Everything is bounds-checked: a length that runs past its parent, an
// indefinite length or a truncated header throws DerError instead of reading garbage.

export class DerError extends Error {
  constructor(message: string) {
    super(`DER: ${message}`);
    this.name = 'DerError';
  }
}

/** Universal tags we look at. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One TLV. `tag` is the whole identifier octet (class, constructed bit and number). */
export interface DerNode {
  tag: number;
  /** Offset of the identifier octet. */
  header: number;
  /** Offset of the content. */
  start: number;
  /** Offset just past the content. */
  end: number;
}

/** Reads the TLV at `offset`, which must end at or before `limit`. */
export function readNode(buf: Uint8Array, offset: number, limit: number = buf.length): DerNode {
  if (offset + 2 > limit) throw new DerError('truncated header');
  const tag = buf[offset]!;
  // High tag numbers (0x1f) never occur in the structures we read.
  if ((tag & 0x1f) === 0x1f) throw new DerError('unsupported high tag number');
  const first = buf[offset + 1]!;
  let start = offset + 2;
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0) throw new DerError('indefinite length');
    if (n > 4) throw new DerError('length too large');
    if (start + n > limit) throw new DerError('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (start + len > limit) throw new DerError('content runs past its end');
  return { tag, header: offset, start, end: start + len };
}

/** The TLVs inside a constructed node; they must fill it exactly. */
export function childrenOf(buf: Uint8Array, node: DerNode): DerNode[] {
  if ((node.tag & 0x20) === 0) throw new DerError(`tag 0x${node.tag.toString(16)} is not constructed`);
  const out: DerNode[] = [];
  for (let at = node.start; at < node.end; ) {
    const child = readNode(buf, at, node.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** Throws unless `node` exists and has tag `tag`; returns it. */
export function expect(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node) throw new DerError(`${what} is missing`);
  if (node.tag !== tag) throw new DerError(`${what} has tag 0x${node.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  return node;
}

export function contentOf(buf: Uint8Array, node: DerNode): Uint8Array {
  return buf.subarray(node.start, node.end);
}

/** The whole TLV (identifier, length and content). */
export function encodingOf(buf: Uint8Array, node: DerNode): Uint8Array {
  return buf.subarray(node.header, node.end);
}

/** Dotted text of an OBJECT IDENTIFIER's content, e.g. "2.5.29.17". */
export function oidText(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('empty OBJECT IDENTIFIER');
  if (content[content.length - 1]! & 0x80) throw new DerError('OBJECT IDENTIFIER ends inside an arc');
  const arcs: string[] = [];
  let value = 0n;
  let first = true;
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (byte & 0x80) continue;
    if (first) {
      // The first arc packs two: 40 * X + Y, with X at most 2.
      const x = value < 40n ? 0n : value < 80n ? 1n : 2n;
      arcs.push(String(x), String(value - 40n * x));
      first = false;
    } else {
      arcs.push(String(value));
    }
    value = 0n;
  }
  return arcs.join('.');
}

export function oidOf(buf: Uint8Array, node: DerNode | undefined, what: string): string {
  return oidText(contentOf(buf, expect(node, TAG.OID, what)));
}

/** Bytes as lowercase hex. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** One character per octet (PrintableString, IA5String, TeletexString as Latin-1). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** UTF-8, or one character per octet when the bytes are not valid UTF-8 (nothing is lost). */
export function utf8OrLatin1(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('utf8');
  // Node decodes invalid sequences to U+FFFD; a round trip tells them from a real U+FFFD.
  return Buffer.from(text, 'utf8').equals(buf) ? text : buf.toString('latin1');
}

/** BMPString: UTF-16 big-endian code units. */
export function utf16be(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return s;
}

/**
 * UniversalString: UTF-32 big-endian. Characters beyond the BMP keep only their low 16 bits,
 * as @peculiar/x509 (asn1js) decodes them, so both readers print the same text.
 */
export function utf32be(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 3 < bytes.length; i += 4) s += String.fromCharCode((bytes[i + 2]! << 8) | bytes[i + 3]!);
  return s;
}
