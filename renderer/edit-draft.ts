/**
 * A profile edit on its way to main: what the edit dialog holds while the user types (started
 * from the profile's values as `profile:edit` reports them), the checks that run before anything
 * is sent, the request with only what the user changed (so an untouched field is never
 * rewritten), and where main's errors belong. Pure: unit-tested on Node.
 */
import type { EditableProfileDto, EditChoice, KeyAlgorithm, PickedFile } from '../main/ipc/contract';
import { checkDays, checkHeaderName, checkHeaderValue, checkHostName, checkProfileName, checkSans, sanLines } from './validate';

/** The dialog's fields, in the order they appear (and the order of its Tab stops). */
export const EDIT_FIELDS = ['name', 'caBundle', 'altHost', 'headers', 'sans', 'days', 'keyAlgorithm'] as const;
export type EditField = (typeof EDIT_FIELDS)[number];
/** Errors by field; `general` for those about the whole edit (the disk, a settings file). */
export type EditErrors = Partial<Record<EditField | 'general', string>>;

export interface EditDraft {
  name: string;
  /** keep the profile's bundle (or none), use a newly picked file, or remove the bundle. */
  caBundle: { kind: 'keep' } | { kind: 'remove' } | { kind: 'file'; file: PickedFile };
  altHost: string;
  headers: Array<{ name: string; value: string }>;
  /** One SAN per line, as typed. */
  sans: string;
  days: string;
  keyAlgorithm: KeyAlgorithm;
}

export function draftFrom(v: EditableProfileDto): EditDraft {
  return {
    name: v.name,
    caBundle: { kind: 'keep' },
    altHost: v.altHost ?? '',
    headers: v.headers.map((h) => ({ ...h })),
    sans: v.sans.join('\n'),
    days: String(v.days),
    keyAlgorithm: v.keyAlgorithm,
  };
}

/** Header rows the user filled in (a row left entirely blank is not a header). */
function filledRows(d: EditDraft): Array<{ name: string; value: string }> {
  return d.headers.filter((r) => r.name.trim() !== '' || r.value !== '').map((r) => ({ name: r.name.trim(), value: r.value }));
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The checks the window can make itself; main checks everything again. */
export function checkDraft(d: EditDraft): EditErrors {
  const e: EditErrors = {};
  const name = checkProfileName(d.name);
  if (name) e.name = name;
  const alt = checkHostName(d.altHost);
  if (alt) e.altHost = alt;
  const seen = new Map<string, string>();
  for (const [i, r] of filledRows(d).entries()) {
    const msg = checkHeaderName(r.name) ?? checkHeaderValue(r.value);
    if (msg) {
      e.headers = `Header ${i + 1}: ${msg}`;
      break;
    }
    const earlier = seen.get(r.name.toLowerCase());
    if (earlier !== undefined) {
      e.headers = `Header "${r.name}" is given twice (also as "${earlier}"); the extension would keep only one`;
      break;
    }
    seen.set(r.name.toLowerCase(), r.name);
  }
  const lines = sanLines(d.sans);
  const san = checkSans(d.sans);
  if (san) e.sans = san;
  else if (lines.some((l) => /\{\{\s*(user|hostname)\s*\}\}/.test(l))) e.sans = 'Write {user} and {hostname} with single braces, for example email:{user}@example.com';
  else if (lines.length === 0) e.sans = 'Keep at least one name: a certificate without one is refused by Coder (Go rejects Common-Name-only certificates)';
  const days = checkDays(d.days);
  if (days) e.days = days;
  return e;
}

/** The request for `profile:edit`: only the fields that differ from the profile's values. */
export function editChoice(v: EditableProfileDto, d: EditDraft, dryRun: boolean): EditChoice {
  const out: EditChoice = {};
  const name = d.name.trim();
  if (name !== v.name) out.name = name;
  if (d.caBundle.kind === 'file') out.caBundleFile = d.caBundle.file.token;
  else if (d.caBundle.kind === 'remove' && v.hasCaBundle) out.caBundleFile = null;
  const alt = d.altHost.trim();
  if (alt !== (v.altHost ?? '')) out.altHost = alt === '' ? null : alt;
  const rows = filledRows(d);
  const kept = new Set(rows.map((r) => r.name.toLowerCase()));
  const removeHeaders = v.headers.filter((h) => !kept.has(h.name.toLowerCase())).map((h) => h.name);
  const setHeaders = rows.filter((r) => {
    const old = v.headers.find((h) => h.name.toLowerCase() === r.name.toLowerCase());
    return !old || old.name !== r.name || old.value !== r.value;
  });
  if (removeHeaders.length) out.removeHeaders = removeHeaders;
  if (setHeaders.length) out.setHeaders = setHeaders;
  const sans = sanLines(d.sans);
  if (!sameList(sans, v.sans)) out.sans = sans;
  const days = Number(d.days.trim());
  if (Number.isInteger(days) && days !== v.days) out.days = days;
  if (d.keyAlgorithm !== v.keyAlgorithm) out.keyAlgorithm = d.keyAlgorithm;
  if (dryRun) out.dryRun = true;
  return out;
}

/** Whether the request changes anything at all (dryRun aside). */
export function changesAnything(c: EditChoice): boolean {
  return Object.keys(c).some((k) => k !== 'dryRun');
}

/** Main's input names (UserError.field) -> the dialog's fields. */
const BY_FIELD: Readonly<Record<string, EditField>> = {
  name: 'name',
  caBundle: 'caBundle',
  caBundleFile: 'caBundle',
  altHost: 'altHost',
  headers: 'headers',
  setHeaders: 'headers',
  removeHeaders: 'headers',
  sans: 'sans',
  days: 'days',
  keyAlgorithm: 'keyAlgorithm',
};

/** Errors reading a picked file carry no field, but the CA bundle is the only file an edit reads. */
const FILE_CODES = new Set(['FILE_TOKEN_UNKNOWN', 'FILE_NOT_TEXT', 'FILE_TOO_LARGE', 'FILE_UNREADABLE', 'NOT_A_FILE']);

export function editFieldForError(err: { code?: string; field?: string | undefined }, req: EditChoice): EditField | 'general' {
  if (err.field !== undefined && Object.hasOwn(BY_FIELD, err.field)) return BY_FIELD[err.field]!;
  if (err.code !== undefined && FILE_CODES.has(err.code) && typeof req.caBundleFile === 'string') return 'caBundle';
  return 'general';
}

/** Words for the fields `profile:edit` reports as changed. */
export const CHANGED_LABELS: Readonly<Record<string, string>> = {
  name: 'name',
  caBundle: 'CA bundle',
  altHost: 'alt host',
  headers: 'headers',
  sans: 'SANs',
  days: 'validity',
  keyAlgorithm: 'key algorithm',
};
