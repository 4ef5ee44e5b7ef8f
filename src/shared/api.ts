/**
 * The one contract between the renderer and the app. Every call the renderer can make is declared
 * here with a runtime schema for its input; main (IPC), the web preview (HTTP) and the preload all
 * derive their types from this object, so a call cannot exist in one transport and not the other.
 */
import { z } from 'zod';
import type { AccountRow, AppStatus, Page } from './dto/core.ts';
import type { ApiEvent } from './events.ts';
import type { ApiResult } from './result.ts';

export type { ApiResult, ApiError } from './result.ts';
export type { ApiEvent } from './events.ts';

/** Pairs an input schema with the TypeScript type of the value the call resolves to. */
const returns =
  <Output>() =>
  <Input extends z.ZodType>(input: Input) => ({ input, output: undefined as unknown as Output });

const empty = z.object({}).strict();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const id = z.string().min(1).max(200);
const paging = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) };

export const schemas = { empty, isoDate, id, paging };

export const apiContract = {
  // --- core ---
  'app.status': returns<AppStatus>()(empty),
  'demo.load': returns<AppStatus>()(z.object({ accounts: z.number().int().min(1).max(50_000).default(400), seed: z.number().int().default(42) }).strict()),
  'demo.clear': returns<AppStatus>()(empty),
  'accounts.list': returns<Page<AccountRow>>()(
    z.object({ search: z.string().max(200).default(''), ...paging }).strict(),
  ),

  // --- sync ---

  // --- risk ---

  // --- outreach ---

  // --- interventions ---

  // --- desktop ---
} as const;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
export type ApiInput<M extends ApiMethod> = z.input<ApiContract[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<ApiContract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = ApiContract[M]['output'];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiContract, name);
}

/** What the preload exposes as `window.foresight`, and what the HTTP client implements. */
export interface ForesightApi {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiResult<ApiOutput<M>>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Which transport is in use; the web preview cannot show native dialogs. */
  readonly transport: 'ipc' | 'http';
}

/** IPC channel names, shared by main and preload. */
export const IPC_CALL = 'foresight:call';
export const IPC_EVENT = 'foresight:event';
