/** Human output shared by the import, sync, source and quarantine commands. */
import type { RecordKind } from '../../shared/dto/core.ts';
import {
  pushedInterventionsText,
  rankingFailedText,
  rankingText,
  type RankingChange,
  teamCountsText,
  type PresetUse,
  type RefusedRow,
  type SourceSyncReport,
  type SyncCounts,
} from '../../shared/dto/sync.ts';
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

/** What an import, a sync or the demo did to the ranked list, and where to see it when some are at risk. */
/** `failed`: why the rescore after the stored rows failed (rankingFailed); `what` was stored then. */
export function rankingLine(
  ranking: RankingChange | null | undefined,
  failed?: string | null,
  what = 'Imported',
): string[] {
  if (failed) return [rankingFailedText(what, failed, 'run "foresight risks" to rescore')];
  if (!ranking) return [];
  const hint = ranking.atRisk > 0 ? ' See them with "foresight risks --top 10".' : '';
  return [`${rankingText(ranking, n)}${hint}`];
}

/** "Accepted 9 accounts and 120 metric rows; 3 unchanged; 2 rejected." */
export function describeCounts(counts: SyncCounts): string {
  const accepted = (Object.keys(counts.accepted) as RecordKind[])
    .filter((kind) => counts.accepted[kind] > 0)
    .map((kind) => countOf(kind, counts.accepted[kind]));
  const parts = [
    accepted.length > 0 ? `Accepted ${accepted.join(', ')}` : 'Accepted nothing new',
    `${n(counts.unchanged)} unchanged`,
    counts.older > 0 ? `${n(counts.older)} older than what you have, kept` : null,
    `${n(counts.rejected)} rejected${counts.rejected > 0 ? ' (kept in the quarantine)' : ''}`,
  ];
  return `${parts.filter(Boolean).join('; ')}.`;
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

/** The lines under a file read with a preset: how accounts were matched, what was rolled up, sample rows. */
export function describePresetUse(use: PresetUse | null): string[] {
  if (!use) return [];
  const m = use.matched;
  const lines = [
    `  accounts matched: ${n(m.alias)} by alias, ${n(m.id)} by id, ${n(m.domain)} by domain, ${n(m.name)} by name, ${n(m.unmatched)} unmatched${use.skipped > 0 ? `; ${n(use.skipped)} row${use.skipped === 1 ? '' : 's'} made no record (e.g. a refund or a pending charge)` : ''}.`,
  ];
  const r = use.rolledUp;
  if (r) {
    lines.push(
      `  rolled up ${n(r.events)} events into ${n(r.metricRows)} daily rows (${r.metrics.join(', ')}) for ${n(r.accounts)} accounts over ${n(r.days)} account-days, zero days included; ${n(r.contactRows)} contact login rows.`,
    );
    for (const note of r.notes) lines.push(`  note: ${note}.`);
  }
  for (const row of use.sample ?? []) lines.push(`  line ${row.line} → ${row.kind}: ${JSON.stringify(row.record)}`);
  return lines;
}

/** "team hub, signed in as dana@… (csm): received 2 item actions, 1 intervention, 0 activities; sent 1 activity" */
export function describeTeam(team: SourceSyncReport['team']): string | null {
  if (!team?.protocol) return null;
  const who = team.user ? `, signed in as ${team.user.email} (${team.user.role})` : '';
  // Control-group episodes are counted apart from the interventions sent.
  return `team hub${who}: received ${teamCountsText(team.pulled, n)}; sent ${teamCountsText(team.pushed, n, pushedInterventionsText(team, n))}`;
}

/** Outbox rows a source refused, each with its reason, and what the user can do about them. */
export function describeRefused(source: string, refused: readonly RefusedRow[]): string[] {
  if (refused.length === 0) return [];
  return [
    `  ${source} refused ${refused.length === 1 ? 'this row; it stays' : 'these rows; they stay'} in this book only:`,
    ...refused.map(
      (r) =>
        `    ${r.cohort === 'control' ? 'held-out outcome' : 'intervention'} ${r.id} on ${r.accountId}: ${r.reason}.`,
    ),
    `  Keep ${refused.length === 1 ? 'it' : 'one'} local with "foresight source refused ${source} --keep ID" or delete an intervention with "--discard ID".`,
  ];
}
