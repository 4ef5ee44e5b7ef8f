import type { Migration } from '../migration.ts';

/**
 * Tier-2 steps sent by rule (issue 17 item 2): a task copies its step's "send automatically when
 * due" flag when the checklist is materialised (like the rest of the step, so a later playbook edit
 * changes new items only), and keeps, while it waits, the sentence saying why the rule has not sent
 * it yet (outside working hours, the fatigue cap, no contact with an email address…).
 */
export const migration0021: Migration = {
  version: 21,
  name: 'playbook rule sends',
  up(db) {
    db.exec(`
      ALTER TABLE playbook_tasks ADD COLUMN auto_send INTEGER NOT NULL DEFAULT 0 CHECK (auto_send IN (0, 1));
      ALTER TABLE playbook_tasks ADD COLUMN rule_wait TEXT;
    `);
  },
};
