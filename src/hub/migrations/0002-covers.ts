import type { HubMigration } from './migrate.ts';

/**
 * A CSM may cover colleagues' books (a pod sharing accounts, a holiday cover): their scope is their
 * own accounts and those owned by each email they cover. The covered email need not be a hub user
 * yet (a loaded book's owners are not).
 */
export const migration0002: HubMigration = {
  version: 2,
  name: 'covers',
  sql: `
    CREATE TABLE hub_covers (
      email        text NOT NULL REFERENCES hub_users (email) ON DELETE CASCADE,
      covers_email text NOT NULL,
      PRIMARY KEY (email, covers_email)
    );
  `,
};
