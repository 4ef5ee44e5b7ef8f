/**
 * Which backups to keep: the newest copy of each of the last 7 days that have one, then the
 * newest copy of each of the 4 calendar weeks before those. Pre-restore copies are never rotated
 * away (they hold what the user had before a restore). Days and ISO weeks are counted in UTC so
 * the plan is the same on every machine; time is a parameter, so tests inject their own dates.
 */
import type { BackupFile } from './backup-files.ts';

export interface RotationPolicy {
  daily: number;
  weekly: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { daily: 7, weekly: 4 };

export interface RotationPlan<T> {
  keep: T[];
  remove: T[];
}

type Dated = Pick<BackupFile, 'takenAt' | 'kind'>;

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** ISO 8601 week ("2025-W09") of a UTC instant; weeks start on Monday. */
export function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function planRotation<T extends Dated>(
  backups: readonly T[],
  policy: RotationPolicy = DEFAULT_ROTATION,
): RotationPlan<T> {
  const rotating = backups
    .filter((b) => b.kind !== 'pre-restore')
    .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  const keep = new Set<T>(backups.filter((b) => b.kind === 'pre-restore'));

  const days = new Set<string>();
  let oldestDaily: Date | null = null;
  for (const backup of rotating) {
    if (days.size >= policy.daily) break;
    const day = utcDay(backup.takenAt);
    if (days.has(day)) continue;
    days.add(day);
    keep.add(backup);
    oldestDaily = backup.takenAt;
  }

  // A copy someone asked for (before a risky step, then after it) is not replaced by a later one of
  // the same day: every manual copy of the daily days is kept (QA 5 #6: the second manual backup of
  // a day deleted the first). Older days still collapse into the weekly copies.
  for (const backup of rotating) if (backup.kind === 'manual' && days.has(utcDay(backup.takenAt))) keep.add(backup);

  const weeks = new Set<string>();
  for (const backup of rotating) {
    if (weeks.size >= policy.weekly) break;
    // Weekly copies reach further back than the daily ones, not over the same days.
    if (oldestDaily && utcDay(backup.takenAt) >= utcDay(oldestDaily)) continue;
    const week = isoWeek(backup.takenAt);
    if (weeks.has(week)) continue;
    weeks.add(week);
    keep.add(backup);
  }

  return { keep: backups.filter((b) => keep.has(b)), remove: backups.filter((b) => !keep.has(b)) };
}

/** A scheduled backup is due when there is none yet from today's UTC day. */
export function isBackupDue(backups: readonly Dated[], now: Date): boolean {
  const today = utcDay(now);
  return !backups.some((b) => b.kind !== 'pre-restore' && utcDay(b.takenAt) === today);
}
