/** Data shapes of the sync capability: imports, feed syncs, sources, run history and quarantine. */
import { z } from 'zod';
import { RECORD_KINDS, type Page, type RecordKind } from './core.ts';

export { RECORD_KINDS, type RecordKind } from './core.ts';

/** One rejected row (or file): where it was and a one-sentence reason. `line` is 1-based; null for a whole file or page. */
export interface RowError {
  file: string;
  line: number | null;
  field: string | null;
  message: string;
}

/**
 * The result of an import or a sync (also the CLI's `--json` document). `accepted` counts rows
 * written (new or changed), `unchanged` rows identical to what was stored, `rejected` rows sent to
 * quarantine. `errors` lists the first 1,000 rejections; all of them are in the quarantine.
 */
export interface SyncCounts {
  accepted: Record<RecordKind, number>;
  unchanged: number;
  /** Records whose updated_at is older than the stored one's: the stored one was kept (docs/sync.md). */
  older: number;
  rejected: number;
  errors: RowError[];
}

export type FileImportStatus = 'ok' | 'partial' | 'unchanged' | 'failed';

export interface FileImportReport {
  file: string;
  kind: RecordKind | null;
  format: 'csv' | 'json' | 'ndjson' | null;
  /** The detected CSV delimiter, shown as typed (',' ';' or '\t'). */
  delimiter: string | null;
  status: FileImportStatus;
  rows: number;
  accepted: number;
  unchanged: number;
  /** Accounts older (updated_at) than the stored ones, which were kept. */
  older: number;
  rejected: number;
  /** Columns that map to no field, so they were not imported. */
  ignoredColumns: string[];
  /** For a failed file: why, in one sentence. */
  message: string | null;
  ms: number;
  /** The vendor preset the file was read with (docs/sync.md, "Presets"); null or absent: Foresight's own columns. */
  preset?: string | null;
  presetUse?: PresetUse | null;
}

/** How a file was read through its preset: the mapping, how accounts were matched, what was rolled up. */
export interface PresetUse {
  title: string;
  /** "events.type ← Status (values mapped)", one per mapped field. */
  mapping: string[];
  /** Rows matched to an account by each rule, and rows that matched none (quarantined). */
  matched: { alias: number; id: number; domain: number; name: number; unmatched: number };
  /** Rows that make no record the preset keeps (a pending charge, a ticket without a rating). */
  skipped: number;
  rolledUp: {
    events: number;
    accounts: number;
    days: number;
    metricRows: number;
    contactRows: number;
    unmatchedEvents: number;
    metrics: string[];
    notes: string[];
  } | null;
  /** --dry-run: the first records as they would be stored. */
  sample?: { kind: RecordKind; line: number; record: Record<string, unknown> }[];
}

/** One preset in `foresight presets` and on the Sync screen. */
export interface PresetSummary {
  name: string;
  title: string;
  source: string;
  origin: 'built-in' | 'user';
  path: string | null;
  documentation: string;
  follows: string;
  detect: string[];
  /** What the preset makes: record kinds, or "daily metrics (rolled up)". */
  makes: string[];
}

/** A remembered account match (the alias table). */
export interface AccountAlias {
  source: string;
  alias: string;
  accountId: string;
  accountName: string | null;
  rule: 'id' | 'domain' | 'name' | 'manual';
  createdAt: string;
}

export interface ImportResult extends SyncCounts {
  files: FileImportReport[];
  /** True for `import --dry-run`: nothing was stored. */
  dryRun?: boolean;
  /**
   * What the import did to the ranked list, once it was scored; null when nothing was scored (no
   * usage metric or event in the book yet, or nothing changed). Absent for a dry run.
   */
  ranking?: RankingChange | null;
  /**
   * Why the rescore after the committed rows failed (a clause: "another program was writing to
   * the book"); absent or null when it ran or had nothing to do. The rows are stored either way.
   */
  rankingFailed?: string | null;
}

/**
 * "Imported; the ranked list could not be updated because …; run `foresight risks` to rescore."
 * `what`: what was stored ("Imported", "Synced"); `remedy`: the surface's way to rescore.
 */
export function rankingFailedText(what: string, reason: string, remedy: string): string {
  return `${what}; the ranked list could not be updated because ${reason}; ${remedy}.`;
}

/** A scoring run after a data change, as the person who brought the data in sees it. */
export interface RankingChange {
  /** The day scored (YYYY-MM-DD). */
  asOf: string;
  /** 'book': every account was scored; 'accounts': only those whose data changed. */
  scope: 'book' | 'accounts';
  /** Active accounts scored. */
  scored: number;
  /** Of those, on Today's at-risk list (red or yellow, or a risk play asking for action). */
  atRisk: number;
  /** Of those, without a band because their newest data is too old ("stale data"): never listed as healthy. */
  stale: number;
  /** Of those, without a band because they have no usage data yet ("no data"). */
  noData: number;
  /** Risk items opened and resolved by the run (only a run for the newest day moves them). */
  opened: number;
  resolved: number;
}

/**
 * "Ranked 4,475 active accounts as of 2026-12-07: 576 at risk, 3 with stale data; 1,037 risk items
 * opened." Churned accounts are not scored, so they are not counted; accounts without a band (stale,
 * no data) are named, so none of them reads as healthy.
 * One home for the CLI's line and the Sync screen's; `count` and `day` write a number and a day in
 * the reader's locale.
 */
export function rankingText(
  ranking: RankingChange,
  count: (n: number) => string = String,
  day: (iso: string) => string = (iso) => iso,
): string {
  const accounts = (k: number) => `${count(k)} active ${k === 1 ? 'account' : 'accounts'}`;
  const what =
    ranking.scope === 'book'
      ? `Ranked ${accounts(ranking.scored)} as of ${day(ranking.asOf)}`
      : `Rescored the ${accounts(ranking.scored)} whose data changed, as of ${day(ranking.asOf)}`;
  const state = [`${count(ranking.atRisk)} at risk`];
  if (ranking.stale > 0) state.push(`${count(ranking.stale)} with stale data`);
  if (ranking.noData > 0) state.push(`${count(ranking.noData)} with no data yet`);
  const items = [
    ranking.opened > 0 ? `${count(ranking.opened)} risk ${ranking.opened === 1 ? 'item' : 'items'} opened` : null,
    ranking.resolved > 0 ? `${count(ranking.resolved)} resolved` : null,
  ].filter((part): part is string => part !== null);
  return `${what}: ${state.join(', ')}${items.length > 0 ? `; ${items.join(', ')}` : ''}.`;
}

export type SourceStatus = 'never' | 'ok' | 'offline' | 'error' | 'unauthorised';

/** The logs a team hub shares besides the record kinds (docs/feed-protocol.md, "Team hub"). */
export type TeamLogKind = 'item_actions' | 'interventions' | 'activities';

/** The log kinds in the order a sync exchanges them, with their nouns for "1 item action, 2 activities". */
export const TEAM_LOG_NOUNS: readonly (readonly [TeamLogKind, string, string])[] = [
  ['item_actions', 'item action', 'item actions'],
  ['interventions', 'intervention', 'interventions'],
  ['activities', 'activity', 'activities'],
];

const RECORD_KIND_WORDS: Readonly<Record<string, string>> = { metrics: 'usage metrics' };

/**
 * A kind a sync pulls, in the words a progress line shows: "usage metrics", "item actions", never
 * the protocol's name (`item_actions`). One home for the app's progress labels and the CLI.
 */
export function syncKindWords(kind: string): string {
  return RECORD_KIND_WORDS[kind] ?? TEAM_LOG_NOUNS.find(([k]) => k === kind)?.[2] ?? kind.replaceAll('_', ' ');
}

/** Who the hub says the token belongs to (GET /v1/capabilities). */
export interface TeamUser {
  email: string;
  role: 'csm' | 'lead' | 'admin';
}

/** Items of each log kind new here (pulled) and acknowledged by the source (pushed) in one sync. */
export interface TeamCounts {
  pulled: Record<TeamLogKind, number>;
  pushed: Record<TeamLogKind, number>;
  /**
   * Of `pushed.interventions`, the control-group episodes (held-out firings sent for the team
   * report): no one contacted those accounts, so the Sync screen counts them apart. Absent in counts
   * stored by an older version.
   */
  pushedControl?: number;
}

/**
 * "1 item action, 2 interventions, 0 activities", for the Sync screen and the CLI; `interventions`
 * replaces that kind's words (the pushed count with control-group episodes said apart).
 */
export function teamCountsText(
  counts: Record<TeamLogKind, number>,
  count: (n: number) => string = String,
  interventions?: string,
): string {
  return TEAM_LOG_NOUNS.map(([kind, one, many]) =>
    kind === 'interventions' && interventions
      ? interventions
      : `${count(counts[kind])} ${counts[kind] === 1 ? one : many}`,
  ).join(', ');
}

/** "3 interventions (1 of them a control-group episode)": the pushed interventions, control apart. */
/**
 * What a sync that stopped (offline, an error) did to the data, after its one-sentence cause. Pages
 * are stored as they arrive, so a sync cut off mid-way keeps what it received and the next one
 * resumes at the saved cursor; a first pull cut off leaves the book unscored until it completes.
 */
export function stoppedText(report: Pick<SourceSyncReport, 'pages' | 'firstPull' | 'status' | 'pullComplete'>): string {
  if (report.pullComplete)
    return report.pages === 0
      ? 'Nothing new was pulled.'
      : `Everything it pulled (${report.pages === 1 ? '1 page' : `${report.pages} pages`}) is kept.`;
  if (report.pages === 0)
    return report.status === 'offline'
      ? 'Your data is unchanged; it will be retried later.'
      : 'Your data is unchanged.';
  const kept = `What arrived before it stopped (${report.pages === 1 ? '1 page' : `${report.pages} pages`}) is kept, and the next sync resumes from there`;
  return report.firstPull
    ? `${kept}. This was the first pull of this source's book and it is not complete, so nothing was scored from it yet: risk items wait for the sync that completes it.`
    : `${kept}.`;
}

/** Whether a source's first pull stopped part-way, leaving a book too incomplete to score. */
export const firstPullIncomplete = (report: Pick<SourceSyncReport, 'pages' | 'firstPull' | 'pullComplete'>) =>
  report.firstPull && !report.pullComplete && report.pages > 0;

export function pushedInterventionsText(counts: TeamCounts, count: (n: number) => string = String): string {
  const total = counts.pushed.interventions;
  const control = counts.pushedControl ?? 0;
  const noun = total === 1 ? 'intervention' : 'interventions';
  if (control === 0) return `${count(total)} ${noun}`;
  const of = control === total ? (total === 1 ? 'it' : 'all of them') : `${count(control)} of them`;
  return `${count(total)} ${noun} (${of} ${control === 1 ? 'a control-group episode' : 'control-group episodes'}, accounts left alone for comparison)`;
}

/** What a source said about itself, and its last sync's counts per log kind. */
export interface SourceTeam {
  /** "1.1" for a team hub; null for a plain v1 feed. */
  protocol: string | null;
  user: TeamUser | null;
  /** Whether the feed takes activities (null: not asked yet). */
  takesActivities: boolean | null;
  last: TeamCounts | null;
  checkedAt: string;
}

export interface SourceSyncReport {
  name: string;
  status: SourceStatus;
  message: string | null;
  /** Pages of items received (304 answers are not pages). */
  pages: number;
  /** Kinds for which the feed answered 304 Not Modified. */
  notModified: RecordKind[];
  /** Interventions the feed acknowledged in this run, and how many still wait. */
  pushed: number;
  pendingOutbox: number;
  /** Outbox rows the feed refused on their own in this run (sent alone after a 422), with its sentence. */
  refused: RefusedRow[];
  /** The source had never been synced to the end before this run: its book arrives whole only now. */
  firstPull: boolean;
  /** Every record kind was read to its last page in this run (a later step may still have failed). */
  pullComplete: boolean;
  /** Protocol 1.1: the hub's user and the log kinds pulled and pushed (absent when the sync stopped before asking). */
  team?: { protocol: string | null; user: TeamUser | null } & TeamCounts;
}

export interface SyncResult extends SyncCounts {
  sources: SourceSyncReport[];
  /** What the sync did to the ranked list, as for an import (ImportResult.ranking). */
  ranking?: RankingChange | null;
  /** As ImportResult.rankingFailed. */
  rankingFailed?: string | null;
}

/** A row of the outbox the source refused on its own (a hub's 422), kept here with its reason. */
export interface RefusedRow {
  /** The intervention id, or a held-out risk item's control record id. */
  id: string;
  cohort: 'treated' | 'control';
  accountId: string;
  /** The source's sentence: "account acc_00074 is not in your book". */
  reason: string;
  at: string;
}

export interface SourceView {
  name: string;
  url: string;
  status: SourceStatus;
  /** Where the token comes from, never the token: "env:VAR", "app keychain" or null. */
  token: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  nextRetryAt: string | null;
  failures: number;
  pendingOutbox: number;
  /** Outbox rows the source refused, kept in this book until kept local or discarded. */
  refused: RefusedRow[];
  /** Null until the source has been synced once with this version. */
  team: SourceTeam | null;
}

export interface SyncOverview {
  /** Last successful import or sync of any source (ISO instant), for "data is 3 days old". */
  lastSyncAt: string | null;
  sources: SourceView[];
  quarantined: number;
  /** Largest upload `sync.upload.*` accepts, in bytes. */
  maxUploadBytes: number;
  /** Whether the app can store a feed token itself (safeStorage); otherwise use an environment variable. */
  canStoreTokens: boolean;
  /** Whether the desktop file picker is available (sync.import.choose). */
  canChooseFiles: boolean;
}

export type RunType = 'import' | 'feed' | 'retry';
export type RunStatus = 'ok' | 'partial' | 'unchanged' | 'failed' | 'offline' | 'unauthorised';

export interface RunRow {
  runId: number;
  type: RunType;
  origin: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  accepted: Record<RecordKind, number>;
  unchanged: number;
  rejected: number;
  message: string | null;
}

export interface QuarantineRow {
  id: number;
  kind: RecordKind;
  file: string;
  line: number | null;
  /** What `line` counts: a file's lines, or a feed page's items ("item 2"). */
  unit: 'line' | 'item';
  field: string | null;
  reason: string;
  /** The rejected values under contract field names, as they arrived (or null when the row could not be split). */
  values: Record<string, unknown> | null;
  raw: string | null;
  createdAt: string;
}

export type QuarantinePage = Page<QuarantineRow>;

export interface QuarantineExport {
  fileName: string;
  rows: number;
  /** The CSV itself when there is no native save dialog (web preview); null when saved to disk. */
  csv: string | null;
  savedTo: string | null;
}

export interface UploadStarted {
  uploadId: string;
  /** Bytes per chunk the server accepts (before base64). */
  chunkBytes: number;
}

// --- input schemas for the sync API calls (src/shared/api.ts) ---------------------------------

/** Uploads (the web preview's import): at most this many bytes per file, sent in chunks. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Decoded bytes per chunk: base64 makes 4 MiB, inside the web preview's 5 MB request limit. */
export const UPLOAD_CHUNK_BYTES = 3 * 1024 * 1024;

const recordKind = z.enum(RECORD_KINDS);
const sourceName = z.string().min(1).max(64);
const paging = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) };

export const syncSchemas = {
  overview: z.object({}).strict(),
  saveSource: z
    .object({
      name: sourceName,
      url: z.string().min(1).max(2000),
      /** Stored in the app's encrypted secret store, never in the database. */
      token: z.string().min(1).max(10_000).optional(),
      /** Or: the name of an environment variable holding the token. */
      tokenEnv: z.string().min(1).max(128).optional(),
    })
    .strict(),
  removeSource: z.object({ name: sourceName }).strict(),
  resolveRefused: z
    .object({ name: sourceName, id: z.string().min(1).max(200), action: z.enum(['keep', 'discard']) })
    .strict(),
  run: z.object({ source: sourceName.optional() }).strict(),
  choose: z.object({ kind: recordKind.optional() }).strict(),
  uploadBegin: z
    .object({ fileName: z.string().min(1).max(255), size: z.number().int().min(0).max(MAX_UPLOAD_BYTES) })
    .strict(),
  uploadChunk: z
    .object({
      uploadId: z.string().min(1).max(100),
      index: z.number().int().min(0),
      data: z.string().max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4),
    })
    .strict(),
  /** Imports the finished uploads together (accounts first), as one job. */
  uploadFinish: z
    .object({
      uploadIds: z.array(z.string().min(1).max(100)).min(1).max(20),
      kind: recordKind.optional(),
      mapping: z.record(z.string(), z.unknown()).optional(),
      /** Read every file with this vendor preset instead of detecting one. */
      preset: z.string().min(1).max(100).optional(),
    })
    .strict(),
  presetsList: z.object({}).strict(),
  aliasesList: z.object({ source: z.string().max(100).optional() }).strict(),
  aliasSet: z
    .object({
      source: z.string().trim().min(1).max(100),
      alias: z.string().trim().min(1).max(500),
      accountId: z.string().min(1).max(500),
    })
    .strict(),
  aliasRemove: z
    .object({ source: z.string().trim().min(1).max(100), alias: z.string().trim().min(1).max(500) })
    .strict(),
  uploadCancel: z.object({ uploadId: z.string().min(1).max(100) }).strict(),
  runs: z.object({ ...paging }).strict(),
  quarantineList: z
    .object({ kind: recordKind.optional(), search: z.string().max(200).default(''), ...paging })
    .strict(),
  quarantineExport: z.object({ kind: recordKind.optional() }).strict(),
  quarantineRetry: z.object({}).strict(),
  quarantineDiscard: z
    .object({
      ids: z.array(z.number().int().positive()).min(1).max(10_000).optional(),
      /** Every row the filter (kind, search) selects, as the list shows it; every row without one. */
      all: z.literal(true).optional(),
      kind: recordKind.optional(),
      search: z.string().max(200).optional(),
    })
    .strict(),
};

export interface ChooseResult {
  cancelled: boolean;
  result: ImportResult | null;
}

export interface RetryResult extends SyncCounts {
  /** Rows that passed and left the quarantine. */
  resolved: number;
  /** As ImportResult.rankingFailed. */
  rankingFailed?: string | null;
}
