/**
 * An error meant for a person: its message says what went wrong in words the user knows,
 * naming the file or value at fault, and `fix` says what to do about it. The CLI and the
 * window print these without a stack trace; any other error is a bug and is reported as one.
 */
import type { ErrorCode } from './vocabulary';

export class UserError extends Error {
  /** Stable machine-readable code, e.g. `PEM_TRUNCATED`, `BAD_PASSPHRASE`. */
  readonly code: ErrorCode;
  /** One line telling the user what to do, when we know. */
  readonly fix: string | undefined;
  /**
   * Which input the error is about, when it is about one (`url`, `altHost`, `sans`, `headers`,
   * `caBundle`, `name`, `passphrase`...): the window marks that field instead of guessing it
   * from the code.
   */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, fix?: string, field?: string) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.fix = fix;
    this.field = field;
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/**
 * Runs `fn`; a UserError it throws without a field is thrown again naming `field`. The code that
 * knows which input it is reading says so once, around that step, instead of at every throw
 * site below it (and instead of the window guessing the input from the error code).
 */
export function inField<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw withField(err, field);
  }
}

export async function inFieldAsync<T>(field: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw withField(err, field);
  }
}

function withField(err: unknown, field: string): unknown {
  if (!(err instanceof UserError) || err.field !== undefined) return err;
  const tagged = new UserError(err.code, err.message, err.fix, field);
  tagged.stack = err.stack;
  return tagged;
}
