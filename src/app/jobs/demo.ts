/**
 * The demo book as a new user first sees it: generated accounts, scored and ranked like real data,
 * with a history of past interventions so Outcomes has something true to show.
 */
import type { Db } from '../../domain/db/open.ts';
import { clearDemoBook } from '../../domain/demo/clear.ts';
import { loadDemoBook } from '../../domain/demo/load.ts';
import { loadDemoInterventionHistory } from '../../domain/interventions/demo-history.ts';
import { runAfterDataChange } from './after-data-change.ts';
import { rankingChange } from './risk.ts';
import type { JobFn } from './registry.ts';

export interface DemoLoadPayload {
  accounts: number;
  seed: number;
  asOf: string;
}

export const demoJobs = {
  'demo.load': ((db, payload: DemoLoadPayload, progress) => {
    const label = 'Generating demo accounts';
    const book = loadDemoBook(db, {
      ...payload,
      onProgress: (processed, total) => progress({ processed, total, label, done: false }),
    });
    // The history rewrites payment events (its planted effect) before the book is scored: the book's
    // fingerprint does not see event rows, so a day scored before them would keep describing a book
    // that no longer exists, and its next rescore (after the snapshot is pruned) would differ.
    progress({ processed: 0, total: null, label: 'Replaying past interventions' });
    const history = loadDemoInterventionHistory(db, { asOf: payload.asOf, now: new Date() });
    const after = runAfterDataChange(db, { accountIds: null, asOf: payload.asOf }, progress);
    return {
      ...book,
      interventions: history.interventions,
      controlOutcomes: history.control,
      ranking: rankingChange(after),
    };
  }) satisfies JobFn<DemoLoadPayload, unknown>,

  'demo.clear': ((db: Db, payload: { asOf: string }, progress) => {
    const removed = clearDemoBook(db);
    // Rankings and snapshots must not keep showing accounts that are gone.
    runAfterDataChange(db, { accountIds: null, asOf: payload.asOf }, progress);
    return removed;
  }) satisfies JobFn<{ asOf: string }, unknown>,
} as const;
