/**
 * The whole-process bench's files, as a user would hand them to `foresight import`: accounts.csv,
 * metrics.csv (wide form: one row per account and day, a column per account-level metric) and
 * events.csv, for N accounts × 90 days, plus events-1pct.csv (a new event for 1% of the accounts)
 * for the small import into a scored book.
 *
 * The CLI scores as of the real today (an import has no as-of option), so the data ends yesterday,
 * as a nightly export would; the files are cached per seed, size and that day.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoBook } from '../../src/domain/demo/index.ts';
import { csvLine } from '../lib/csv.ts';
import { CACHE_DIR, ensureDir } from '../lib/paths.ts';
import { STANDARD_METRICS } from '../../src/domain/contract/records.ts';
import { ACCOUNT_CSV_COLUMNS, csvWriter } from '../workload.ts';

export const PATH_DAYS = 90;
/**
 * The account-level metrics of the demo book: the contract's standard metrics (per-person metrics,
 * such as a contact's logins, are left out of the wide file).
 */
export const WIDE_METRICS = STANDARD_METRICS;
const EVENT_COLUMNS = ['event_id', 'account_id', 'occurred_at', 'type', 'value', 'contact_id', 'detail'] as const;

export interface PathFiles {
  dir: string;
  accounts: number;
  /** The last day of data (yesterday when generated) and the day the CLI scores (the day after). */
  dataThrough: string;
  today: string;
  accountsCsv: string;
  metricsCsv: string;
  eventsCsv: string;
  smallEventsCsv: string;
  metricRows: number;
  eventRows: number;
  smallEventRows: number;
  /** An account of the book, for `foresight account X`. */
  sampleAccount: string;
  bytes: number;
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function pathFiles(seed: number, accounts: number, today: string, log: (line: string) => void): PathFiles {
  const dataThrough = addDays(today, -1);
  const dir = join(CACHE_DIR, `paths-s${seed}-a${accounts}-${dataThrough}`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) return JSON.parse(readFileSync(manifestPath, 'utf8')) as PathFiles;
  ensureDir(dir);
  log(
    `Generating ${accounts.toLocaleString('en')} accounts × ${PATH_DAYS} days through ${dataThrough} (cached in ${dir})`,
  );
  const files = {
    accountsCsv: join(dir, 'accounts.csv'),
    metricsCsv: join(dir, 'metrics.csv'),
    eventsCsv: join(dir, 'events.csv'),
    smallEventsCsv: join(dir, 'events-1pct.csv'),
  };
  const a = csvWriter(`${files.accountsCsv}.tmp`);
  const m = csvWriter(`${files.metricsCsv}.tmp`);
  const e = csvWriter(`${files.eventsCsv}.tmp`);
  const s = csvWriter(`${files.smallEventsCsv}.tmp`);
  a.write(csvLine(ACCOUNT_CSV_COLUMNS));
  m.write(csvLine(['account_id', 'date', ...WIDE_METRICS]));
  e.write(csvLine(EVENT_COLUMNS));
  s.write(csvLine(EVENT_COLUMNS));
  let metricRows = 0;
  let eventRows = 0;
  let smallEventRows = 0;
  let index = 0;
  for (const bundle of generateDemoBook({ accounts, seed, asOf: dataThrough, days: PATH_DAYS })) {
    a.write(csvLine(ACCOUNT_CSV_COLUMNS.map((c) => bundle.account[c])));
    const byDay = new Map<string, Map<string, number>>();
    for (const metric of bundle.metrics) {
      if (metric.contact_id) continue;
      const day = byDay.get(metric.date) ?? byDay.set(metric.date, new Map()).get(metric.date)!;
      day.set(metric.metric, metric.value);
    }
    for (const [date, values] of byDay) {
      m.write(csvLine([bundle.account.account_id, date, ...WIDE_METRICS.map((name) => values.get(name) ?? '')]));
      metricRows++;
    }
    for (const event of bundle.events) {
      e.write(csvLine(EVENT_COLUMNS.map((c) => event[c])));
      eventRows++;
    }
    // One account in a hundred opens a ticket this morning: the small file of a day's sync.
    if (index % 100 === 42) {
      s.write(
        csvLine([
          `bench_ticket_${bundle.account.account_id}_${today}`,
          bundle.account.account_id,
          `${today}T08:00:00.000Z`,
          'ticket_opened',
          '',
          '',
          'Cannot export the quarterly report',
        ]),
      );
      smallEventRows++;
    }
    index++;
  }
  const bytes = a.close() + m.close() + e.close() + s.close();
  for (const path of Object.values(files)) renameSync(`${path}.tmp`, path);
  const manifest: PathFiles = {
    dir,
    accounts,
    dataThrough,
    today,
    ...files,
    metricRows,
    eventRows,
    smallEventRows,
    sampleAccount: 'acc_00042',
    bytes,
  };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return manifest;
}
