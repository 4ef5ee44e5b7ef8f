/** The stored churn models (migration 9), as prepared statements created once per connection. */
import type { Db } from '../../db/open.ts';
import type { ModelMethod } from './fit.ts';

export interface ModelRow {
  model_id: number;
  as_of: string;
  signature: string;
  method: ModelMethod;
  model_json: string;
  report_json: string;
  config_version: number;
  created_at: string;
}

function build(db: Db) {
  return {
    insert: db.prepare<Omit<ModelRow, 'model_id'>>(
      `INSERT INTO risk_models (as_of, signature, method, model_json, report_json, config_version, created_at)
       VALUES (@as_of, @signature, @method, @model_json, @report_json, @config_version, @created_at)`,
    ),
    exact: db.prepare<[string, string], ModelRow>(
      'SELECT * FROM risk_models WHERE as_of = ? AND signature = ? ORDER BY model_id DESC LIMIT 1',
    ),
    atOrBefore: db.prepare<[string], ModelRow>(
      'SELECT * FROM risk_models WHERE as_of <= ? ORDER BY as_of DESC, model_id DESC LIMIT 1',
    ),
    latest: db.prepare<[], ModelRow>('SELECT * FROM risk_models ORDER BY as_of DESC, model_id DESC LIMIT 1'),
  };
}

const cache = new WeakMap<Db, ReturnType<typeof build>>();

export function modelRepo(db: Db) {
  let s = cache.get(db);
  if (!s) {
    s = build(db);
    cache.set(db, s);
  }
  const statements = s;
  return {
    insert: (row: Omit<ModelRow, 'model_id'>): number => Number(statements.insert.run(row).lastInsertRowid),
    exact: (asOf: string, signature: string): ModelRow | null => statements.exact.get(asOf, signature) ?? null,
    atOrBefore: (asOf: string): ModelRow | null => statements.atOrBefore.get(asOf) ?? null,
    latest: (): ModelRow | null => statements.latest.get() ?? null,
  };
}
