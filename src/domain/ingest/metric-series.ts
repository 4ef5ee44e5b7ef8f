/**
 * Proven metrics rows handed from the CSV worker (csv-worker.ts) to the importer's thread as series:
 * runs of rows that share account_id, metric and contact_id, with their dates in one string and
 * their values in a Float64Array. The writer binds each run's key once and its dates and values row
 * by row (repo.ts, runSeriesBatch).
 *
 * Why: the rows as a JSON array read by `jsonb_each` cost SQLite ≈ 0.82 µs a row at 5,000 accounts
 * (parsing the JSON and five `->>` a row), against ≈ 0.6 µs for the same rows bound as series,
 * and the worker no longer writes the JSON (docs/performance.md, "The import's own part, fourth
 * round"). The rows a batch holds are exactly those of the JSON array, in the same order.
 */
import type { MetricDbRow } from './metric-rows.ts';

export interface MetricSeriesBatch {
  /** account_id, metric and contact_id of each run, one run after another. */
  keys: string[];
  /** How many rows each run holds. */
  lengths: Int32Array;
  /** Every row's date (YYYY-MM-DD, DAY_CHARS characters), one after another, in row order. */
  dates: string;
  /** Every row's value, in row order. */
  values: Float64Array;
}

export const DAY_CHARS = 10;

/**
 * The rows as series, in their order (a run ends where the key changes); null when a date is not a
 * bare day, so the batch goes as JSON instead. -0 is written as 0, as JSON.stringify writes it.
 */
export function encodeMetricSeries(rows: readonly (readonly unknown[])[]): MetricSeriesBatch | null {
  const keys: string[] = [];
  const lengths: number[] = [];
  const values = new Float64Array(rows.length);
  const dates: string[] = [];
  let previous: readonly unknown[] | null = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as MetricDbRow;
    if (row[3].length !== DAY_CHARS) return null;
    if (previous !== null && previous[0] === row[0] && previous[1] === row[1] && previous[2] === row[2])
      lengths[lengths.length - 1]!++;
    else {
      keys.push(row[0], row[1], row[2]);
      lengths.push(1);
    }
    previous = row;
    dates.push(row[3]);
    values[i] = row[4] === 0 ? 0 : row[4];
  }
  return { keys, lengths: Int32Array.from(lengths), dates: dates.join(''), values };
}

/** Rows in the batch. */
export function seriesRowCount(batch: MetricSeriesBatch): number {
  return batch.values.length;
}

/**
 * What the series cache's hook needs of the written rows (forgetWrittenMetrics): each run as
 * [account_id, metric, contact_id, its first date], a JSON array of rows as the hook reads them.
 * A run is judged by its earliest row, as its rows each would be.
 */
export function seriesTouchedJson(batch: MetricSeriesBatch): string {
  const runs: string[][] = [];
  let at = 0;
  for (let r = 0; r < batch.lengths.length; r++) {
    const length = batch.lengths[r]!;
    let first = batch.dates.slice(at * DAY_CHARS, (at + 1) * DAY_CHARS);
    for (let i = at + 1; i < at + length; i++) {
      const day = batch.dates.slice(i * DAY_CHARS, (i + 1) * DAY_CHARS);
      if (day < first) first = day;
    }
    runs.push([batch.keys[3 * r]!, batch.keys[3 * r + 1]!, batch.keys[3 * r + 2]!, first]);
    at += length;
  }
  return JSON.stringify(runs);
}
