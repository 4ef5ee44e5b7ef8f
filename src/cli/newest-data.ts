/**
 * The book's newest data day for a one-shot command: from the day's current snapshot when there is
 * one (staleness.ts, a light module), else from the book through newestDataOn (rescore.ts), whose
 * scoring code is loaded only then. In the CLI bundle that import is a chunk of its own; the
 * desktop app, which loads everything anyway, calls newestDataOn directly.
 */
import type { Db } from '../domain/db/open.ts';
import { snapshotNewestData } from '../domain/risk/staleness.ts';

export async function newestDataOnLazily(db: Db, day: string): Promise<string | null> {
  return snapshotNewestData(db, day) ?? (await import('../domain/risk/rescore.ts')).newestDataOn(db, day);
}
