import type { ErrorCode } from '../shared/error-codes.ts';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** Some input was rejected while the rest was accepted. */
  partial: 3,
} as const;

/**
 * Failures that mean "the arguments are wrong": exit code 2, like a missing argument (README), not 1.
 * Thrown by shared validation (the feed source checks, dates, names the user typed), so the CLI
 * decides by code rather than each command wrapping them in a UsageError.
 */
export const USAGE_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'USAGE',
  'INVALID_INPUT',
  'INVALID_DATE',
  'INVALID_EMAIL',
  'DEMO_BAD_OPTIONS',
  'UNKNOWN_TRIGGER',
  'INVALID_SOURCE_NAME',
  'INVALID_FEED_URL',
  'INSECURE_FEED_URL',
  'INVALID_TOKEN_ENV',
  'INVALID_CHANNEL',
  'INVALID_RATING',
  'INVALID_ACTIVITY_TYPE',
]);
