import type { ErrorCode } from '../shared/error-codes.ts';

/**
 * An error whose message is written for the person using the app: one sentence, no stack.
 * Anything else that escapes is a bug and is reported as such.
 */
export class UserFacingError extends Error {
  /** One of the codes declared in src/shared/error-codes.ts, which clients branch on. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'UserFacingError';
    this.code = code;
  }
}

export function isUserFacing(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError;
}

/** True for a UserFacingError carrying `code`, e.g. to tolerate 'SYNC_RUNNING' where a sync is optional. */
export function hasErrorCode(error: unknown, code: ErrorCode): error is UserFacingError {
  return isUserFacing(error) && error.code === code;
}
