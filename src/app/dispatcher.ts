import { isUserFacing } from '../domain/errors.ts';
import { toUserFacing } from '../domain/failure-sentence.ts';
import {
  apiContract,
  isApiMethod,
  type ApiMethod,
  type ApiOutput,
  type ApiParsedInput,
  type ApiResult,
} from '../shared/api.ts';
import type { AppContext } from './context.ts';
import { invalidInputSentence } from '../shared/input-sentence.ts';
import { retryWhileBusy } from './wait-for-writer.ts';

export type Handler<M extends ApiMethod> = (
  input: ApiParsedInput<M>,
  ctx: AppContext,
) => ApiOutput<M> | Promise<ApiOutput<M>>;
export type HandlerMap = { [M in ApiMethod]: Handler<M> };

export type Dispatch = (method: unknown, input: unknown) => Promise<ApiResult<unknown>>;

/**
 * The single entry point for every call from a renderer, whichever transport carried it: the
 * method must exist, the input must match its schema, and whatever happens the caller gets an
 * ApiResult rather than an exception.
 */
export function createDispatcher(
  handlers: HandlerMap,
  ctx: AppContext,
  log: (message: string) => void = ctx.log,
  options: { busyWaitMs?: number } = {},
): Dispatch {
  return async (method, input) => {
    if (!isApiMethod(method)) {
      return {
        ok: false,
        error: {
          code: 'UNKNOWN_METHOD',
          message: `There is no API method called ${JSON.stringify(String(method)).slice(0, 80)}.`,
        },
      };
    }
    const schema = apiContract[method].input;
    const parsed = schema.safeParse(input ?? {});
    if (!parsed.success) {
      // One sentence naming the field in words (input-sentence.ts), never the method or a path.
      const message = invalidInputSentence(schema, parsed.error, input ?? {});
      return { ok: false, error: { code: 'INVALID_INPUT', message } };
    }
    try {
      const handler = handlers[method] as (input: unknown, ctx: AppContext) => unknown;
      const value = await retryWhileBusy(() => handler(parsed.data, ctx), {
        // Shown on the progress bar while it waits: words, not the API method's name.
        what: 'Your change',
        emit: ctx.emit,
        maxWaitMs: options.busyWaitMs,
      });
      return { ok: true, value };
    } catch (error) {
      if (isUserFacing(error)) return { ok: false, error: { code: error.code, message: error.message } };
      // SQLite, file-system and parser failures have a sentence (failure-sentence.ts); only bugs are
      // INTERNAL, and only bugs are logged with their stack (a busy database is not one).
      const explained = toUserFacing(error, { dbPath: ctx.dbPath });
      if (explained) return { ok: false, error: { code: explained.code, message: explained.message } };
      log(`[api] ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return {
        ok: false,
        error: { code: 'INTERNAL', message: `${method} failed unexpectedly; the details are in the app log.` },
      };
    }
  };
}
