/**
 * Computes the new text of a settings.json in which some top-level keys have the wanted
 * values (or are gone), changing nothing else. Pure: text in, text out; the caller writes it.
 *
 * Why not jsonc-parser's `modify` with formatting options for everything: it re-formats the
 * whole line around an insertion, so a trailing `// comment` of the user's last setting ends up
 * after our key, a one-line `{"a":1}` is re-flowed, an object made only of comments gets our
 * object *before* the comment, and with a repeated key it edits the first occurrence while
 * VS Code reads the last. Instead we edit at line granularity with offsets from jsonc-parser's
 * tree and scanner:
 *  - an existing value is replaced in place (every occurrence of a repeated key);
 *  - a removed key takes its own line(s) with it, and the comma before it when it was last;
 *  - new keys go, as whole lines, right after our last key already present, or else right
 *    after the line of the opening `{`, so no line of the user's changes (at most our own
 *    last key gains a comma).
 * Only when that is impossible (a one-line object) do we fall back to `modify` with the
 * file's own formatting options.
 */
import { applyEdits, createScanner, modify, parseTree, type Edit, type Node } from 'jsonc-parser';
import { SETTINGS_PARSE_OPTIONS, findTopLevelProperties, type ValueState } from './jsonc-text';
import { eolLengthAt, lineEndOf, lineStartOf, type TextFormat } from './text-format';

/** The wanted final state of one top-level key. */
export interface KeyTarget {
  key: string;
  state: ValueState;
}

// jsonc-parser's SyntaxKind is a `const enum`, which isolatedModules cannot read: the values we need.
const TOKEN_CLOSE_BRACE = 2;
const TOKEN_COMMA = 5;
const TOKEN_LINE_COMMENT = 12;
const TOKEN_BLOCK_COMMENT = 13;
const TOKEN_LINE_BREAK = 14;
const TOKEN_TRIVIA = 15;

/**
 * Applies every target to `body` and returns the new text. `groupWith` lists the keys next to
 * which new keys are inserted (our own keys), in the order new keys are written. `bodyRoot`
 * is the parse of `body` when the caller has it.
 */
export function editTopLevelKeys(body: string, targets: KeyTarget[], fmt: TextFormat, groupWith: readonly string[], bodyRoot?: Node): string {
  let text = body;
  // Parse again only when the text changed since the last parse (a 1 MB file costs ~50 ms a parse).
  let parsedText = bodyRoot ? body : undefined;
  let parsedRoot = bodyRoot;
  const tree = (): Node | undefined => {
    if (parsedText !== text) {
      parsedRoot = parse(text);
      parsedText = text;
    }
    return parsedRoot;
  };

  // 1. Values of keys that exist: replaced in place, all in one pass (distinct properties never overlap).
  const root0 = tree();
  const replacements: Edit[] = [];
  for (const t of targets) {
    if (!t.state.present) continue;
    for (const prop of findTopLevelProperties(root0, t.key)) {
      const valueNode = prop.children?.[1];
      if (!valueNode) continue;
      const content = serializeValue(t.state.value, lineIndentOf(text, prop.offset), fmt);
      if (text.slice(valueNode.offset, valueNode.offset + valueNode.length) !== content) {
        replacements.push({ offset: valueNode.offset, length: valueNode.length, content });
      }
    }
  }
  if (replacements.length > 0) text = applyEdits(text, replacements);

  // 2. Keys that must go: every occurrence, last first, one at a time (neighbours share commas).
  for (const t of targets) {
    if (t.state.present) continue;
    for (;;) {
      const root = tree();
      const props = findTopLevelProperties(root, t.key);
      const last = props[props.length - 1];
      if (!root || !last) break;
      text = applyEdits(text, removalEdits(text, root, last));
    }
  }

  // 3. Keys that must exist and do not: inserted together, in the given order.
  const root = tree();
  const missing = targets.filter((t) => t.state.present && findTopLevelProperties(root, t.key).length === 0);
  if (missing.length > 0) {
    const order = (k: string) => {
      const i = groupWith.indexOf(k);
      return i < 0 ? groupWith.length : i;
    };
    missing.sort((a, b) => order(a.key) - order(b.key));
    text = insertProperties(text, root, missing.map((t) => [t.key, (t.state as { value: unknown }).value] as const), fmt, groupWith);
  }
  return text;
}

function parse(text: string): Node | undefined {
  return parseTree(text, [], SETTINGS_PARSE_OPTIONS);
}

/** The first token after `pos` that is not whitespace, a line break or a comment. */
function nextToken(text: string, pos: number): { kind: number; offset: number } {
  const scanner = createScanner(text, false);
  scanner.setPosition(pos);
  for (;;) {
    const kind = scanner.scan();
    if (kind !== TOKEN_TRIVIA && kind !== TOKEN_LINE_BREAK && kind !== TOKEN_LINE_COMMENT && kind !== TOKEN_BLOCK_COMMENT) {
      return { kind, offset: scanner.getTokenOffset() };
    }
  }
}

/** From `from` to the end of its line there is only whitespace, or a `//` comment. */
function restOfLineIsFree(text: string, from: number): boolean {
  return /^[ \t]*(\/\/.*)?$/.test(text.slice(from, lineEndOf(text, from)));
}

/** Index just past the line break ending the line of `from`, or -1 when that line is the last. */
function nextLineStart(text: string, from: number): number {
  const end = lineEndOf(text, from);
  const len = eolLengthAt(text, end);
  return len === 0 ? -1 : end + len;
}

function lineIndentOf(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/** JSON text of a value: scalars on one line, objects and arrays indented like the file. */
function serializeValue(value: unknown, baseIndent: string, fmt: TextFormat): string {
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    return JSON.stringify(value, null, fmt.indentUnit).split('\n').join(fmt.eol + baseIndent);
  }
  return JSON.stringify(value);
}

function propertyText(key: string, value: unknown, indent: string, fmt: TextFormat): string {
  return `${indent}${JSON.stringify(key)}: ${serializeValue(value, indent, fmt)}`;
}

/** Edits that remove one top-level property and the separator it leaves behind. */
function removalEdits(text: string, root: Node, prop: Node): Edit[] {
  const siblings = root.children ?? [];
  const index = siblings.indexOf(prop);
  const start = prop.offset;
  const end = prop.offset + prop.length;
  const after = nextToken(text, end);
  const hasComma = after.kind === TOKEN_COMMA;
  const prev = index > 0 ? siblings[index - 1] : undefined;
  const prevSep = prev ? nextToken(text, prev.offset + prev.length) : undefined;
  const prevComma = prevSep && prevSep.kind === TOKEN_COMMA ? prevSep.offset : -1;

  const lineStart = lineStartOf(text, start);
  const ownsStart = lineStart > root.offset && /^[ \t]*$/.test(text.slice(lineStart, start));
  const tail = hasComma ? after.offset + 1 : end;
  if (ownsStart && restOfLineIsFree(text, tail)) {
    // The property has its line(s) to itself (plus maybe its own trailing comment): drop them whole.
    const next = nextLineStart(text, tail);
    const cut = next < 0 ? lineEndOf(text, tail) : next;
    const edits: Edit[] = [{ offset: lineStart, length: cut - lineStart, content: '' }];
    // It was the last property: the comma before it would be left trailing. A file that was
    // plain JSON stays plain JSON.
    if (!hasComma && prevComma >= 0) edits.push({ offset: prevComma, length: 1, content: '' });
    return edits;
  }
  // It shares a line with other tokens: remove just its text and one separator.
  if (hasComma) {
    let e = after.offset + 1;
    while (text[e] === ' ' || text[e] === '\t') e++;
    return [{ offset: start, length: e - start, content: '' }];
  }
  if (prevComma >= 0) {
    if (/^\s*$/.test(text.slice(prevComma + 1, start))) return [{ offset: prevComma, length: end - prevComma, content: '' }];
    return [
      { offset: prevComma, length: 1, content: '' },
      { offset: start, length: end - start, content: '' },
    ];
  }
  return [{ offset: start, length: end - start, content: '' }];
}

type Entry = readonly [key: string, value: unknown];

function insertProperties(text: string, root: Node | undefined, entries: Entry[], fmt: TextFormat, groupWith: readonly string[]): string {
  const indent = fmt.propertyIndent ?? fmt.indentUnit;
  const block = (lineIndent: string, lastComma: boolean) =>
    entries.map(([k, v], i) => propertyText(k, v, lineIndent, fmt) + (i < entries.length - 1 || lastComma ? ',' : '') + fmt.eol).join('');

  if (!root) {
    // Empty, whitespace or only comments: keep the comments, add the object after them.
    const object = `{${fmt.eol}${block(indent, false)}}${fmt.eol}`;
    if (/^\s*$/.test(text)) return object;
    return text + (/[\r\n]$/.test(text) ? '' : fmt.eol) + object;
  }

  const props = root.children ?? [];
  const open = root.offset;
  const close = root.offset + root.length - 1;

  if (props.length === 0) {
    const inside = text.slice(open + 1, close);
    if (/^\s*$/.test(inside)) return text.slice(0, open + 1) + fmt.eol + block(indent, false) + text.slice(close);
    const closeLine = lineStartOf(text, close);
    if (closeLine > open && /^[ \t]*$/.test(text.slice(closeLine, close))) {
      return text.slice(0, closeLine) + block(indent, false) + text.slice(closeLine);
    }
    return text.slice(0, close) + fmt.eol + block(indent, false) + text.slice(close);
  }

  // Next to our own keys when some are there already: after the last one that comes before the
  // new keys in our order (so a key that comes back, e.g. coder.headerCommand on a switch back
  // to a profile with headers, returns to its old place), else after our last key.
  const ours = props.filter((p) => groupWith.includes(p.children?.[0]?.value));
  const firstNew = groupWith.indexOf(entries[0]?.[0] ?? '');
  const preceding = firstNew < 0 ? undefined : [...ours].reverse().find((p) => groupWith.indexOf(p.children?.[0]?.value) < firstNew);
  const anchor = preceding ?? ours[ours.length - 1];
  if (anchor) {
    const anchorIndent = ownLineIndent(text, root, anchor) ?? indent;
    const end = anchor.offset + anchor.length;
    const after = nextToken(text, end);
    if (after.kind === TOKEN_COMMA && restOfLineIsFree(text, after.offset + 1)) {
      const at = nextLineStart(text, after.offset + 1);
      if (at >= 0) return text.slice(0, at) + block(anchorIndent, true) + text.slice(at);
    }
    if (after.kind === TOKEN_CLOSE_BRACE && restOfLineIsFree(text, end)) {
      const at = nextLineStart(text, end);
      if (at >= 0) return text.slice(0, end) + ',' + text.slice(end, at) + block(anchorIndent, false) + text.slice(at);
    }
  }

  // Otherwise right after the line of the opening brace: every line of the user stays as it is.
  if (restOfLineIsFree(text, open + 1)) {
    const at = nextLineStart(text, open + 1);
    if (at >= 0) return text.slice(0, at) + block(indent, true) + text.slice(at);
  }

  // A one-line object: let jsonc-parser place and format them.
  const formattingOptions = {
    insertSpaces: !fmt.indentUnit.includes('\t'),
    tabSize: fmt.indentUnit.includes('\t') ? 4 : fmt.indentUnit.length,
    eol: fmt.eol,
  };
  let out = text;
  for (const [k, v] of entries) out = applyEdits(out, modify(out, [k], v, { formattingOptions }));
  return out;
}

/** The indentation of a property that starts its own line, else undefined. */
function ownLineIndent(text: string, root: Node, prop: Node): string | undefined {
  const start = lineStartOf(text, prop.offset);
  const before = text.slice(start, prop.offset);
  return start > root.offset && /^[ \t]*$/.test(before) ? before : undefined;
}
