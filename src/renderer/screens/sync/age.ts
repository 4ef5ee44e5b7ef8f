import { formatAge } from '../../format.ts';

/** "data is 3 days old", or "data is up to date" within the last minute. */
export function describeDataAge(iso: string, now: Date): string {
  const age = formatAge(iso, { now });
  return age === 'just now' ? 'data is up to date' : `data is ${age}`;
}
