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
