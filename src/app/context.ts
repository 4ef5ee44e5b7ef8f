import type { Db } from '../domain/db/open.ts';
import type { ApiEvent } from '../shared/events.ts';
import type { SecretStore } from '../domain/secrets/secret-store.ts';
import type { JobRunner } from './jobs/runner.ts';
import type { NativeBridge } from './native.ts';

/** What every handler and service is given: the open database and the ways to reach the outside. */
export interface AppContext {
  db: Db;
  dbPath: string;
  /** Injected so that "today" is a parameter in tests and reproducible evaluations. */
  now(): Date;
  emit(event: ApiEvent): void;
  jobs: JobRunner;
  /** Feed tokens: safeStorage in the app, environment variables in the CLI and web preview. */
  secrets: SecretStore;
  /** Native dialogs; null outside the desktop app. */
  native: NativeBridge | null;
  /** The app's log for failures: the redacted main.log in the desktop app, stderr elsewhere. */
  log(message: string): void;
}
