/**
 * Writes the demo book into a database through the ordinary repositories, a batch of accounts per
 * transaction. Any earlier demo book is removed first, so loading again (another size or seed)
 * never leaves stale demo accounts behind. Real accounts are never touched.
 */
import type { Db } from '../db/open.ts';
import { accountsRepo } from '../db/repos/accounts.ts';
import { contactsRepo } from '../db/repos/contacts.ts';
import { eventsRepo } from '../db/repos/events.ts';
import { META_KEYS, metaRepo } from '../db/repos/meta.ts';
import { metricsRepo } from '../db/repos/metrics.ts';
import { forgetSeriesCache, keepFirstMetricDay, keptFirstMetricDay } from '../risk/series-cache-hooks.ts';
import { UserFacingError } from '../errors.ts';
import { clearDemoBook } from './clear.ts';
import type { DemoOptions } from './generate.ts';
import { generateDemoBook, resolveDemoOptions } from './generate.ts';
import { demoAccountId } from './profiles.ts';

export interface LoadDemoOptions extends DemoOptions {
  /** Accounts per transaction. Default 500. */
  batchSize?: number;
  /** Called after each committed batch with accounts written so far and the total. */
  onProgress?: (processed: number, total: number) => void;
}

export interface DemoLoadResult {
  accounts: number;
  contacts: number;
  metrics: number;
  events: number;
  /** Demo accounts of an earlier book that were removed first. */
  replaced: number;
  seed: number;
  asOf: string;
  days: number;
}

export function loadDemoBook(db: Db, options: LoadDemoOptions = {}): DemoLoadResult {
  const resolved = resolveDemoOptions(options);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 500));
  assertNoIdClash(db, resolved.accounts);
  const replaced = clearDemoBook(db);
  // The book's first metric day after the load, when it can be known without a scan: the demo's
  // own first day, or the earlier one the rest of the book keeps (series-cache-hooks.ts). Else the
  // first scoring scans every metric row for it (1.6 s at 50,000 accounts, issue 13).
  const empty = db.prepare<[], number>('SELECT 1 FROM metrics LIMIT 1').pluck().get() === undefined;
  const keptBefore = empty ? null : keptFirstMetricDay(db);
  const written = { firstDay: null as string | null };
  // Forgotten first, so that a load that stops half-way leaves nothing kept that its rows contradict.
  forgetSeriesCache(db);

  const accounts = accountsRepo(db);
  const contacts = contactsRepo(db);
  const metrics = metricsRepo(db);
  const events = eventsRepo(db);
  const result: DemoLoadResult = {
    accounts: 0,
    contacts: 0,
    metrics: 0,
    events: 0,
    replaced,
    seed: resolved.seed,
    asOf: resolved.asOf,
    days: resolved.days,
  };

  const book = generateDemoBook(resolved);
  // The generator is pulled from inside the transaction, so only one account is ever in memory.
  const writeBatch = db.transaction((size: number) => {
    for (let i = 0; i < size; i++) {
      const next = book.next();
      if (next.done) throw new Error('The demo book ended early.');
      const bundle = next.value;
      accounts.upsert(bundle.account, true);
      for (const contact of bundle.contacts) contacts.upsert(contact);
      for (const metric of bundle.metrics) {
        metrics.upsert(metric);
        if (written.firstDay === null || metric.date < written.firstDay) written.firstDay = metric.date;
      }
      for (const event of bundle.events) events.upsert(event);
      result.accounts++;
      result.contacts += bundle.contacts.length;
      result.metrics += bundle.metrics.length;
      result.events += bundle.events.length;
    }
  });

  while (result.accounts < resolved.accounts) {
    writeBatch.immediate(Math.min(batchSize, resolved.accounts - result.accounts));
    options.onProgress?.(result.accounts, resolved.accounts);
  }
  metaRepo(db).set(META_KEYS.demoSeed, String(resolved.seed));
  forgetSeriesCache(db);
  if (keptBefore !== undefined) {
    const { firstDay } = written;
    const first = keptBefore !== null && (firstDay === null || keptBefore < firstDay) ? keptBefore : firstDay;
    if (first !== null) keepFirstMetricDay(db, first);
  }
  return result;
}

/** Refuses to overwrite a real (non-demo) account that happens to use a demo id such as acc_00001. */
function assertNoIdClash(db: Db, accounts: number): void {
  const candidates = db
    .prepare<[], { account_id: string }>(
      `SELECT account_id FROM accounts WHERE is_demo = 0 AND account_id GLOB 'acc_[0-9]*'`,
    )
    .all();
  const clash = candidates.find((row) => {
    const number = Number(row.account_id.slice(4));
    return (
      Number.isInteger(number) && number >= 1 && number <= accounts && demoAccountId(number - 1) === row.account_id
    );
  });
  if (clash) {
    throw new UserFacingError(
      'DEMO_ID_CLASH',
      `Cannot load the demo book because your account ${clash.account_id} uses an id the demo book needs; remove it or load fewer demo accounts.`,
    );
  }
}
