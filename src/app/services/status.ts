import { todayIso } from '../../domain/contract/dates.ts';
import { accountsRepo } from '../../domain/db/repos/accounts.ts';
import { contactsRepo } from '../../domain/db/repos/contacts.ts';
import { eventsRepo } from '../../domain/db/repos/events.ts';
import { META_KEYS, metaRepo } from '../../domain/db/repos/meta.ts';
import { metricsRepo } from '../../domain/db/repos/metrics.ts';
import { schemaVersion } from '../../domain/db/migrate.ts';
import type { Db } from '../../domain/db/open.ts';
import { newestDataOnLazily } from '../../domain/risk/staleness.ts';
import type { AppStatus } from '../../shared/dto/core.ts';
import { cachedUntilDataChanges } from '../../domain/db/data-version.ts';

/**
 * Performance (docs/performance.md, "UI: first rows"): counting 35 million metric rows walks the
 * whole metrics table, about a second with the file cached, and app.status is asked on every page
 * load and data change while the web preview and the main process answer one call at a time. The
 * counts are kept per connection until the data can have changed.
 */
interface BookCounts {
  counts: AppStatus['counts'];
  metricsEstimated: boolean;
  demoCount: number;
}

function countBook(db: Db, estimateMetrics: boolean): BookCounts {
  const metrics = estimateMetrics ? metricsRepo(db).estimate() : { n: metricsRepo(db).count(), estimated: false };
  return {
    counts: {
      accounts: accountsRepo(db).count(),
      contacts: contactsRepo(db).count(),
      metrics: metrics.n,
      events: eventsRepo(db).count(),
    },
    metricsEstimated: metrics.estimated,
    demoCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM accounts WHERE is_demo = 1').get()?.n ?? 0,
  };
}

const bookCounts = cachedUntilDataChanges((db: Db) => countBook(db, false));

export interface StatusOptions {
  /**
   * 'estimate': count the metric rows exactly only up to 100,000, else estimate them from a sample
   * of accounts (metricsRepo.estimate) and say so in `metricsEstimated`. For a one-shot
   * `foresight status`, whose process cannot reuse a cached count; the app counts exactly once
   * per data change.
   */
  metricRows?: 'exact' | 'estimate';
}

/**
 * The book's state. Performance (issue 16): `foresight status` runs this in a process of its own,
 * so it loads the scoring code only when the day has no current snapshot to read the newest data
 * day from (rescore.ts then asks the book).
 */
export async function readStatus(db: Db, dbPath: string, now: Date, options: StatusOptions = {}): Promise<AppStatus> {
  const meta = metaRepo(db);
  const today = todayIso(now);
  const estimate = options.metricRows === 'estimate';
  const { counts, metricsEstimated, demoCount } = estimate ? countBook(db, true) : bookCounts(db);
  const newest = await newestDataOnLazily(db, today);
  return {
    dbPath,
    schemaVersion: schemaVersion(db),
    counts: { ...counts },
    ...(metricsEstimated ? { metricsEstimated } : {}),
    lastSyncAt: meta.get(META_KEYS.lastSyncAt),
    demo: demoCount > 0,
    today,
    // Stale data must never look current: the newest day of the book's data up to today.
    newestDataOn: newest,
  };
}
