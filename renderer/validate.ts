/**
 * Checks run as the user types, so an error shows next to its field before anything is sent.
 * They mirror the main process's rules loosely (main validates everything again and its error,
 * mapped back to the field by `fieldForError`, is the final word). Each returns a sentence
 * for the user, or null when the value is fine. Pure: unit-tested on Node.
 */
import { HOST_NAME_PATTERN } from '../main/base/vocabulary';

/** Adds `https://` to a bare host, the way people paste addresses. */
export function normaliseUrl(text: string): string {
  const t = text.trim();
  if (t === '') return t;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`;
}

export function checkUrl(text: string): string | null {
  const t = normaliseUrl(text);
  if (t === '') return 'Enter the address you open Coder at, for example https://coder.example.com';
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return `"${text.trim()}" is not a web address. Use the address you open Coder at, for example https://coder.example.com`;
  }
  if (u.protocol !== 'https:') return `The address must start with https:// (mutual TLS needs TLS), not ${u.protocol}//`;
  if (u.username || u.password) return 'Leave the user name and password out of the address';
  if (u.search || u.hash) return 'Leave out everything after ? or # in the address';
  if (!u.hostname) return 'The address has no host name';
  return null;
}

export function hostOf(url: string): string {
  try {
    return new URL(normaliseUrl(url)).hostname;
  } catch {
    return '';
  }
}

export function checkHostName(text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  return HOST_NAME_PATTERN.test(t) ? null : `"${t}" is not a host name (letters, digits, dots and hyphens, like coder.internal.example.com)`;
}

export function checkProfileName(text: string): string | null {
  const t = text.trim();
  if (t === '') return 'Give the profile a name';
  if (t.length > 80) return `The name is ${t.length} characters long; keep it to 80`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(t)) return 'The name must be one line of text';
  return null;
}

/** SANs as the user types them, one per line; blank lines are ignored. */
export function sanLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export function checkSans(text: string): string | null {
  const lines = sanLines(text);
  if (lines.length > 64) return `That is ${lines.length} names; a certificate here holds at most 64`;
  for (const line of lines) {
    if (/\s/.test(line)) return `"${line}" contains a space; put each name on its own line`;
    const m = /^([A-Za-z]+):(.*)$/.exec(line);
    if (m && /^(dns|ip|email|uri)$/i.test(m[1]!) && m[2] === '') return `"${line}" has nothing after the colon`;
    if (line.length > 256) return `"${line.slice(0, 40)}…" is too long for a name`;
  }
  return null;
}

export function checkDays(text: string): string | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return 'Enter a whole number of days, for example 30';
  const n = Number(t);
  if (n < 1 || n > 3650) return 'Choose between 1 and 3650 days';
  return null;
}

/** HTTP header names are "tokens" (RFC 9110 §5.6.2). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function checkHeaderName(name: string): string | null {
  if (name === '') return 'Enter a header name, for example X-Team';
  if (!TOKEN.test(name)) return `"${name}" is not a valid header name: use letters, digits and - only, no spaces or colons`;
  if (name.length > 128) return 'Header names are at most 128 characters';
  return null;
}

export function checkHeaderValue(value: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\r\n\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return 'A header value must be one line of text';
  if (value.length > 4096) return 'Header values are at most 4096 characters';
  return null;
}

export const MIN_EXPORT_PASSPHRASE = 8;

export function checkNewPassphrase(pass: string, confirm: string): { pass?: string; confirm?: string } {
  if (pass.length < MIN_EXPORT_PASSPHRASE) return { pass: `Use at least ${MIN_EXPORT_PASSPHRASE} characters: this passphrase is all that protects your private key` };
  if (pass !== confirm) return { confirm: 'The two passphrases differ' };
  return {};
}
