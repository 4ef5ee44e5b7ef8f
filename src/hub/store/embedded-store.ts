/**
 * The hub's store embedded in the process: PGlite (PostgreSQL 17 in WebAssembly) keeping its files
 * in a directory. One process at a time may open a directory (PGlite has no server); the running
 * hub is therefore the only writer, and `hub user add --embedded DIR` talks to it (admin-door.ts).
 * Bulk loads use PGlite's `COPY … FROM '/dev/blob'`, which reads CSV from an in-memory Blob.
 */
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { HubQuery, HubStore } from './store.ts';

const txOf = new WeakMap<HubQuery, Transaction>();

async function collect(rows: AsyncIterable<string> | Iterable<string>): Promise<string[]> {
  const parts: string[] = [];
  for await (const part of rows) parts.push(part);
  return parts;
}

/**
 * The team's whole book and its users' token hashes are in these files, and PGlite writes them
 * 0666 whatever the umask: the directory is made the owner's alone (0700) before PGlite opens it,
 * so no other account on the machine can read or rewrite them, and the files it has written are
 * made 0600 / 0700 too (a copy that keeps modes stays private).
 */
function keepPrivate(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) keepPrivate(path);
    else if (entry.isFile()) chmodSync(path, 0o600);
  }
}

export async function openEmbeddedStore(dataDir: string): Promise<HubStore> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const db = await PGlite.create(dataDir);
  keepPrivate(dataDir);
  const copy = async (
    runner: Pick<Transaction, 'query'>,
    table: string,
    columns: readonly string[],
    rows: AsyncIterable<string> | Iterable<string>,
  ) => {
    const blob = new Blob(await collect(rows));
    const result = await runner.query(
      `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`,
      [],
      { blob },
    );
    return result.affectedRows ?? 0;
  };
  return {
    kind: 'embedded',
    query: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await db.query<T>(sql, params as unknown[])).rows,
    exec: async (sql) => void (await db.exec(sql)),
    transaction: (fn) =>
      db.transaction(async (tx) => {
        const wrapped: HubQuery = {
          query: async <T>(sql: string, params: readonly unknown[] = []) =>
            (await tx.query<T>(sql, params as unknown[])).rows,
        };
        txOf.set(wrapped, tx);
        return fn(wrapped);
      }),
    copyCsv: (table, columns, rows, tx) => copy((tx && txOf.get(tx)) ?? db, table, columns, rows),
    close: () => db.close(),
  };
}
