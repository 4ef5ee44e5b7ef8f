import { todayIso } from '../../domain/contract/dates.ts';
import { accountsRepo } from '../../domain/db/repos/accounts.ts';
import { contactsRepo } from '../../domain/db/repos/contacts.ts';
import { eventsRepo } from '../../domain/db/repos/events.ts';
import { META_KEYS, metaRepo } from '../../domain/db/repos/meta.ts';
import { metricsRepo } from '../../domain/db/repos/metrics.ts';
import { schemaVersion } from '../../domain/db/migrate.ts';
import type { Db } from '../../domain/db/open.ts';
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
  estimated: NonNullable<AppStatus['countsEstimated']>;
  demoCount: number;
}

function countBook(db: Db, estimate: boolean): BookCounts {
  const exact = (n: number) => ({ n, estimated: false });
  const metrics = estimate ? metricsRepo(db).estimate() : exact(metricsRepo(db).count());
  const events = estimate ? eventsRepo(db).estimate() : exact(eventsRepo(db).count());
  return {
    counts: {
      accounts: accountsRepo(db).count(),
      contacts: contactsRepo(db).count(),
      metrics: metrics.n,
      events: events.n,
    },
    estimated: [...(metrics.estimated ? ['metrics' as const] : []), ...(events.estimated ? ['events' as const] : [])],
    demoCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM accounts WHERE is_demo = 1').get()?.n ?? 0,
  };
}

const bookCounts = cachedUntilDataChanges((db: Db) => countBook(db, false));

export interface StatusOptions {
  /**
   * 'estimate': count the metric rows and events exactly only up to 100,000 each, else estimate them
   * from samples (metricsRepo.estimate, eventsRepo.estimate) and say so in `countsEstimated`. For a one-shot
   * `foresight status`, whose process cannot reuse a cached count; the app counts exactly once
   * per data change.
   */
  rowCounts?: 'exact' | 'estimate';
}

/**
 * The book's state. `newestDataOn` is rescore.ts's, or for a one-shot command the CLI's lazy one
 * (src/cli/newest-data.ts): performance (issue 16), `foresight status` runs in a process of its
 * own and loads the scoring code only when the day has no current snapshot to read it from.
 */
export async function readStatus(
  db: Db,
  dbPath: string,
  now: Date,
  newestDataOn: (db: Db, day: string) => string | null | Promise<string | null>,
  options: StatusOptions = {},
): Promise<AppStatus> {
  const meta = metaRepo(db);
  const today = todayIso(now);
  const estimate = options.rowCounts === 'estimate';
  const { counts, estimated, demoCount } = estimate ? countBook(db, true) : bookCounts(db);
  const newest = await newestDataOn(db, today);
  return {
    dbPath,
    schemaVersion: schemaVersion(db),
    counts: { ...counts },
    ...(estimated.length > 0 ? { countsEstimated: estimated } : {}),
    lastSyncAt: meta.get(META_KEYS.lastSyncAt),
    demo: demoCount > 0,
    today,
    // Stale data must never look current: the newest day of the book's data up to today.
    newestDataOn: newest,
  };
}
