import type { Migration } from '../migration.ts';

/**
 * Playbook tasks (issue 17 item 2): a risk item's checklist, materialised from its trigger's
 * playbook when the item opens. One row per step (`UNIQUE (item_id, step_no)`, so materialising
 * twice adds nothing), with its tier, owner, template and due day copied in: editing a playbook
 * later changes new items, never a checklist already given. Completing or skipping records who and
 * when; the tasks of an item that closes become `closed`. Deleting the item deletes its tasks.
 */
export const migration0018: Migration = {
  version: 18,
  name: 'playbook tasks',
  up(db) {
    db.exec(`
      CREATE TABLE playbook_tasks (
        task_id         INTEGER PRIMARY KEY,
        item_id         INTEGER NOT NULL REFERENCES risk_items (item_id) ON DELETE CASCADE,
        step_no         INTEGER NOT NULL CHECK (step_no >= 1),
        tier            INTEGER NOT NULL CHECK (tier IN (1, 2, 3)),
        title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        owner           TEXT NOT NULL,
        template_id     TEXT,
        due_on          TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped', 'closed')),
        done_by         TEXT,
        done_at         TEXT,
        note            TEXT,
        mail_id         TEXT,
        intervention_id TEXT,
        created_at      TEXT NOT NULL,
        UNIQUE (item_id, step_no)
      ) STRICT;
      CREATE INDEX playbook_tasks_due ON playbook_tasks (status, due_on);
    `);
  },
};
