/**
 * Reading untrusted JSON (profile.json, .mtlsprofile files, import links) before any schema
 * sees it: a size limit, duplicate keys refused (JSON.parse would silently keep the last one,
 * and a schema only ever sees the parsed result), and the error a schema's refusal becomes
 * (json-schema.ts), naming the file and the field at fault.
 */
import { UserError } from '../base/errors';

export type JsonObject = Record<string, unknown>;

/** A field of the file is wrong; `field` on the error is its top-level key (`headers`, `url`). */
export class JsonShapeError extends UserError {
  constructor(where: string, field: string, problem: string, fix?: string) {
    // Every refusal says what to do: the default is to correct that field (or get a corrected file).
    super('INVALID_FIELD', `${where}: ${field ? `"${field}" ` : ''}${problem}`, fix ?? `Correct ${field ? `"${field}" in ` : ''}${where}, or ask whoever made the file for a corrected one`, field.split(/[.[]/)[0] || undefined);
  }
}

export function parseJsonStrict(text: string, where: string, maxBytes: number): unknown {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new UserError('TOO_LARGE', `${where} is larger than ${Math.round(maxBytes / 1024)} KiB; refusing to read it`);
  }
  rejectDuplicateKeys(text, where);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError('INVALID_JSON', `${where} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * JSON.parse keeps the last of duplicate keys, so `{"url":"good","url":"evil"}` would show a
 * reviewer one value and apply another. Scan the text once and refuse duplicates.
 */
function rejectDuplicateKeys(text: string, where: string): void {
  const stack: Array<Set<string> | null> = [];
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const raw = text.slice(i, j + 1);
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        let key: string;
        try {
          key = JSON.parse(raw) as string;
        } catch {
          return; // malformed; JSON.parse reports it with a position
        }
        if (top.has(key)) throw new UserError('DUPLICATE_KEY', `${where}: the key "${key}" appears twice in one object`);
        top.add(key);
        expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] != null;
    }
    i++;
  }
}

export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number' && !Number.isFinite(v)) return 'a number too large to use (it reads as infinity)';
  if (v === undefined) return 'missing';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

export function clip(s: string): string {
  const oneLine = JSON.stringify(s).slice(1, -1);
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}
