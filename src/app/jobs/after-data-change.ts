import type { Db } from '../../domain/db/open.ts';
import type { JobProgress } from './registry.ts';

/**
 * Work that must follow any change to account data (an import, a feed sync, the demo book):
 * rescoring the changed accounts, evaluating intervention outcomes. Each capability appends its
 * step here, so the importers need not know who depends on their data. Steps run in order inside
 * the same job (and so off the UI thread).
 */
export interface DataChange {
  /** Accounts whose records changed; null means "everything" (e.g. a new day or a cleared book). */
  accountIds: readonly string[] | null;
  asOf: string;
  /** The first day whose data changed (YYYY-MM-DD); null or absent: any day may have. */
  since?: string | null;
}

export type AfterDataChangeStep = {
  name: string;
  /** `progress`: the job's own, so a step that takes a while shows on the job's bar. */
  run(db: Db, change: DataChange, progress: (p: JobProgress) => void): unknown;
};

export const afterDataChangeSteps: AfterDataChangeStep[] = [];

export function runAfterDataChange(
  db: Db,
  change: DataChange,
  progress: (p: JobProgress) => void = () => undefined,
): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  for (const step of afterDataChangeSteps) results[step.name] = step.run(db, change, progress);
  return results;
}
