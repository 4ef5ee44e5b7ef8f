import type { Migration } from '../migration.ts';
import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-risk-items-and-interventions.ts';
import { migration0003 } from './0003-sync.ts';
import { migration0004 } from './0004-risk-scores.ts';
import { migration0005 } from './0005-outreach-templates.ts';
import { migration0006 } from './0006-intervention-outcomes.ts';
import { migration0007 } from './0007-import-fingerprints.ts';
import { migration0009 } from './0009-churn-models.ts';
import { migration0010 } from './0010-data-age.ts';
import { migration0011 } from './0011-outcome-measures-and-phone.ts';
import { migration0012 } from './0012-quarantine-ids.ts';
import { migration0013 } from './0013-account-aliases-and-lifecycle.ts';
import { migration0014 } from './0014-csm-day.ts';
import { migration0016 } from './0016-imported-fatigue-override.ts';
import { migration0018 } from './0018-playbook-tasks.ts';
import { migration0019 } from './0019-account-notes-and-goals.ts';
import { migration0020 } from './0020-team-sync.ts';
import { migration0021 } from './0021-playbook-rule-sends.ts';
import { migration0022 } from './0022-series-cache.ts';
import { migration0024 } from './0024-read-indexes.ts';
import { migration0025 } from './0025-events-key-index.ts';
import { migration0029 } from './0029-book-changes.ts';
import { migration0031 } from './0031-imported-as-of.ts';
import { migration0033 } from './0033-mail-outbox.ts';
import { migration0037 } from './0037-imported-eligible.ts';

/** Every schema version in order. Append only: a released migration never changes. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0016,
  migration0018,
  migration0019,
  migration0020,
  migration0021,
  migration0022,
  migration0024,
  migration0025,
  migration0029,
  migration0031,
  migration0033,
  migration0037,
];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;
