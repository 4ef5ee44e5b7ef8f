/**
 * After scoring, colleagues' item actions already in the log are applied to the items scoring has
 * just opened (docs/feed-protocol.md, "Merge rules"): a first sync pulls the actions before the
 * accounts are scored, and the snooze must still show.
 */
import type { Db } from '../../domain/db/open.ts';
import { applyLoggedActions } from '../../domain/item-actions/merge.ts';
import { afterDataChangeSteps, type DataChange } from './after-data-change.ts';

const STEP = 'item-actions.apply';

if (!afterDataChangeSteps.some((step) => step.name === STEP)) {
  const step = {
    name: STEP,
    run: (db: Db, change: DataChange) =>
      db.transaction(() => applyLoggedActions(db, change.accountIds, new Date().toISOString()))(),
  };
  const scoring = afterDataChangeSteps.findIndex((s) => s.name === 'risk.rescore');
  afterDataChangeSteps.splice(scoring >= 0 ? scoring + 1 : afterDataChangeSteps.length, 0, step);
}
