/**
 * The words under a job's progress bar, in one place for the shell, the Sync screen and the empty
 * book. A job whose total is unknown or zero must not read "done 0 / 0".
 */
import type { ProgressUnit } from '../../shared/events.ts';
import { formatNumber, type Locale } from '../format.ts';

export interface JobCounts {
  processed: number;
  /** null while the total is not known yet. */
  total: number | null;
  done: boolean;
  /** What the job says it counts now (rows while importing, accounts while scoring). */
  unit?: ProgressUnit;
}

/**
 * "1,200 of 5,000 rows", "300 rows so far", "Starting…" or "Nothing to do". `fallback` names the
 * count when the job does not (the screen's own word).
 */
export function jobProgressText(counts: JobCounts, fallback = 'rows', locale?: Locale): string {
  const { processed, total, done } = counts;
  const unit = counts.unit ?? fallback;
  const count = (n: number) => formatNumber(n, { locale });
  // A wait for another writer counts seconds waited, not work done.
  if (unit === 'seconds') return done ? `waited ${count(processed)} s` : `${count(processed)} s so far`;
  if (processed === 0 && (total === null || total === 0))
    return done ? `Nothing to do, no ${unit} to process` : 'Starting…';
  if (total === null || total === 0) return done ? `${count(processed)} ${unit}` : `${count(processed)} ${unit} so far`;
  return `${count(processed)} of ${count(total)} ${unit}`;
}

/** The bar's value and max: full once done, moving (indeterminate) while the total is unknown or zero. */
export function jobBar({ processed, total, done }: JobCounts): { value: number | null; max: number } {
  if (total !== null && total > 0) return { value: processed, max: total };
  return done ? { value: 1, max: 1 } : { value: null, max: 100 };
}
