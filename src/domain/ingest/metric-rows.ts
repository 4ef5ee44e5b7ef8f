/**
 * The importer's common case, taken without building records: a long-form metrics CSV
 * (account_id, date, metric, value[, contact_id]) read with the default coercions.
 *
 * For every row it proves, with a few small checks on the cells, that the general path
 * (rowMapper → coerceRecord → validateRecord, writer.write) would accept the row, and hands the
 * very values that path would write to `writer.writeMetric`. Any row it cannot prove valid (an
 * empty cell, a date in another format, "1,200", an unknown account…) goes to the general path,
 * which decides and words the rejection; so the accept/reject decisions and every reason are the
 * general path's own. test/unit/ingest-metric-rows.test.ts holds the two paths together.
 * Why: the general path allocated three records per row and was most of the JavaScript time of
 * a 2-million-row import (docs/performance.md, "import").
 */
import { isIsoDay } from '../contract/dates.ts';
import { PLAIN_NUMBER, type CoerceOptions } from './coerce.ts';
import type { Layout } from './layout.ts';
import type { RecordWriter } from './writer.ts';

/** The contract's metric name (src/domain/contract/records.ts, metricRecord.metric). */
const NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** True when the row was queued; false when the general path must take it. */
export type MetricRowShortcut = (cells: readonly string[]) => boolean;

/** Where proven rows go: the writer, or the CSV worker's batches (csv-worker.ts). */
export type MetricRowSink = Pick<RecordWriter, 'writeMetric'>;

/** A shortcut for this file's rows, or null when the layout or the options are not the common case. */
export function metricRowShortcut(
  layout: Layout,
  coerce: Pick<CoerceOptions, 'decimalComma' | 'ambiguousGroups'>,
  writer: MetricRowSink,
): MetricRowShortcut | null {
  // A decimal comma (or a semicolon file's doubt) changes what a number is; constants from a mapping add fields. Both are rare.
  if (
    layout.kind !== 'metrics' ||
    layout.shape !== 'long' ||
    coerce.decimalComma ||
    coerce.ambiguousGroups ||
    Object.keys(layout.constants).length > 0
  )
    return null;
  const column = (field: string) => layout.fields.find(([name]) => name === field)?.[1] ?? -1;
  const accountAt = column('account_id');
  const dateAt = column('date');
  const metricAt = column('metric');
  const valueAt = column('value');
  const contactAt = column('contact_id');
  if (accountAt < 0 || dateAt < 0 || metricAt < 0 || valueAt < 0) return null;
  // The same few metric names repeat on every row: test each distinct spelling once in a row.
  let lastMetric = '';
  return (cells) => {
    // Coercion trims every text cell and treats an empty one as missing; the schema requires
    // account_id, date, metric and value, and defaults contact_id to ''.
    const accountId = (cells[accountAt] ?? '').trim();
    if (accountId === '') return false;
    const date = (cells[dateAt] ?? '').trim();
    if (!isIsoDay(date)) return false;
    const metric = (cells[metricAt] ?? '').trim();
    if (metric !== lastMetric) {
      if (!NAME.test(metric)) return false;
      lastMetric = metric;
    }
    const text = (cells[valueAt] ?? '').trim();
    if (!PLAIN_NUMBER.test(text)) return false;
    const value = Number(text);
    if (!Number.isFinite(value)) return false;
    const contactId = contactAt < 0 ? '' : (cells[contactAt] ?? '').trim();
    return writer.writeMetric(accountId, metric, contactId, date, value);
  };
}

/** A wide row's metric records, in database column order (account_id, metric, contact_id, date, value). */
export type MetricDbRow = [accountId: string, metric: string, contactId: string, date: string, value: number];

/** The file's wide rows proven whole: every non-empty metric cell valid, or null for the general path. */
export type WideMetricRowProver = (cells: readonly string[]) => MetricDbRow[] | null;

/**
 * The same proof for a wide metrics CSV (account_id, date[, contact_id], then one column per
 * metric), a row at a time: a row is taken only when every one of its non-empty metric cells is
 * valid, so a row with any doubtful cell goes to the general path whole, which writes its cells
 * one by one (read-file.ts) and words each rejection. A row with no value at all goes there too
 * (it writes nothing, but is counted). Null when the layout is not this common case.
 * Why: the general path built and checked a record per cell of 3 million on the bench's files
 * (docs/performance.md, "import").
 */
export function wideMetricRowProver(
  layout: Layout,
  coerce: Pick<CoerceOptions, 'decimalComma' | 'ambiguousGroups'>,
): WideMetricRowProver | null {
  if (
    layout.kind !== 'metrics' ||
    layout.shape !== 'wide' ||
    coerce.decimalComma ||
    coerce.ambiguousGroups ||
    Object.keys(layout.constants).length > 0 ||
    layout.fields.some(([field]) => field !== 'account_id' && field !== 'date' && field !== 'contact_id') ||
    !layout.metrics.every((column) => NAME.test(column.metric))
  )
    return null;
  const column = (field: string) => layout.fields.find(([name]) => name === field)?.[1] ?? -1;
  const accountAt = column('account_id');
  const dateAt = column('date');
  const contactAt = column('contact_id');
  if (accountAt < 0 || dateAt < 0) return null;
  const metrics = layout.metrics;
  return (cells) => {
    const accountId = (cells[accountAt] ?? '').trim();
    if (accountId === '') return null;
    const date = (cells[dateAt] ?? '').trim();
    if (!isIsoDay(date)) return null;
    const contactId = contactAt < 0 ? '' : (cells[contactAt] ?? '').trim();
    const rows: MetricDbRow[] = [];
    for (let i = 0; i < metrics.length; i++) {
      const { index, metric } = metrics[i]!;
      const text = (cells[index] ?? '').trim();
      if (text === '') continue;
      if (!PLAIN_NUMBER.test(text)) return null;
      const value = Number(text);
      if (!Number.isFinite(value)) return null;
      rows.push([accountId, metric, contactId, date, value]);
    }
    return rows.length > 0 ? rows : null;
  };
}
