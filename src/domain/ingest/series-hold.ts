/**
 * The CSV worker's side of the metrics series (metric-series.ts): one account's proven rows held by
 * series (metric, contact_id) as they arrive, then sent in the table's key order (metric,
 * contact_id, date after account_id), so SQLite appends to the WITHOUT ROWID tree instead of
 * inserting into it at several places (about a quarter of the metrics insert, docs/performance.md).
 *
 * Holding them by series instead of as a row array each, sorted by a comparator, is the same order
 * (a series' rows keep the file's order unless its dates go backwards, and are then sorted stably by
 * date, so of two rows with one key the later still wins) without an array per metric cell or a
 * sort of every row: a wide file's rows come by account and day, so each series is already in order.
 */
import { isIsoDay } from '../contract/dates.ts';
import { DAY_CHARS, type MetricSeriesBatch } from './metric-series.ts';

interface HeldRun {
  metric: string;
  contactId: string;
  dates: string[];
  values: number[];
  /** Dates never went backwards. */
  inOrder: boolean;
}

/**
 * Series of proven rows, `limit` rows a message (a series may go on in the next), with the accounts
 * and first day the writer needs. `full` is called as the limit is reached, to take the batch.
 */
export class SeriesBatchBuilder {
  private readonly limit: number;
  private readonly full: () => void;
  constructor(limit: number, full: () => void) {
    this.limit = limit;
    this.full = full;
  }
  private keys: string[] = [];
  private lengths: number[] = [];
  private dates: string[] = [];
  private values: number[] = [];
  private accounts: string[] = [];
  private firstDay: string | null = null;

  /** One series' rows, in `order` (indexes into dates and values) or as they are. */
  append(accountId: string, run: HeldRun, order: readonly number[] | null): void {
    let length = 0;
    for (let i = 0; i < run.values.length; i++) {
      if (length === 0) {
        if (this.accounts[this.accounts.length - 1] !== accountId) this.accounts.push(accountId);
        this.keys.push(accountId, run.metric, run.contactId);
        this.lengths.push(0);
      }
      this.lengths[this.lengths.length - 1] = ++length;
      const at = order === null ? i : order[i]!;
      const day = run.dates[at]!;
      this.dates.push(day);
      if (this.firstDay === null || day < this.firstDay) this.firstDay = day;
      // -0 as 0, as JSON.stringify writes it for the writer's other batches.
      const value = run.values[at]!;
      this.values.push(value === 0 ? 0 : value);
      if (this.values.length === this.limit) {
        this.full();
        length = 0;
      }
    }
  }

  /** The batch so far and empties the builder; null when it holds nothing. */
  take(): { batch: MetricSeriesBatch; accounts: string[]; firstDay: string | null } | null {
    if (this.values.length === 0) return null;
    const batch: MetricSeriesBatch = {
      keys: this.keys,
      lengths: this.lengths,
      dates: this.dates.join(''),
      values: this.values,
    };
    const taken = { batch, accounts: this.accounts, firstDay: this.firstDay };
    this.keys = [];
    this.lengths = [];
    this.dates = [];
    this.values = [];
    this.accounts = [];
    this.firstDay = null;
    return taken;
  }
}

/** One account's proven metrics rows, held by series until they are released in key order. */
export class HeldSeries {
  private byMetric = new Map<string, Map<string, HeldRun>>();
  private count = 0;
  account: string | null = null;

  /** Rows held. */
  get size(): number {
    return this.count;
  }

  /** A proven row of `account` (the account held, or the next one once released). */
  add(metric: string, contactId: string, date: string, value: number): void {
    // The batch carries each date in DAY_CHARS bytes; the contract's dates are bare days.
    if (date.length !== DAY_CHARS || !isIsoDay(date)) throw new Error(`A proven metrics row has the date '${date}'.`);
    let byContact = this.byMetric.get(metric);
    if (!byContact) this.byMetric.set(metric, (byContact = new Map()));
    let run = byContact.get(contactId);
    if (!run) byContact.set(contactId, (run = { metric, contactId, dates: [], values: [], inOrder: true }));
    else if (run.inOrder && date < run.dates[run.dates.length - 1]!) run.inOrder = false;
    run.dates.push(date);
    run.values.push(value);
    this.count++;
  }

  /** Every held row into `out`, in key order; holds nothing after. */
  release(out: SeriesBatchBuilder): void {
    if (this.count === 0) return;
    const runs: HeldRun[] = [];
    for (const byContact of this.byMetric.values()) for (const run of byContact.values()) runs.push(run);
    runs.sort(byKey);
    for (const run of runs) out.append(this.account!, run, run.inOrder ? null : byDate(run.dates));
    this.byMetric = new Map();
    this.count = 0;
  }
}

function byKey(a: HeldRun, b: HeldRun): number {
  if (a.metric !== b.metric) return a.metric < b.metric ? -1 : 1;
  if (a.contactId !== b.contactId) return a.contactId < b.contactId ? -1 : 1;
  return 0;
}

/** The rows' indexes sorted by date; the sort is stable, so rows of one day keep the file's order. */
function byDate(dates: readonly string[]): number[] {
  return Array.from(dates.keys()).sort((i, j) => (dates[i]! < dates[j]! ? -1 : dates[i]! > dates[j]! ? 1 : 0));
}
