import { todayIso } from '../../domain/contract/dates.ts';
import { accountsRepo } from '../../domain/db/repos/accounts.ts';
import { contactsRepo } from '../../domain/db/repos/contacts.ts';
import { eventsRepo } from '../../domain/db/repos/events.ts';
import { META_KEYS, metaRepo } from '../../domain/db/repos/meta.ts';
import { metricsRepo } from '../../domain/db/repos/metrics.ts';
import { schemaVersion } from '../../domain/db/migrate.ts';
import type { Db } from '../../domain/db/open.ts';
import { newestDataOn } from '../../domain/risk/rescore.ts';
import type { AppStatus } from '../../shared/dto/core.ts';
import { cachedUntilDataChanges } from '../../domain/db/data-version.ts';

/**
 * Performance (docs/performance.md, "UI: first rows"): counting 35 million metric rows walks the
 * whole metrics table, about a second with the file cached, and app.status is asked on every page
 * load and data change while the web preview and the main process answer one call at a time. The
 * counts are kept per connection until the data can have changed.
 */
const bookCounts = cachedUntilDataChanges((db: Db): { counts: AppStatus['counts']; demoCount: number } => ({
  counts: {
    accounts: accountsRepo(db).count(),
    contacts: contactsRepo(db).count(),
    metrics: metricsRepo(db).count(),
    events: eventsRepo(db).count(),
  },
  demoCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM accounts WHERE is_demo = 1').get()?.n ?? 0,
}));

export function readStatus(db: Db, dbPath: string, now: Date): AppStatus {
  const meta = metaRepo(db);
  const { counts, demoCount } = bookCounts(db);
  return {
    dbPath,
    schemaVersion: schemaVersion(db),
    counts: { ...counts },
    lastSyncAt: meta.get(META_KEYS.lastSyncAt),
    demo: demoCount > 0,
    today: todayIso(now),
    // Stale data must never look current: the newest day of the book's data up to today.
    newestDataOn: newestDataOn(db, todayIso(now)),
  };
}
