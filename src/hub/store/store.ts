/**
 * The hub's one door to PostgreSQL. Two implementations answer it: a real server through a `pg`
 * Pool (pg-store.ts) and PGlite, PostgreSQL compiled to WebAssembly, in a directory
 * (embedded-store.ts). Everything above this file is written once against this interface, so the
 * same SQL, migrations and tests run on both.
 */

export interface HubQuery {
  /** One statement with $1… parameters; returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface HubStore extends HubQuery {
  readonly kind: 'pg' | 'embedded';
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: HubQuery) => Promise<T>): Promise<T>;
  /**
   * Bulk-loads CSV text (with a header line) into `table (columns…)`: PostgreSQL `COPY FROM STDIN`
   * on a server, PGlite's `COPY FROM '/dev/blob'` embedded. Runs inside `tx` when given.
   */
  copyCsv(
    table: string,
    columns: readonly string[],
    rows: AsyncIterable<string> | Iterable<string>,
    tx?: HubQuery,
  ): Promise<number>;
  close(): Promise<void>;
}
