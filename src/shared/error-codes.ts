/**
 * Every code a failed call (or a CLI command) can answer with, declared once. Handlers throw
 * `UserFacingError(code, sentence)` with one of these; clients branch on `error.code` (e.g. retry
 * after 'SYNC_RUNNING', ask to confirm on 'LINT_WARNINGS'). Both sides are checked against this
 * list, so a misspelt code, or one a handler throws that a client cannot know about, fails the
 * typecheck. A new failure = one line here, in its area.
 */
export const ERROR_CODES = [
  // The call itself: the dispatcher, the transports (IPC, HTTP) and the renderer's client.
  'UNKNOWN_METHOD',
  'INVALID_INPUT',
  'INTERNAL',
  'FORBIDDEN',
  'APP_CLOSING',
  'UNAUTHORISED',
  'METHOD_NOT_ALLOWED',
  'TOO_LARGE',
  'INVALID_JSON',
  'NETWORK',
  'TRANSPORT',
  'BAD_RESPONSE',
  'JOB_FAILED',
  // Validation shared by several areas.
  'USAGE',
  'INVALID_DATE',
  'INVALID_EMAIL',
  'NOT_FOUND',
  'ACCOUNT_NOT_FOUND',
  'NO_ACCOUNTS',
  'UNKNOWN_TRIGGER',
  'NO_FILES',
  'FILE_UNREADABLE',
  'WRITE_FAILED',
  'NOT_IN_DESKTOP_APP',
  // The database file and demo data.
  'DB_FOLDER_MISSING',
  'DB_IS_FOLDER',
  'DB_MISSING',
  'DB_NOT_SQLITE',
  'DB_OPEN_FAILED',
  'DB_TOO_NEW',
  'DEMO_BAD_OPTIONS',
  'DEMO_ID_CLASH',
  // Backups and restore.
  'BACKUP_DAMAGED',
  'BACKUP_EXISTS',
  'BACKUP_FAILED',
  'BACKUP_FOLDER_MISSING',
  'BACKUP_NOT_FOUND',
  'RESTORE_DAMAGED',
  'RESTORE_FAILED',
  'RESTORE_MISSING',
  'RESTORE_NOT_FORESIGHT',
  'RESTORE_NOT_USABLE',
  'RESTORE_SAME_FILE',
  'RESTORE_TOO_NEW',
  // Sync: files, feeds, their tokens and uploads.
  'SYNC_RUNNING',
  'NO_SOURCES',
  'UNKNOWN_SOURCE',
  'INVALID_SOURCE_NAME',
  'INVALID_FEED_URL',
  'INSECURE_FEED_URL',
  'INVALID_TOKEN_ENV',
  'CANNOT_STORE_TOKEN',
  'SECRETS_NOT_STORED',
  'SECRETS_UNAVAILABLE',
  'SECRET_NAME',
  'SECRET_VALUE',
  'NO_FILE_PICKER',
  'MAPPING_INVALID',
  'MAPPING_UNREADABLE',
  'UNKNOWN_UPLOAD',
  'UPLOAD_INCOMPLETE',
  'UPLOAD_OUT_OF_ORDER',
  'UPLOAD_TOO_LARGE',
  // Risk: scoring settings and risk items.
  'INVALID_CONFIG',
  'RISK_ITEM_NOT_FOUND',
  'RISK_ITEM_CLOSED',
  'RISK_ITEM_MISMATCH',
  'SNOOZE_DATE_PAST',
  'SNOOZE_REASON_REQUIRED',
  // Outreach: drafts, templates, settings.
  'NO_TRIGGER',
  'FATIGUE',
  'INVALID_SETTINGS',
  'TEMPLATE_NOT_FOUND',
  'TEMPLATE_CHANNEL',
  'INVALID_TEMPLATE',
  'INVALID_TEMPLATE_FILE',
  'UNKNOWN_TOKEN',
  'TEMPLATE_SYNTAX',
  'BUILTIN_READ_ONLY',
  'LINT_WARNINGS',
  // Interventions and outcomes.
  'HOLDOUT',
  'INVALID_CHANNEL',
  'INVALID_RATING',
  'INVALID_TRANSITION',
  'NOTE_REQUIRED',
  'NOTE_TOO_LONG',
  'IMPORT_NOT_OUTCOMES',
  'IMPORT_UNREADABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
