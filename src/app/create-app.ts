import { closeDatabase, openDatabase } from '../domain/db/open.ts';
import { environmentSecretStore, type SecretStore } from '../domain/secrets/secret-store.ts';
import type { ApiEvent } from '../shared/events.ts';
import type { AppContext } from './context.ts';
import type { NativeBridge } from './native.ts';
import { createDispatcher, type Dispatch } from './dispatcher.ts';
import { handlers } from './handlers/index.ts';
import { withHistoryFill } from './jobs/history-after.ts';
import { workerJobRunner, type JobRunner } from './jobs/runner.ts';

export interface App {
  ctx: AppContext;
  dispatch: Dispatch;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  close(): void;
}

export interface CreateAppOptions {
  dbPath: string;
  create?: boolean;
  createParents?: boolean;
  now?: () => Date;
  jobs?: JobRunner;
  /** Fill score history in the background after jobs that store a ranked list. Default: when `jobs` is not given. */
  historyInBackground?: boolean;
  secrets?: SecretStore;
  native?: NativeBridge;
  /** How long an API call waits for another writer (an import, a sync) before answering DB_BUSY. */
  busyWaitMs?: number;
  /** Where failures are written; console.error by default (routed to the redacted log in Electron). */
  log?: (message: string) => void;
}

/** Wires the domain to a dispatcher. Electron main and the web preview both start here. */
export function createApp(options: CreateAppOptions): App {
  const { db, path } = openDatabase(options.dbPath, {
    create: options.create ?? true,
    createParents: options.createParents ?? false,
  });
  const listeners = new Set<(event: ApiEvent) => void>();
  const ctx: AppContext = {
    db,
    dbPath: path,
    now: options.now ?? (() => new Date()),
    emit: (event) => listeners.forEach((listener) => listener(event)),
    jobs: options.jobs ?? workerJobRunner(path),
    secrets: options.secrets ?? environmentSecretStore(),
    native: options.native ?? null,
    log: options.log ?? ((message) => console.error(message)),
  };
  // The rest of the book's score history after each ranked list, in the background (history-after.ts).
  const history = (options.historyInBackground ?? options.jobs === undefined) ? withHistoryFill(ctx.jobs, ctx) : null;
  if (history) ctx.jobs = history;
  return {
    ctx,
    dispatch: createDispatcher(handlers, ctx, undefined, { busyWaitMs: options.busyWaitMs }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      history?.stop();
      closeDatabase(db);
    },
  };
}
