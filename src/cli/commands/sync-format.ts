/** Human output shared by the import, sync, source and quarantine commands. */
import type { RecordKind } from '../../shared/dto/core.ts';
import type { SyncCounts } from '../../shared/dto/sync.ts';
import { EXIT } from '../exit-codes.ts';

export const n = (value: number) => value.toLocaleString('en');

const NOUNS: Record<RecordKind, [string, string]> = {
  accounts: ['account', 'accounts'],
  contacts: ['contact', 'contacts'],
  metrics: ['metric row', 'metric rows'],
  events: ['event', 'events'],
};

export function countOf(kind: RecordKind, count: number): string {
  const [one, many] = NOUNS[kind];
  return `${n(count)} ${count === 1 ? one : many}`;
}

/** "Accepted 9 accounts and 120 metric rows; 3 unchanged; 2 rejected." */
export function describeCounts(counts: SyncCounts): string {
  const accepted = (Object.keys(counts.accepted) as RecordKind[])
    .filter((kind) => counts.accepted[kind] > 0)
    .map((kind) => countOf(kind, counts.accepted[kind]));
  const parts = [
    accepted.length > 0 ? `Accepted ${accepted.join(', ')}` : 'Accepted nothing new',
    `${n(counts.unchanged)} unchanged`,
    `${n(counts.rejected)} rejected${counts.rejected > 0 ? ' (kept in the quarantine)' : ''}`,
  ];
  return `${parts.join('; ')}.`;
}

/** The rejected rows (and failed files), one per line, at most `limit`. */
export function describeErrors(counts: SyncCounts, limit = 50): string[] {
  if (counts.errors.length === 0) return [];
  const shown = counts.errors.slice(0, limit);
  const lines = shown.map((error) =>
    error.line === null ? `  ${error.file}: ${error.message}` : `  ${error.file} ${error.message}`,
  );
  const more = counts.errors.length - shown.length + Math.max(0, counts.rejected - counts.errors.length);
  if (more > 0) lines.push(`  … and ${n(more)} more; list them all with "foresight quarantine".`);
  return ['Problems:', ...lines];
}

/** 0 all accepted, 3 some rows rejected (the rest committed), 1 a file or source failed. */
export function exitCodeForCounts(counts: SyncCounts, failed: boolean): number {
  if (failed) return EXIT.failure;
  return counts.rejected > 0 ? EXIT.partial : EXIT.ok;
}

/** "3 days old", "2 hours old", "just now". */
export function describeAge(iso: string | null, now: Date): string {
  if (!iso) return 'never';
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms) || ms < 60_000) return 'just now';
  const minutes = Math.floor(ms / 60_000);
  const [value, unit] =
    minutes < 60
      ? [minutes, 'minute']
      : minutes < 1440
        ? [Math.floor(minutes / 60), 'hour']
        : [Math.floor(minutes / 1440), 'day'];
  return `${n(value)} ${unit}${value === 1 ? '' : 's'} old`;
}
