/** The hub's PostgreSQL migrations, in order. Never edit one that has been committed: add the next. */
import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-covers.ts';
import { migration0003 } from './0003-intervention-fired-on.ts';
import { migration0004 } from './0004-links.ts';
import type { HubMigration } from './migrate.ts';

export const HUB_MIGRATIONS: readonly HubMigration[] = [migration0001, migration0002, migration0003, migration0004];
