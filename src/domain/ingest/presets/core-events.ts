/**
 * The core-features setting: event names (case-insensitive) whose uses are counted as
 * `core_feature_uses` when a raw event log is rolled up. Kept in app_meta as a JSON array.
 */
import type { Db } from '../../db/open.ts';
import { metaRepo } from '../../db/repos/meta.ts';

const KEY = 'core_feature_events';

export function coreFeatureEvents(db: Db): string[] {
  const value = metaRepo(db).get(KEY);
  if (value === null) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((e): e is string => typeof e === 'string' && e.trim() !== '') : [];
  } catch {
    return [];
  }
}

export function setCoreFeatureEvents(db: Db, events: readonly string[]): string[] {
  const clean = [...new Set(events.map((e) => e.trim()).filter(Boolean))];
  metaRepo(db).set(KEY, JSON.stringify(clean));
  return clean;
}
