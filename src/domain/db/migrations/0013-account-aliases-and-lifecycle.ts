import type { Migration } from '../migration.ts';

/**
 * Presets (docs/sync.md, "Matching accounts across sources"):
 *
 * - `account_aliases` remembers how another system names an account: a Stripe customer id, an
 *   analytics group id, a company domain (source `domain`). A match found once by domain or name is
 *   kept here, shown on the Sync screen and editable, so the next import matches by alias.
 * - Lifecycle as events: the newest `churned` or `reactivated` event of an account decides its
 *   status and churned_at, so an account can leave and come back. The risk code keeps reading
 *   accounts.status and churned_at as before.
 */
const LATEST_LIFECYCLE = `(SELECT type || ' ' || substr(occurred_at, 1, 10) FROM events
    WHERE account_id = NEW.account_id AND type IN ('churned', 'reactivated')
    ORDER BY occurred_at DESC, type = 'reactivated' DESC LIMIT 1)`;

function lifecycleTrigger(event: 'INSERT' | 'UPDATE'): string {
  return `
    CREATE TRIGGER events_lifecycle_on_${event.toLowerCase()}
    AFTER ${event} ON events WHEN NEW.type IN ('churned', 'reactivated')
    BEGIN
      UPDATE accounts SET
        status = CASE WHEN ${LATEST_LIFECYCLE} LIKE 'churned %' THEN 'churned' ELSE 'active' END,
        churned_at = CASE WHEN ${LATEST_LIFECYCLE} LIKE 'churned %' THEN substr(${LATEST_LIFECYCLE}, 9) ELSE NULL END
      WHERE account_id = NEW.account_id
        AND (status, churned_at) IS NOT (
          CASE WHEN ${LATEST_LIFECYCLE} LIKE 'churned %' THEN 'churned' ELSE 'active' END,
          CASE WHEN ${LATEST_LIFECYCLE} LIKE 'churned %' THEN substr(${LATEST_LIFECYCLE}, 9) ELSE NULL END);
    END;`;
}

export const migration0013: Migration = {
  version: 13,
  name: 'account aliases and lifecycle events',
  up(db) {
    db.exec(`
      CREATE TABLE account_aliases (
        source     TEXT NOT NULL,
        alias      TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        rule       TEXT NOT NULL CHECK (rule IN ('id', 'domain', 'name', 'manual')),
        created_at TEXT NOT NULL,
        PRIMARY KEY (source, alias)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX account_aliases_account ON account_aliases (account_id);
    `);
    db.exec(lifecycleTrigger('INSERT'));
    db.exec(lifecycleTrigger('UPDATE'));
  },
};
