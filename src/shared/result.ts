import type { ErrorCode } from './error-codes.ts';

/** The shape every API call resolves to, over IPC and over HTTP alike. */
export type ApiError = { code: ErrorCode; message: string };
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
