// Shared pieces of the settings tests: temp dirs, targets, and the checks that say "only our
// keys changed" (by parsing both texts) and "every other line is byte-identical".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseTree, type ParseError } from 'jsonc-parser';
import type { EditorTarget } from '../../main/settings/editor-discovery';
import { OWNED_KEYS, type DesiredCoderSettings } from '../../main/settings/owned-keys';

export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

export function tempDir(t: { after: (fn: () => void) => void }, label = 'settings'): string {
  const dir = mkdtempSync(join(tmpdir(), `mtls-tray-${label}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function fileTarget(settingsPath: string, id: EditorTarget['id'] = 'custom'): EditorTarget {
  return { id, name: id === 'custom' ? settingsPath : id, userDataDir: dirname(settingsPath), settingsPath, installed: true };
}

/** What init writes for a profile with a CA bundle and an alt host (paths with a space and a quote). */
export const FULL_DESIRED: DesiredCoderSettings = {
  'coder.tlsCertFile': "/home/al ice/.local/share/mtls-tray/active/current/client.crt",
  'coder.tlsKeyFile': "/home/al ice/.local/share/mtls-tray/active/current/client.key",
  'coder.tlsCaFile': "/home/al ice/.local/share/mtls-tray/active/current/ca.crt",
  'coder.tlsAltHost': 'coder.internal.example',
  'coder.headerCommand': "'/home/al ice/.local/share/mtls-tray/bin/coder-header-command'",
  'coder.tlsCertRefreshCommand': "'/home/al ice/.local/share/mtls-tray/bin/coder-cert-refresh'",
};

/** A profile without CA bundle or alt host: those two keys must be absent. */
export const NO_CA_DESIRED: DesiredCoderSettings = {
  ...FULL_DESIRED,
  'coder.tlsCaFile': undefined,
  'coder.tlsAltHost': undefined,
};

export function stripBom(s: string): string {
  return s.startsWith('\uFEFF') ? s.slice(1) : s;
}

export function parseErrors(text: string): ParseError[] {
  const errors: ParseError[] = [];
  parseTree(stripBom(text), errors, { allowTrailingComma: true, allowEmptyContent: true });
  return errors;
}

/** The settings object as VS Code reads it (last occurrence of a key wins). */
export function settingsObject(text: string): Record<string, unknown> {
  const v = parse(stripBom(text), [], { allowTrailingComma: true, allowEmptyContent: true }) as unknown;
  return (v ?? {}) as Record<string, unknown>;
}

export function withoutOwned(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!(OWNED_KEYS as readonly string[]).includes(k)) out[k] = v;
  return out;
}

export function ownedOf(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of OWNED_KEYS) if (Object.prototype.hasOwnProperty.call(obj, k)) out[k] = obj[k];
  return out;
}

/** Lines with their terminators, so CRLF vs LF is part of "byte-identical". */
export function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Indexes of the lines touched by a top-level property we own (key through value). */
function ownedLineIndexes(text: string): Set<number> {
  const body = stripBom(text);
  const root = parseTree(body, [], { allowTrailingComma: true, allowEmptyContent: true });
  const lineOf = (offset: number) => (body.slice(0, offset).match(/\n/g) ?? []).length;
  const out = new Set<number>();
  for (const prop of root?.children ?? []) {
    if (!(OWNED_KEYS as readonly string[]).includes(prop.children?.[0]?.value)) continue;
    for (let l = lineOf(prop.offset); l <= lineOf(prop.offset + prop.length - 1); l++) out.add(l);
  }
  return out;
}

/** The lines of `text` that hold none of our keys. */
export function outsideLines(text: string): string[] {
  const owned = ownedLineIndexes(text);
  return linesOf(stripBom(text)).filter((_, i) => !owned.has(i));
}

/**
 * Compares the lines outside our keys. Returns how many lines differ only by one separator
 * comma (the comma before a key of ours that was removed while it was the last one), and
 * throws on any other difference.
 */
export function compareOutside(before: string, after: string): { commaOnly: number } {
  const a = outsideLines(before);
  const b = outsideLines(after);
  if (a.length !== b.length) {
    throw new Error(`lines outside our keys: ${a.length} before, ${b.length} after\n--- before\n${a.join('')}--- after\n${b.join('')}`);
  }
  let commaOnly = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i]!.replace(/,([ \t]*(\/\/[^\r\n]*)?\r?\n?)$/, '$1') === b[i]) {
      commaOnly++;
      continue;
    }
    throw new Error(`line outside our keys changed:\n- ${JSON.stringify(a[i])}\n+ ${JSON.stringify(b[i])}`);
  }
  return { commaOnly };
}
