import type { Migration } from '../migration.ts';

/**
 * imported_outcomes.fatigue_override: the outcome export carries whether a touch was logged with
 * force past the contact-fatigue cap (interventions.fatigue_override, migration 11), so a team
 * lead's merged rows keep it too. Null: not known (a control row, or a file exported before the
 * column existed).
 */
export const migration0016: Migration = {
  version: 16,
  name: 'imported fatigue override',
  up(db) {
    db.exec(`ALTER TABLE imported_outcomes ADD COLUMN fatigue_override INTEGER CHECK (fatigue_override IN (0, 1));`);
  },
};
