/**
 * Checks every IPC call's arguments against the schema map (schema.ts) before anything else
 * runs. The renderer is untrusted (a compromised page can send anything), so a bad call is a
 * UserError `BAD_IPC_ARGUMENTS` naming the argument at fault (`#1.headers[0].value`), and
 * nothing reaches the service.
 */
import * as v from 'valibot';
import { UserError } from '../base/errors';
import type { IpcArgs, IpcChannel } from './contract';
import { IPC } from './schema';

export { FILE_TOKEN_PATTERN } from './arg-schemas';

/** The first fault is enough to refuse a call, and stopping there keeps a hostile call cheap. */
const FIRST_ISSUE = { abortEarly: true, abortPipeEarly: true } as const;

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'nothing';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  return typeof x === 'string' ? `a string of ${x.length} characters` : `a ${typeof x}`;
}

/** `#1.identity.kind`, `#1.sans[3]`: positions count from 1, as a person reads a call. */
function pathOf(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const [i, item] of (issue.path ?? []).entries()) {
    const key = item.key as string | number;
    if (i === 0) out = typeof key === 'number' ? `#${key + 1}` : String(key);
    else out += typeof key === 'number' ? `[${key}]` : `.${key}`;
  }
  return out || 'list';
}

/** The first object key on the path: which input of a request (`url`, `headers`) is at fault. */
function fieldOf(issue: v.BaseIssue<unknown>): string | undefined {
  const item = issue.path?.find((p) => p.type === 'object');
  return item === undefined ? undefined : String(item.key);
}

/** What is wrong, in the words of the old hand-written checker (logs and tests read these). */
function problem(issue: v.BaseIssue<unknown>, arity: number): string {
  const req = (issue as { requirement?: unknown }).requirement;
  switch (issue.type) {
    case 'strict_tuple':
      return issue.expected === 'never' ? `this call takes at most ${arity} argument(s)` : 'expected an argument list';
    case 'strict_object':
      if (issue.expected === 'never') return 'unknown property';
      return issue.kind === 'schema' && issue.input === undefined ? 'is required' : `expected an object, got ${describe(issue.input)}`;
    case 'min_length':
      return req === 1 ? 'must not be empty' : `shorter than ${String(req)}`;
    case 'max_length':
      return Array.isArray(issue.input) ? `more than ${String(req)} items` : `longer than ${String(req)} characters`;
    case 'regex':
      return String(req) === '/^[^\\r\\n\\0]*$/' ? 'must be a single line' : `does not match ${String(req)}`;
    case 'min_value':
    case 'max_value':
      return `must be ${issue.type === 'min_value' ? 'at least' : 'at most'} ${String(req)}`;
    case 'integer':
      return `expected an integer, got ${String(issue.input)}`;
    case 'picklist':
    case 'literal':
    case 'variant':
      return `must be one of ${issue.expected}`;
    case 'union':
      return `expected ${(issue.issues ?? []).map((i) => `${pathOf(i).split('.').pop()}: ${problem(i, arity)}`).join(', or ')}`;
    case 'custom':
      return `${issue.message}, got ${describe(issue.input)}`;
    default:
      return `expected ${issue.expected ?? issue.type}, got ${describe(issue.input)}`;
  }
}

/** The arguments of `channel`, checked; throws UserError BAD_IPC_ARGUMENTS otherwise. */
export function validateArgs<C extends IpcChannel>(channel: C, args: readonly unknown[]): IpcArgs<C> {
  if (!Object.hasOwn(IPC, channel)) throw new UserError('UNKNOWN_IPC_CHANNEL', `unknown channel ${String(channel)}`);
  const schema = IPC[channel].args as v.GenericSchema<unknown, unknown[]> & { items: readonly unknown[] };
  const result = v.safeParse(schema, args, FIRST_ISSUE);
  if (!result.success) {
    const issue = result.issues[0];
    throw new UserError('BAD_IPC_ARGUMENTS', `invalid argument ${pathOf(issue)}: ${problem(issue, schema.items.length)}`, 'this is a bug in the window; restart mtls-tray', fieldOf(issue));
  }
  // Missing trailing arguments are left out, as the caller left them out.
  const out = result.output;
  while (out.length && out[out.length - 1] === undefined) out.pop();
  return out as IpcArgs<C>;
}

/** How many arguments a channel takes at most. */
export function arityOf(channel: IpcChannel): number {
  return IPC[channel].args.items.length;
}
