import type { SourceStatus, SourceView } from '../../../shared/dto/sync.ts';
import type { ChipTone } from '../../ui/Chip.tsx';
import { formatNumber } from '../../format.ts';

/**
 * How the Sync screen words a source's state, in one place: its chip, the phrase after its name in
 * the freshness line, and its share of the "Feed sources" hint. A feed that answered with a redirect
 * or bad JSON was reached ("its last sync failed"), which is not the same as "not reachable".
 */
export const SOURCE_STATUS: Record<SourceStatus, { label: string; tone: ChipTone; phrase: string; hint: string }> = {
  never: { label: 'Not synced yet', tone: 'neutral', phrase: 'has not been synced yet', hint: 'not synced yet' },
  ok: { label: 'Online', tone: 'green', phrase: 'is online', hint: 'online' },
  offline: { label: 'Offline', tone: 'yellow', phrase: 'is offline', hint: 'not reachable' },
  error: { label: 'Sync failed', tone: 'red', phrase: 'answered, but its last sync failed', hint: 'last sync failed' },
  unauthorised: { label: 'Token rejected', tone: 'red', phrase: 'is refusing the token', hint: 'refusing the token' },
};

/** "1 not synced yet · 1 last sync failed", or "All online". */
export function sourcesHint(sources: readonly SourceView[]): string {
  if (sources.length === 0) return 'None yet';
  const counts = new Map<SourceStatus, number>();
  for (const source of sources)
    if (source.status !== 'ok') counts.set(source.status, (counts.get(source.status) ?? 0) + 1);
  if (counts.size === 0) return 'All online';
  return [...counts].map(([status, count]) => `${formatNumber(count)} ${SOURCE_STATUS[status].hint}`).join(' · ');
}
