/**
 * Proven metrics rows handed from the CSV worker (csv-worker.ts) to the importer's thread as series:
 * runs of rows that share account_id, metric and contact_id, with their dates in one string and their
 * values in an array. The writer binds each run's key once, its dates as one BLOB that SQLite cuts
 * into days, and its values one by one (repo.ts, runSeriesBatch). Plain strings and arrays rather
 * than typed arrays: their structured clones live on V8's heap and go with the next scavenge,
 * where a typed array's buffer each message (57,000 at 50,000 accounts) is memory outside it.
 *
 * Why: the rows as a JSON array read by `jsonb_each` cost SQLite ≈ 0.82 µs a row at 5,000 accounts
 * (parsing the JSON and five `->>` a row), against ≈ 0.55 µs for the same rows bound as series with
 * a string per date and ≈ 0.50 µs with the dates in a BLOB; and the worker no longer writes the JSON
 * (docs/performance.md, "The import's own part, fourth round"). The rows a batch holds are exactly
 * those of the JSON array, in the same order. The worker builds them (series-hold.ts).
 */

export interface MetricSeriesBatch {
  /** account_id, metric and contact_id of each run, one run after another. */
  keys: string[];
  /** How many rows each run holds. */
  lengths: number[];
  /** Every row's date (YYYY-MM-DD, DAY_CHARS characters), one after another, in row order. */
  dates: string;
  /** Every row's value, in row order. */
  values: number[];
}

export const DAY_CHARS = 10;

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
  const { dates } = batch;
  let at = 0;
  for (let r = 0; r < batch.lengths.length; r++) {
    const length = batch.lengths[r]!;
    let first = dates.slice(at * DAY_CHARS, (at + 1) * DAY_CHARS);
    for (let i = at + 1; i < at + length; i++) {
      const day = dates.slice(i * DAY_CHARS, (i + 1) * DAY_CHARS);
      if (day < first) first = day;
    }
    runs.push([batch.keys[3 * r]!, batch.keys[3 * r + 1]!, batch.keys[3 * r + 2]!, first]);
    at += length;
  }
  return JSON.stringify(runs);
}
