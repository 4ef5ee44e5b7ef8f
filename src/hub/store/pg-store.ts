/** The hub's store on a real PostgreSQL server: a small `pg` Pool; bulk loads through COPY FROM STDIN. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { HubQuery, HubStore } from './store.ts';

type Client = pg.PoolClient;
const clientOf = new WeakMap<HubQuery, Client>();

function wrap(client: Client): HubQuery {
  const tx: HubQuery = {
    query: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await client.query(sql, params as unknown[])).rows as T[],
  };
  clientOf.set(tx, client);
  return tx;
}

export async function openPgStore(url: string, options: { max?: number } = {}): Promise<HubStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 8, application_name: 'foresight-hub' });
  // An idle client's network error must not crash the hub; the next query reports it instead.
  pool.on('error', () => {});
  // Fail now, with the driver's sentence, rather than on the first request.
  const probe = await pool.connect();
  probe.release();

  const withClient = async <T>(fn: (client: Client) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  };

  const copyInto = async (
    client: Client,
    table: string,
    columns: readonly string[],
    rows: AsyncIterable<string> | Iterable<string>,
  ) => {
    const stream = client.query(
      copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`),
    );
    await pipeline(Readable.from(rows), stream);
    return Number(stream.rowCount ?? 0);
  };

  return {
    kind: 'pg',
    query: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await pool.query(sql, params as unknown[])).rows as T[],
    exec: async (sql) => void (await pool.query(sql)),
    transaction: (fn) =>
      withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await fn(wrap(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      }),
    copyCsv: (table, columns, rows, tx) => {
      const client = tx ? clientOf.get(tx) : undefined;
      return client ? copyInto(client, table, columns, rows) : withClient((c) => copyInto(c, table, columns, rows));
    },
    close: () => pool.end(),
  };
}
