/** SQL for feed sources, their per-kind cursors and the outbox. */
import type { RecordKind } from '../../shared/dto/core.ts';
import type { SourceStatus } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';

export interface SourceRow {
  name: string;
  url: string;
  token_ref: string | null;
  status: SourceStatus;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  failures: number;
  next_retry_at: string | null;
  created_at: string;
}

export interface CursorRow {
  cursor: string | null;
  etag: string | null;
}

/** An interventions row plus the version the outbox acknowledges and its risk item's firing day. */
export type PendingIntervention = Record<string, unknown> & {
  intervention_id: string;
  _version: string;
  _first_fired_on: string | null;
};

/** One item of the outbox: its id and version (what the source acknowledges) and the body sent. */
export interface OutboxItem {
  id: string;
  version: string;
  item: Record<string, unknown>;
}

export interface SourceOutcome {
  status: SourceStatus;
  attemptAt: string;
  successAt: string | null;
  error: string | null;
  failures: number;
  nextRetryAt: string | null;
}

export const feedRepo = perConnection((db: Db) => {
  const all = db.prepare<[], SourceRow>('SELECT * FROM sync_sources ORDER BY name');
  const one = db.prepare<[string], SourceRow>('SELECT * FROM sync_sources WHERE name = ?');
  const insert = db.prepare<[string, string, string | null, string]>(
    'INSERT INTO sync_sources (name, url, token_ref, created_at) VALUES (?, ?, ?, ?)',
  );
  const update = db.prepare<[string, string | null, string]>(
    'UPDATE sync_sources SET url = ?, token_ref = ? WHERE name = ?',
  );
  const remove = db.prepare<[string]>('DELETE FROM sync_sources WHERE name = ?');
  const outcome = db.prepare<[string, string, string | null, string | null, number, string | null, string]>(
    `UPDATE sync_sources SET status = ?, last_attempt_at = ?, last_success_at = coalesce(?, last_success_at), last_error = ?, failures = ?, next_retry_at = ? WHERE name = ?`,
  );
  const cursor = db.prepare<[string, RecordKind], CursorRow>(
    'SELECT cursor, etag FROM sync_cursors WHERE source = ? AND kind = ?',
  );
  const saveCursor = db.prepare<[string, RecordKind, string | null, string | null, string]>(
    `INSERT INTO sync_cursors (source, kind, cursor, etag, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (source, kind) DO UPDATE SET cursor = excluded.cursor, etag = excluded.etag, updated_at = excluded.updated_at`,
  );
  const resetCursors = db.prepare<[string]>('DELETE FROM sync_cursors WHERE source = ?');
  const resetOutbox = db.prepare<[string]>('DELETE FROM sync_outbox WHERE source = ?');
  // An intervention is pending for a source until the source has acknowledged its current version:
  // the later of its own updated_at and its outcome's (when the interventions capability keeps
  // outcomes in their own table), so a newly evaluated outcome is sent again too.
  const hasOutcomes =
    db
      .prepare(
        "SELECT 1 FROM pragma_table_info('intervention_outcomes') WHERE name IN ('intervention_id', 'updated_at')",
      )
      .all().length === 2;
  const version = hasOutcomes ? 'max(i.updated_at, coalesce(io.updated_at, i.updated_at))' : 'i.updated_at';
  const pendingFrom = `FROM interventions i
     ${hasOutcomes ? 'LEFT JOIN intervention_outcomes io ON io.intervention_id = i.intervention_id' : ''}
     LEFT JOIN sync_outbox o ON o.source = @source AND o.intervention_id = i.intervention_id
     WHERE o.intervention_id IS NULL OR o.pushed_updated_at IS NOT ${version}`;
  const pendingCount = db.prepare<{ source: string }, number>(`SELECT count(*) ${pendingFrom}`).pluck();
  const pendingBatch = db.prepare<{ source: string; limit: number }, PendingIntervention>(
    `SELECT i.*, ${version} AS _version,
       (SELECT r.first_fired_on FROM risk_items r WHERE r.item_id = i.risk_item_id) AS _first_fired_on ${pendingFrom} ORDER BY ${version}, i.intervention_id LIMIT @limit`,
  );
  const interventionOutcome = hasOutcomes
    ? db.prepare<[string], Record<string, unknown>>('SELECT * FROM intervention_outcomes WHERE intervention_id = ?')
    : null;
  const acknowledge = db.prepare<[string, string, string, string]>(
    `INSERT INTO sync_outbox (source, intervention_id, pushed_updated_at, pushed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (source, intervention_id) DO UPDATE SET pushed_updated_at = excluded.pushed_updated_at, pushed_at = excluded.pushed_at`,
  );
  return {
    list: (): SourceRow[] => all.all(),
    get: (name: string): SourceRow | undefined => one.get(name),
    add: (name: string, url: string, tokenRef: string | null, createdAt: string) =>
      void insert.run(name, url, tokenRef, createdAt),
    update: (name: string, url: string, tokenRef: string | null) => void update.run(url, tokenRef, name),
    remove: (name: string): boolean => remove.run(name).changes > 0,
    recordOutcome: (name: string, o: SourceOutcome) =>
      void outcome.run(o.status, o.attemptAt, o.successAt, o.error, o.failures, o.nextRetryAt, name),
    cursor: (source: string, kind: RecordKind): CursorRow | undefined => cursor.get(source, kind),
    saveCursor: (source: string, kind: RecordKind, value: string | null, etag: string | null, at: string) =>
      void saveCursor.run(source, kind, value, etag, at),
    /** A changed URL is a different feed: its cursors and acknowledgements no longer apply. */
    forgetProgress: (source: string) => {
      resetCursors.run(source);
      resetOutbox.run(source);
    },
    pendingCount: (source: string): number => pendingCount.get({ source }) ?? 0,
    pendingBatch: (source: string, limit: number) => pendingBatch.all({ source, limit }),
    /** The intervention's evaluated outcome, when the interventions capability has one. */
    outcomeOf: (interventionId: string): Record<string, unknown> | null =>
      interventionOutcome?.get(interventionId) ?? null,
    acknowledge: (source: string, interventionId: string, updatedAt: string, at: string) =>
      void acknowledge.run(source, interventionId, updatedAt, at),
  };
});

export type FeedRepo = ReturnType<typeof feedRepo>;
