/**
 * Small strict readers for untrusted JSON (profile.json, .mtlsprofile files, import links).
 * Each reader names the field at fault (`headers[2].name`), refuses unknown fields and wrong
 * types, and never coerces: a broken file is reported, never silently "repaired".
 */
import { UserError } from '../base/errors';

export type JsonObject = Record<string, unknown>;

export class JsonShapeError extends UserError {
  constructor(where: string, field: string, problem: string, fix?: string) {
    super('INVALID_FIELD', `${where}: ${field ? `"${field}" ` : ''}${problem}`, fix);
  }
}

export interface Reader {
  /** Where the data came from, for messages: a file path or "import link". */
  where: string;
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

export function asObject(value: unknown, where: string, field: string, allowed: readonly string[]): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JsonShapeError(where, field, 'must be an object');
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new JsonShapeError(where, field ? `${field}.${key}` : key, 'is not a field mtls-tray knows; refusing the whole file', 'Remove the field, or update mtls-tray if the file came from a newer version');
    }
  }
  return value as JsonObject;
}

export interface StringRule {
  optional?: boolean;
  max?: number;
  min?: number;
  pattern?: RegExp;
  patternHelp?: string;
  oneOf?: readonly string[];
}

export function readString(obj: JsonObject, key: string, where: string, rule: StringRule & { optional: true }, prefix?: string): string | undefined;
export function readString(obj: JsonObject, key: string, where: string, rule?: StringRule, prefix?: string): string;
export function readString(obj: JsonObject, key: string, where: string, rule: StringRule = {}, prefix = ''): string | undefined {
  const field = prefix + key;
  const v = obj[key];
  if (v === undefined) {
    if (rule.optional) return undefined;
    throw new JsonShapeError(where, field, 'is missing');
  }
  if (typeof v !== 'string') throw new JsonShapeError(where, field, `must be a string, not ${describeType(v)}`);
  if (rule.min !== undefined && v.length < rule.min) throw new JsonShapeError(where, field, rule.min === 1 ? 'must not be empty' : `must be at least ${rule.min} characters`);
  if (rule.max !== undefined && v.length > rule.max) throw new JsonShapeError(where, field, `is longer than ${rule.max} characters`);
  if (rule.oneOf && !rule.oneOf.includes(v)) throw new JsonShapeError(where, field, `must be one of ${rule.oneOf.join(', ')}, not "${clip(v)}"`);
  if (rule.pattern && !rule.pattern.test(v)) throw new JsonShapeError(where, field, `"${clip(v)}" ${rule.patternHelp ?? 'has a form that is not allowed'}`);
  return v;
}

export function readNumber(obj: JsonObject, key: string, where: string, rule: { min: number; max: number; integer?: boolean; optional?: boolean }, prefix = ''): number | undefined {
  const field = prefix + key;
  const v = obj[key];
  if (v === undefined) {
    if (rule.optional) return undefined;
    throw new JsonShapeError(where, field, 'is missing');
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new JsonShapeError(where, field, `must be a number, not ${describeType(v)}`);
  if (rule.integer && !Number.isInteger(v)) throw new JsonShapeError(where, field, 'must be a whole number');
  if (v < rule.min || v > rule.max) throw new JsonShapeError(where, field, `must be between ${rule.min} and ${rule.max}, not ${v}`);
  return v;
}

export function readBoolean(obj: JsonObject, key: string, where: string, prefix = ''): boolean {
  const v = obj[key];
  if (typeof v !== 'boolean') throw new JsonShapeError(where, prefix + key, `must be true or false, not ${describeType(v)}`);
  return v;
}

export function readArray(obj: JsonObject, key: string, where: string, rule: { max: number; optional?: boolean }, prefix = ''): unknown[] | undefined {
  const field = prefix + key;
  const v = obj[key];
  if (v === undefined) {
    if (rule.optional) return undefined;
    throw new JsonShapeError(where, field, 'is missing');
  }
  if (!Array.isArray(v)) throw new JsonShapeError(where, field, `must be a list, not ${describeType(v)}`);
  if (v.length > rule.max) throw new JsonShapeError(where, field, `has ${v.length} entries; at most ${rule.max} are allowed`);
  return v;
}

export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v === undefined) return 'missing';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function clip(s: string): string {
  const oneLine = JSON.stringify(s).slice(1, -1);
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}
