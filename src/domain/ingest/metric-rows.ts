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
  coerce: Pick<CoerceOptions, 'decimalComma'>,
  writer: MetricRowSink,
): MetricRowShortcut | null {
  // A decimal comma changes what a number is; constants from a mapping add fields. Both are rare.
  if (
    layout.kind !== 'metrics' ||
    layout.shape !== 'long' ||
    coerce.decimalComma ||
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
