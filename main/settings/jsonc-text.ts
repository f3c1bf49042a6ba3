/**
 * Reading a settings.json as VS Code does: UTF-8 with an optional BOM, JSONC (comments and
 * trailing commas allowed), parsed with jsonc-parser, the parser VS Code itself uses. Anything
 * VS Code would flag as an error is refused here with the file, line and column, so we never
 * rewrite a file whose meaning we are not sure of.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { UserError } from '../base/errors';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Strict: invalid UTF-8 throws instead of turning into U+FFFD (a rewrite would corrupt the file). */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Parse options matching VS Code's settings reader. */
export const SETTINGS_PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true } as const;

export interface SettingsText {
  /** The file started with a UTF-8 byte order mark; it is written back with one. */
  bom: boolean;
  /** The text after the BOM. All offsets in this module are into this string. */
  body: string;
}

/** Splits off the BOM and decodes strictly: a file that is not UTF-8 would be corrupted by a rewrite. */
export function decodeSettingsBytes(bytes: Uint8Array, file: string): SettingsText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UserError(
      'SETTINGS_NOT_UTF8',
      `${file} is saved as UTF-16; mtls-tray only edits UTF-8 settings files`,
      'Reopen it in the editor with "Save with Encoding" → UTF-8, then run this again.',
    );
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const rest = bom ? bytes.subarray(3) : bytes;
  let body: string;
  try {
    body = STRICT_UTF8.decode(rest);
  } catch {
    throw new UserError(
      'SETTINGS_NOT_UTF8',
      `${file} is not valid UTF-8; refusing to rewrite it`,
      'Save it as UTF-8 in the editor, then run this again.',
    );
  }
  return { bom, body };
}

export function encodeSettingsText(text: SettingsText): Buffer {
  const body = Buffer.from(text.body, 'utf8');
  return text.bom ? Buffer.concat([UTF8_BOM, body]) : body;
}

/** 1-based line and column (UTF-16 units, as editors count them) of `offset`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    } else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) {
      line++; // a lone CR ends a line too
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const ERROR_WORDS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'unexpected text after the end of the settings object',
  InvalidCommentToken: 'malformed comment',
  UnexpectedEndOfComment: 'a /* comment is never closed',
  UnexpectedEndOfString: 'a string is never closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'malformed \\u escape',
  InvalidEscapeCharacter: 'invalid escape in a string',
  InvalidCharacter: 'a control character inside a string',
};

export function describeParseError(err: ParseError): string {
  const name = printParseErrorCode(err.error);
  return ERROR_WORDS[name] ?? name;
}

/**
 * Parses `body` and returns its root object, or `undefined` when the file holds no value at
 * all (empty, whitespace, only comments). Throws `SETTINGS_INVALID_JSONC` at the first error
 * and `SETTINGS_NOT_OBJECT` when the root is an array, string, number...
 */
export function parseSettingsBody(body: string, file: string): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(body, errors, SETTINGS_PARSE_OPTIONS);
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumnAt(body, first.offset);
    throw new UserError(
      'SETTINGS_INVALID_JSONC',
      `${file}:${line}:${column}: ${describeParseError(first)}; the file was left unchanged`,
      `Open ${file} in the editor, fix the error at line ${line}, column ${column}, save, and run this again.`,
    );
  }
  if (root && root.type !== 'object') {
    throw new UserError(
      'SETTINGS_NOT_OBJECT',
      `${file} holds a JSON ${root.type}, not an object of settings; the file was left unchanged`,
      `A settings.json must be one object: { "setting": value, ... }. Fix ${file} and run this again.`,
    );
  }
  return root;
}

/** Top-level property nodes named `key`, in document order (a file may repeat a key; the last wins). */
export function findTopLevelProperties(root: Node | undefined, key: string): Node[] {
  if (!root || root.type !== 'object') return [];
  return (root.children ?? []).filter((p) => p.type === 'property' && p.children?.[0]?.value === key);
}

/** The value of a top-level key the way VS Code reads it (last occurrence wins), or absent. */
export function readTopLevelValue(root: Node | undefined, key: string): ValueState {
  const props = findTopLevelProperties(root, key);
  const last = props[props.length - 1];
  const valueNode = last?.children?.[1];
  if (!valueNode) return ABSENT;
  return { present: true, value: nodeToValue(valueNode) };
}

/** A setting as a value or as absent; JSON `null` is a present value. */
export type ValueState = { present: false } | { present: true; value: unknown };
export const ABSENT: ValueState = Object.freeze({ present: false }) as ValueState;

export function present(value: unknown): ValueState {
  return { present: true, value };
}

export function sameState(a: ValueState, b: ValueState): boolean {
  if (!a.present || !b.present) return a.present === b.present;
  return sameJson(a.value, b.value);
}

export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function nodeToValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const k = p.children?.[0]?.value;
        const v = p.children?.[1];
        // defineProperty, not assignment: a "__proto__" key must stay a plain key.
        if (typeof k === 'string' && v) Object.defineProperty(out, k, { value: nodeToValue(v), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeToValue);
    default:
      return node.value;
  }
}
