// Reading PEM text the user hands us. Node's own parsers either accept garbage silently
// (Buffer base64 decoding skips bad characters) or fail with OpenSSL error strings nobody
// understands, so every input passes through here first and fails with a UserError that
// says which file is wrong and how.
import { X509Certificate } from 'node:crypto';
import { UserError } from '../base/errors';

/** Largest credential file we read. A full public CA bundle is ~250 KB; 2 MiB is generous. */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024;

export interface PemBlock {
  /** The word(s) after BEGIN, e.g. `CERTIFICATE`, `EC PRIVATE KEY`. */
  label: string;
  /** RFC 1421 headers, present on legacy encrypted keys (`Proc-Type`, `DEK-Info`). */
  headers: Record<string, string>;
  der: Buffer;
  /** The block re-emitted in canonical form (64-column base64, LF line ends). */
  pem: string;
}

export type PemInput = string | Uint8Array;

const BEGIN = /-----BEGIN ([A-Z0-9 #-]+)-----/g;

function sizeOf(input: PemInput): number {
  return typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
}

/** Rejects inputs that are too large or empty before anything tries to parse them. */
export function checkInputSize(input: PemInput, what: string): void {
  const size = sizeOf(input);
  if (size > MAX_INPUT_BYTES) {
    throw new UserError(
      'INPUT_TOO_LARGE',
      `${capital(what)} is ${(size / 1024 / 1024).toFixed(1)} MB; credential files are a few kilobytes (at most ${MAX_INPUT_BYTES / 1024 / 1024} MB is accepted).`,
      'Check that you picked the right file.',
    );
  }
  if (size === 0 || (typeof input === 'string' ? input.trim() === '' : Buffer.from(input).toString('latin1').trim() === '')) {
    throw new UserError('INPUT_EMPTY', `${capital(what)} is empty.`, 'Check that you picked the right file and that it was saved completely.');
  }
}

/** "the key file" -> "The key file" at the start of a sentence; a file name stays as it is. */
export function capital(s: string): string {
  return /^[a-z]+ /.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** DER starts with a SEQUENCE tag (0x30) followed by a length; PEM is printable text. */
function looksLikeDer(input: PemInput): boolean {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : Buffer.from(input);
  if (bytes[0] !== 0x30) return false;
  const second = bytes[1] ?? 0;
  return second >= 0x80 || second < 0x20;
}

function toText(input: PemInput, what: string): string {
  if (typeof input === 'string') return input;
  const bytes = Buffer.from(input);
  // Windows PowerShell 5 writes redirected output as UTF-16LE with a BOM; accept it.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  // A PEM file is ASCII; U+FFFD means bytes that are not even UTF-8.
  if (text.includes('\uFFFD') && !text.includes('-----BEGIN')) throw notPem(input, what);
  return text;
}

function notPem(input: PemInput, what: string): UserError {
  if (looksLikeDer(input)) {
    return new UserError(
      'DER_NOT_PEM',
      `${capital(what)} is binary DER, but PEM text was expected.`,
      'Convert it first, e.g. `openssl x509 -inform der -in cert.der -out cert.pem` (or `openssl pkey -inform der ...` for a key).',
    );
  }
  return new UserError('NOT_PEM', `${capital(what)} is not PEM: it has no "-----BEGIN ...-----" line.`, 'Pass the PEM file (text starting with -----BEGIN).');
}

const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

/** Every PEM block in the input, in order. Text between blocks (openssl's "subject=" lines) is ignored. */
export function pemBlocks(input: PemInput, what: string): PemBlock[] {
  checkInputSize(input, what);
  const text = toText(input, what).replace(/\r\n?/g, '\n');
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = BEGIN.exec(text)) !== null) {
    const label = m[1] ?? '';
    const endMarker = `-----END ${label}-----`;
    const bodyStart = m.index + m[0].length;
    const end = text.indexOf(endMarker, bodyStart);
    const nextBegin = text.indexOf('-----BEGIN ', bodyStart);
    if (end < 0 || (nextBegin >= 0 && nextBegin < end)) {
      const otherEnd = /-----END ([A-Z0-9 #-]+)-----/.exec(text.slice(bodyStart));
      if (otherEnd && (nextBegin < 0 || bodyStart + otherEnd.index < nextBegin)) {
        throw new UserError('PEM_MALFORMED', `${capital(what)} has a "BEGIN ${label}" block that ends with "END ${otherEnd[1]}".`, 'The file was edited or pasted together wrongly; export it again.');
      }
      throw new UserError('PEM_TRUNCATED', `${capital(what)} is cut off: the "${label}" block has no "-----END ${label}-----" line.`, 'The file was not copied completely; copy or download it again.');
    }
    const lines = text.slice(bodyStart, end).split('\n').map((l) => l.trim());
    const headers: Record<string, string> = {};
    let i = 0;
    while (i < lines.length && lines[i] === '') i++;
    // RFC 1421 headers (Proc-Type, DEK-Info) come first and end at a blank line.
    while (i < lines.length && /^[A-Za-z-]+:/.test(lines[i] ?? '')) {
      const line = lines[i] ?? '';
      const colon = line.indexOf(':');
      headers[line.slice(0, colon)] = line.slice(colon + 1).trim();
      i++;
    }
    const body = lines.slice(i).join('');
    if (!BASE64_BODY.test(body) || body.length % 4 !== 0 || body.length === 0) {
      const why = body.length === 0 ? 'is empty' : body.length % 4 !== 0 && BASE64_BODY.test(body) ? 'is cut short' : 'contains characters that are not base64';
      throw new UserError('PEM_BAD_BASE64', `${capital(what)} is damaged: the body of its "${label}" block ${why}.`, 'The file was altered or not copied completely; copy or download it again.');
    }
    const der = Buffer.from(body, 'base64');
    blocks.push({ label, headers, der, pem: toPem(label, der, headers) });
    BEGIN.lastIndex = end + endMarker.length;
  }
  if (blocks.length === 0) {
    if (/-----END [A-Z0-9 #-]+-----/.test(text)) {
      throw new UserError('PEM_TRUNCATED', `${capital(what)} is cut off: it has an END line but no BEGIN line.`, 'The start of the file is missing; copy or download it again.');
    }
    throw notPem(input, what);
  }
  return blocks;
}

export function toPem(label: string, der: Uint8Array, headers: Record<string, string> = {}): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [`-----BEGIN ${label}-----`];
  const hdr = Object.entries(headers);
  if (hdr.length) {
    for (const [k, v] of hdr) lines.push(`${k}: ${v}`);
    lines.push('');
  }
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  lines.push(`-----END ${label}-----`, '');
  return lines.join('\n');
}

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

function parseCertificateDer(der: Buffer, what: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    throw new UserError('CERT_UNREADABLE', `${capital(what)} has a CERTIFICATE block that is not a valid X.509 certificate.`, 'The file is damaged or is not a certificate; get it again from its issuer.');
  }
}

function certBlocks(input: PemInput, what: string): PemBlock[] {
  const blocks = pemBlocks(input, what);
  const certs = blocks.filter((b) => CERT_LABELS.has(b.label));
  if (certs.length === 0) {
    const labels = [...new Set(blocks.map((b) => b.label))].join(', ');
    throw new UserError(
      'NOT_A_CERTIFICATE',
      `${capital(what)} contains no certificate (it holds: ${labels}).`,
      /KEY/.test(labels) ? 'This looks like a key; pass the certificate file instead (and the key as the key).' : 'Pass a PEM certificate (-----BEGIN CERTIFICATE-----).',
    );
  }
  return certs;
}

/** The first certificate in the input (a leaf followed by its chain is fine). */
export function certificateFromPem(input: PemInput, what = 'the certificate'): X509Certificate {
  const first = certBlocks(input, what)[0]!;
  return parseCertificateDer(first.der, what);
}

/** All certificates in the input, in file order. */
export function certificatesFromPem(input: PemInput, what = 'the certificate file'): X509Certificate[] {
  return certBlocks(input, what).map((b, i) => parseCertificateDer(b.der, i === 0 ? what : `${what} (certificate #${i + 1})`));
}

/** Canonical PEM of a certificate. */
export function certificateToPem(cert: X509Certificate): string {
  return toPem('CERTIFICATE', cert.raw);
}
