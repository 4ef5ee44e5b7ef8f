import { todayIso } from '../../domain/contract/dates.ts';
import { accountsRepo } from '../../domain/db/repos/accounts.ts';
import { contactsRepo } from '../../domain/db/repos/contacts.ts';
import { eventsRepo } from '../../domain/db/repos/events.ts';
import { META_KEYS, metaRepo } from '../../domain/db/repos/meta.ts';
import { metricsRepo } from '../../domain/db/repos/metrics.ts';
import { schemaVersion } from '../../domain/db/migrate.ts';
import type { Db } from '../../domain/db/open.ts';
import type { AppStatus } from '../../shared/dto/core.ts';

export function readStatus(db: Db, dbPath: string, now: Date): AppStatus {
  const meta = metaRepo(db);
  const demoCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM accounts WHERE is_demo = 1').get()?.n ?? 0;
  return {
    dbPath,
    schemaVersion: schemaVersion(db),
    counts: {
      accounts: accountsRepo(db).count(),
      contacts: contactsRepo(db).count(),
      metrics: metricsRepo(db).count(),
      events: eventsRepo(db).count(),
    },
    lastSyncAt: meta.get(META_KEYS.lastSyncAt),
    demo: demoCount > 0,
    today: todayIso(now),
  };
}
