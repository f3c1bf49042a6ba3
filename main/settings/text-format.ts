/**
 * The formatting a settings file already uses (line ending, indentation), so the lines we add
 * look like the user's own. Pure: text in, format out.
 */
import type { Node } from 'jsonc-parser';

export interface TextFormat {
  /** The file's line ending; for a file without one, the platform's (what VS Code's `files.eol: auto` writes). */
  eol: '\n' | '\r\n';
  /** One level of indentation, e.g. `\t` or four spaces. */
  indentUnit: string;
  /** Exactly what precedes a top-level key on its own line in this file, when one does. */
  propertyIndent: string | undefined;
}

/** VS Code's default editor indentation (tabSize 4, insertSpaces true). */
const DEFAULT_INDENT = '    ';

export function detectFormat(body: string, root: Node | undefined, platform: NodeJS.Platform): TextFormat {
  const eolMatch = /\r\n|\n/.exec(body);
  const eol: '\n' | '\r\n' = eolMatch ? (eolMatch[0] === '\r\n' ? '\r\n' : '\n') : platform === 'win32' ? '\r\n' : '\n';
  const propertyIndent = topLevelPropertyIndent(body, root);
  const indentUnit = propertyIndent ? propertyIndent : guessIndentUnit(body);
  return { eol, indentUnit, propertyIndent };
}

export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Index of the line break that ends the line holding `offset` (or the text length). */
export function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Length of the line break at `i`: 2 for CRLF, 1 for LF or a lone CR, 0 at the end. */
export function eolLengthAt(text: string, i: number): number {
  if (text[i] === '\r') return text[i + 1] === '\n' ? 2 : 1;
  return text[i] === '\n' ? 1 : 0;
}

/** The whitespace before a top-level key that starts its own line (may be ''), if any does. */
function topLevelPropertyIndent(body: string, root: Node | undefined): string | undefined {
  if (!root || root.type !== 'object') return undefined;
  for (const prop of root.children ?? []) {
    const start = lineStartOf(body, prop.offset);
    const before = body.slice(start, prop.offset);
    // `start > root.offset`: the key is not on the line of the opening brace.
    if (start > root.offset && /^[ \t]*$/.test(before)) return before;
  }
  return undefined;
}

/** Smallest indentation used anywhere, as tabs or spaces; VS Code's default when there is none. */
function guessIndentUnit(body: string): string {
  let spaces = 0;
  for (const m of body.matchAll(/(?:^|\n)([ \t]+)\S/g)) {
    const ws = m[1]!;
    if (ws.startsWith('\t')) return '\t';
    if (spaces === 0 || ws.length < spaces) spaces = ws.length;
  }
  return spaces > 0 ? ' '.repeat(Math.min(spaces, 8)) : DEFAULT_INDENT;
}
