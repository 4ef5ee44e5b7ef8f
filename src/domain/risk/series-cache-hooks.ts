/**
 * What every metrics writer calls so that the series cache (series-cache.ts, migration 22) and the
 * book's first metric day never say something the metrics table does not. Light on purpose: the
 * ingest writer imports it, and a first import (no cache yet) pays one probe per batch.
 *
 * - forgetWrittenMetrics: the ingest writer, after each batch of metric rows it wrote (files, feed
 *   and hub syncs, quarantine fixes). A row dated after its series' cached last day is picked up by
 *   the next read's seek; any other row (an older day, or a series the cache does not hold) drops
 *   its account's cached series. UPDATE and DELETE are the migration's triggers' job.
 * - forgetSeriesCache: writers that replace many accounts' data at once (the demo loader), which
 *   then keep the first day they know (keepFirstMetricDay).
 * - firstMetricDay: `SELECT min(date) FROM metrics` walks the whole table (the key starts with the
 *   account), so its answer is kept in app_meta, found by the writer's first batch when none is
 *   kept (a first load: the table then holds about that batch), lowered by later ones and
 *   forgotten by the triggers when a row on or before it goes.
 * - metricsWritten: a number both calls move, so a reader can tell that metric rows were written
 *   without counting them (the outcomes' data fingerprint, app/jobs/outcomes.ts; a count walks
 *   29 million rows at 50,000 accounts).
 */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';

export const FIRST_METRIC_DAY_KEY = 'series.first_metric_day';
export const METRICS_WRITTEN_KEY = 'series.metrics_written';

const statements = perConnection((db: Db) => ({
  anyCached: db.prepare<[], number>('SELECT 1 FROM series_cache LIMIT 1').pluck(),
  // Rows as the writer's JSON batches hold them: [account_id, metric, contact_id, date, value].
  forgetTouched: db.prepare<[string]>(
    `DELETE FROM series_cache WHERE account_id IN (
       SELECT j.value ->> 0 FROM json_each(?) j
       WHERE NOT EXISTS (SELECT 1 FROM series_cache c CROSS JOIN json_each(c.series) k
         WHERE c.account_id = j.value ->> 0 AND k.value ->> 0 = j.value ->> 1 AND k.value ->> 1 = j.value ->> 2 AND k.value ->> 5 < j.value ->> 3))`,
  ),
  forgetAll: db.prepare('DELETE FROM series_cache'),
  firstDay: db.prepare<[], string>(`SELECT value FROM app_meta WHERE key = '${FIRST_METRIC_DAY_KEY}'`).pluck(),
  lowerFirstDay: db.prepare<[string, string]>(
    `UPDATE app_meta SET value = ? WHERE key = '${FIRST_METRIC_DAY_KEY}' AND value > ?`,
  ),
  storeFirstDay: db.prepare<[string]>(
    `INSERT INTO app_meta (key, value) VALUES ('${FIRST_METRIC_DAY_KEY}', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ),
  forgetFirstDay: db.prepare(`DELETE FROM app_meta WHERE key = '${FIRST_METRIC_DAY_KEY}'`),
  scanFirstDay: db.prepare<[], string | null>('SELECT min(date) FROM metrics').pluck(),
  markWritten: db.prepare(
    `INSERT INTO app_meta (key, value) VALUES ('${METRICS_WRITTEN_KEY}', '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`,
  ),
}));

/**
 * After the ingest writer wrote a batch: `json` its rows in database column order (or at least
 * account_id, metric, contact_id and the earliest date of each series), `firstDay` the
 * first day they date (null: unknown). Other kinds of record leave the metrics alone.
 */
export function forgetWrittenMetrics(
  db: Db,
  kind: string,
  json: string | (() => string),
  firstDay: string | null,
): void {
  if (kind !== 'metrics') return;
  const s = statements(db);
  s.markWritten.run();
  if (firstDay === null) s.forgetFirstDay.run();
  // None kept (a first load into an empty table): found now, while the table holds about this
  // batch, not by a scan of every row at the first scoring (2.3 CPU-s at 50,000 accounts, issue 13).
  else if (s.firstDay.get() === undefined) firstMetricDay(db);
  else s.lowerFirstDay.run(firstDay, firstDay);
  // `json` may be made on demand: a first load has no cache to check (ingest/metric-series.ts).
  if (s.anyCached.get() === 1) s.forgetTouched.run(typeof json === 'string' ? json : json());
}

/** After a bulk write of metrics by another path than the ingest writer: nothing cached is trusted. */
export function forgetSeriesCache(db: Db): void {
  const s = statements(db);
  s.forgetAll.run();
  s.forgetFirstDay.run();
  s.markWritten.run();
}

/**
 * The first metric day as kept, or undefined when none is kept (no scan). A writer reads it before
 * a bulk write it knows the first day of, to keep the book's first day after it (keepFirstMetricDay).
 */
export function keptFirstMetricDay(db: Db): string | undefined {
  return statements(db).firstDay.get();
}

/** Keeps `day` as the book's first metric day: only for a writer that knows no row is earlier. */
export function keepFirstMetricDay(db: Db, day: string): void {
  statements(db).storeFirstDay.run(day);
}

/** The first day of any metric row (YYYY-MM-DD), null when there is none: kept, else scanned once and kept. */
export function firstMetricDay(db: Db): string | null {
  const s = statements(db);
  const kept = s.firstDay.get();
  if (kept !== undefined) return kept;
  const first = s.scanFirstDay.get() ?? null;
  // Kept where the connection may write; a read-only caller just scans again next time.
  if (first !== null && !db.readonly) {
    try {
      s.storeFirstDay.run(first);
    } catch {
      // Another writer holds the lock past the busy timeout: the answer stands, unkept.
    }
  }
  return first;
}
