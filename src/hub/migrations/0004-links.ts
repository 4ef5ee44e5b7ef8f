import type { HubMigration } from './migrate.ts';

/**
 * Warehouse tables read in place (`hub link`): which relation each kind is read from and how its
 * columns map to the contract's fields. `hub link` makes the views in schema hub_linked;
 * `hub_account_owners` answers "whose account is this" for pushes and scopes: the loaded
 * accounts, or the linked ones once accounts are linked. A link's version goes into its
 * feed cursors, so linking again makes every app read the kind again.
 */
export const migration0004: HubMigration = {
  version: 4,
  name: 'links',
  sql: `
    CREATE SCHEMA hub_linked;
    CREATE SEQUENCE hub_link_version;
    CREATE TABLE hub_links (
      kind      text PRIMARY KEY CHECK (kind IN ('accounts', 'contacts', 'metrics', 'events')),
      relation  text NOT NULL,
      columns   jsonb NOT NULL,
      version   bigint NOT NULL,
      linked_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE VIEW hub_account_owners AS SELECT account_id, owner_email FROM accounts;
  `,
};
