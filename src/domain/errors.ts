/**
 * An error whose message is written for the person using the app: one sentence, no stack.
 * Anything else that escapes is a bug and is reported as such.
 */
export class UserFacingError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'UserFacingError';
    this.code = code;
  }
}

export function isUserFacing(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError;
}
