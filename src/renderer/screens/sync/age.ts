import { formatAge } from '../../format.ts';

/**
 * "data is 3 days old", or "data is up to date" within the last minute; "data arrived just now" when
 * a source has not synced or is failing (`complete` false): recent, but not known to be all there.
 */
export function describeDataAge(iso: string, now: Date, complete = true): string {
  const age = formatAge(iso, { now });
  if (age !== 'just now') return `data is ${age}`;
  return complete ? 'data is up to date' : 'data arrived just now';
}
