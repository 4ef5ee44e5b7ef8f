import type { Migration } from '../migration.ts';
import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-risk-items-and-interventions.ts';

/** Every schema version in order. Append only: a released migration never changes. */
export const migrations: readonly Migration[] = [migration0001, migration0002];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;
