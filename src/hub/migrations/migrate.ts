/**
 * The hub's schema migrations, as for the app's SQLite file: one file per version, each applied in
 * its own transaction together with the new `schema_version` in `hub_meta`, and a database newer
 * than this hub is refused rather than guessed at.
 */
import { UserFacingError } from '../../domain/errors.ts';
import type { HubStore } from '../store/store.ts';
import { HUB_MIGRATIONS } from './index.ts';

export interface HubMigration {
  version: number;
  name: string;
  sql: string;
}

export async function hubSchemaVersion(store: HubStore): Promise<number> {
  await store.exec('CREATE TABLE IF NOT EXISTS hub_meta (key text PRIMARY KEY, value text NOT NULL)');
  const rows = await store.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'schema_version'");
  return rows[0] ? Number(rows[0].value) : 0;
}

/** Brings the schema to the latest version; returns the versions applied. */
export async function migrateHub(
  store: HubStore,
  migrations: readonly HubMigration[] = HUB_MIGRATIONS,
): Promise<number[]> {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = await hubSchemaVersion(store);
  if (current > latest)
    throw new UserFacingError(
      'HUB_SCHEMA_NEWER',
      `This hub database has schema version ${current}, newer than this Foresight (${latest}); update Foresight to open it.`,
    );
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await store.transaction(async (tx) => {
      // Two hubs starting at once on one server: the second waits here, then finds the work done.
      await tx.query('SELECT pg_advisory_xact_lock(7250001)');
      const now = await tx.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'schema_version'");
      if (now[0] && Number(now[0].value) >= migration.version) return;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query(
        `INSERT INTO hub_meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(migration.version)],
      );
      applied.push(migration.version);
    });
  }
  return applied;
}

/** Comments go first; migration SQL holds no semicolons inside strings or bodies, so it splits on `;`. */
function splitStatements(sql: string): string[] {
  return sql
    .replace(/--.*$/gm, '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
