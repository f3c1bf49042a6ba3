/**
 * Schemas for untrusted JSON files (profile.json, .mtlsprofile files, import links), built with
 * valibot like the IPC schema, and the one place that turns a schema's first complaint into a
 * UserError naming the file and the field (`headers[2].name`). Unknown fields and wrong types
 * are refused, nothing is coerced: a broken file is reported, never silently "repaired".
 * Duplicate keys are caught before any schema runs (strict-json.ts): JSON.parse hides them.
 */
import * as v from 'valibot';
import { clip, describeType, JsonShapeError } from './strict-json';

type StringCheck = v.PipeItem<string, string, v.BaseIssue<unknown>>;

/** A string with the rules asked for, each failing with the sentence the file's reader sees. */
export function text(rule: { min?: number; max?: number; pattern?: RegExp; help?: string } = {}) {
  const checks: StringCheck[] = [];
  if (rule.min !== undefined) checks.push(v.minLength(rule.min, rule.min === 1 ? 'must not be empty' : `must be at least ${rule.min} characters`));
  if (rule.max !== undefined) checks.push(v.maxLength(rule.max, `is longer than ${rule.max} characters`));
  const help = rule.help ?? 'has a form that is not allowed';
  if (rule.pattern) checks.push(v.regex(rule.pattern, (i) => `"${clip(String(i.input))}" ${help}`));
  return checks.length ? v.pipe(v.string(), ...(checks as [StringCheck])) : v.string();
}

/** One of a fixed list of words (key algorithms, identity sources...). */
export const oneOf = <const T extends readonly string[]>(words: T) =>
  v.picklist(words, (i) => `must be one of ${words.join(', ')}, not "${clip(String(i.input))}"`);

/** A number in [min, max], whole when asked. */
export function num(min: number, max: number, opts: { integer?: boolean } = {}) {
  const range = v.check<number, (i: v.CheckIssue<number>) => string>((n) => n >= min && n <= max, (i) => `must be between ${min} and ${max}, not ${String(i.input)}`);
  return opts.integer ? v.pipe(v.number(), v.integer('must be a whole number'), range) : v.pipe(v.number(), range);
}

/** A list of at most `max` items. */
export const list = <T extends v.GenericSchema>(item: T, max: number) =>
  v.pipe(v.array(item), v.maxLength(max, (i) => `has ${(i.input as unknown[]).length} entries; at most ${max} are allowed`));

const NOUNS: Readonly<Record<string, string>> = { string: 'a string', number: 'a number', boolean: 'true or false', array: 'a list' };

/** `headers[0].name`: the path of the field at fault, as the file spells it. */
function pathOf(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = item.key as string | number;
    out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  }
  return out;
}

function refusal(issue: v.BaseIssue<unknown>, where: string): JsonShapeError {
  const field = pathOf(issue);
  if (issue.type === 'strict_object' && issue.path?.at(-1)?.origin === 'key') {
    if (issue.expected !== 'never') return new JsonShapeError(where, field, 'is missing');
    return new JsonShapeError(where, field, 'is not a field mtls-tray knows; refusing the whole file', 'Remove the field, or update mtls-tray if the file came from a newer version');
  }
  if (issue.type === 'strict_object') return new JsonShapeError(where, field, 'must be an object');
  if (typeof issue.input === 'number' && !Number.isFinite(issue.input)) {
    return new JsonShapeError(where, field, `is ${describeType(issue.input)}`, 'Write an ordinary number there, e.g. 30');
  }
  if (issue.kind === 'schema' && Object.hasOwn(NOUNS, issue.type)) {
    return new JsonShapeError(where, field, issue.input === undefined ? 'is missing' : `must be ${NOUNS[issue.type]}, not ${describeType(issue.input)}`);
  }
  return new JsonShapeError(where, field, issue.message);
}

/** `value` read with `schema`; JsonShapeError (INVALID_FIELD) naming `where` and the field otherwise. */
export function readJson<S extends v.GenericSchema>(schema: S, value: unknown, where: string): v.InferOutput<S> {
  const result = v.safeParse(schema, value, { abortEarly: true, abortPipeEarly: true });
  if (!result.success) throw refusal(result.issues[0], where);
  return result.output;
}
