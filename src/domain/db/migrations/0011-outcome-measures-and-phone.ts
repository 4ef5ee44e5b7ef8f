import type { Migration } from '../migration.ts';

/**
 * What the outcome report and the hand-offs need (docs/interventions.md):
 *
 * - contacts.phone: SMS drafts go to a phone number, never to an email address;
 * - interventions.replied_at: a reply logged on the intervention, for the response rate;
 * - interventions.fatigue_override: logged with --force past the fatigue cap, recorded so the
 *   override is visible later;
 * - imported_outcomes.manual / replied: merged rows keep whether their verdict was set by hand
 *   (left out of the uplift by default) and whether the customer replied;
 * - imported_outcomes.tickets_31_60d / tickets_61_90d: inbound tickets later after the start, for
 *   the deflection over time.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'outcome measures and contact phone',
  up(db) {
    db.exec(`
      ALTER TABLE contacts ADD COLUMN phone TEXT;
      ALTER TABLE interventions ADD COLUMN replied_at TEXT;
      ALTER TABLE interventions ADD COLUMN fatigue_override INTEGER NOT NULL DEFAULT 0 CHECK (fatigue_override IN (0, 1));
      ALTER TABLE imported_outcomes ADD COLUMN manual INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1));
      ALTER TABLE imported_outcomes ADD COLUMN replied INTEGER CHECK (replied IN (0, 1));
      ALTER TABLE imported_outcomes ADD COLUMN tickets_31_60d INTEGER;
      ALTER TABLE imported_outcomes ADD COLUMN tickets_61_90d INTEGER;
    `);
  },
};
