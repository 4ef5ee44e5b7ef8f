/**
 * SQL for the protocol 1.1 additions (migration 20): the log kinds' cursors, what each source has
 * acknowledged of the activities and item actions, what a source said about itself, and the
 * activities pulled from a hub.
 */
import type { SourceTeam, TeamCounts } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import type { CursorRow } from './repo.ts';

export const LOG_KINDS = ['item_actions', 'interventions', 'activities'] as const;
export type LogKind = (typeof LOG_KINDS)[number];
/** Logs sent to a source besides the interventions outbox (immutable rows, acknowledged by id). */
export type PushedKind = 'activities' | 'item_actions';

export interface CapabilitiesRow {
  source: string;
  protocol: string | null;
  pull_json: string;
  push_json: string;
  user_email: string | null;
  user_role: 'csm' | 'lead' | 'admin' | null;
  takes_activities: 0 | 1 | null;
  last_counts_json: string | null;
  checked_at: string;
}

/** An activity as the protocol carries it (docs/feed-protocol.md, "activities"). */
export interface ActivityRecord {
  activity_id: string;
  account_id: string;
  type: 'call' | 'meeting' | 'email' | 'note';
  at: string;
  contact_id: string | null;
  summary: string;
  outcome: string | null;
}

export const teamRepo = perConnection((db: Db) => {
  const cursor = db.prepare<[string, LogKind], CursorRow>(
    'SELECT cursor, etag FROM sync_log_cursors WHERE source = ? AND kind = ?',
  );
  const saveCursor = db.prepare<[string, LogKind, string | null, string | null, string]>(
    `INSERT INTO sync_log_cursors (source, kind, cursor, etag, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (source, kind) DO UPDATE SET cursor = excluded.cursor, etag = excluded.etag, updated_at = excluded.updated_at`,
  );
  const acknowledge = db.prepare<[string, PushedKind, string, string]>(
    'INSERT INTO sync_pushed (source, kind, item_id, pushed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const capabilities = db.prepare<[string], CapabilitiesRow>('SELECT * FROM sync_capabilities WHERE source = ?');
  const saveCapabilities = db.prepare<Omit<CapabilitiesRow, 'takes_activities' | 'last_counts_json'>>(
    `INSERT INTO sync_capabilities (source, protocol, pull_json, push_json, user_email, user_role, checked_at)
     VALUES (@source, @protocol, @pull_json, @push_json, @user_email, @user_role, @checked_at)
     ON CONFLICT (source) DO UPDATE SET protocol = excluded.protocol, pull_json = excluded.pull_json,
       push_json = excluded.push_json, user_email = excluded.user_email, user_role = excluded.user_role,
       checked_at = excluded.checked_at`,
  );
  const takesActivities = db.prepare<[0 | 1, string]>(
    'UPDATE sync_capabilities SET takes_activities = ? WHERE source = ?',
  );
  const saveCounts = db.prepare<[string, string]>('UPDATE sync_capabilities SET last_counts_json = ? WHERE source = ?');
  const forget = [
    db.prepare<[string]>('DELETE FROM sync_log_cursors WHERE source = ?'),
    db.prepare<[string]>('DELETE FROM sync_pushed WHERE source = ?'),
    db.prepare<[string]>('DELETE FROM sync_capabilities WHERE source = ?'),
  ];
  const pendingActivities = db.prepare<{ source: string; limit: number }, ActivityRecord>(
    `SELECT a.activity_id, a.account_id, a.type, a.occurred_at AS at, a.contact_id, a.summary, a.outcome
     FROM activities a
     WHERE a.origin IS NULL AND NOT EXISTS (
       SELECT 1 FROM sync_pushed p WHERE p.source = @source AND p.kind = 'activities' AND p.item_id = a.activity_id)
     ORDER BY a.created_at, a.activity_id LIMIT @limit`,
  );
  const pendingActivityCount = db
    .prepare<{ source: string }, number>(
      `SELECT count(*) FROM activities a WHERE a.origin IS NULL AND NOT EXISTS (
         SELECT 1 FROM sync_pushed p WHERE p.source = @source AND p.kind = 'activities' AND p.item_id = a.activity_id)`,
    )
    .pluck();
  const insertActivity = db.prepare<
    ActivityRecord & { author_email: string | null; origin: string; created_at: string }
  >(
    `INSERT INTO activities (activity_id, account_id, type, occurred_at, contact_id, summary, outcome, author_email, origin, created_at)
     VALUES (@activity_id, @account_id, @type, @at, @contact_id, @summary, @outcome, @author_email, @origin, @created_at)
     ON CONFLICT (activity_id) DO NOTHING`,
  );
  const isLocalIntervention = db
    .prepare<{ id: string }, number>(
      'SELECT 1 FROM interventions WHERE intervention_id = @id UNION ALL SELECT 1 FROM control_outcomes WHERE record_id = @id',
    )
    .pluck();
  return {
    cursor: (source: string, kind: LogKind): CursorRow | undefined => cursor.get(source, kind),
    saveCursor: (source: string, kind: LogKind, value: string | null, etag: string | null, at: string) =>
      void saveCursor.run(source, kind, value, etag, at),
    acknowledge: (source: string, kind: PushedKind, id: string, at: string) =>
      void acknowledge.run(source, kind, id, at),
    capabilities: (source: string): CapabilitiesRow | undefined => capabilities.get(source),
    saveCapabilities: (row: Omit<CapabilitiesRow, 'takes_activities' | 'last_counts_json'>) =>
      void saveCapabilities.run(row),
    setTakesActivities: (source: string, takes: boolean) => void takesActivities.run(takes ? 1 : 0, source),
    saveCounts: (source: string, counts: unknown) => void saveCounts.run(JSON.stringify(counts), source),
    /** A changed URL is a different feed: nothing it was told or said still applies. */
    forget: (source: string) => forget.forEach((statement) => statement.run(source)),
    pendingActivities: (source: string, limit: number): ActivityRecord[] => pendingActivities.all({ source, limit }),
    pendingActivityCount: (source: string): number => pendingActivityCount.get({ source }) ?? 0,
    /** True when the activity is new here. */
    addRemoteActivity: (row: ActivityRecord & { author_email: string | null; origin: string; created_at: string }) =>
      insertActivity.run(row).changes > 0,
    isLocalIntervention: (id: string): boolean => isLocalIntervention.get({ id }) !== undefined,
  };
});

/** What the Sync screen shows of a source's team side; null before its first sync with protocol 1.1 support. */
export function sourceTeam(db: Db, source: string): SourceTeam | null {
  const row = teamRepo(db).capabilities(source);
  if (!row) return null;
  return {
    protocol: row.protocol,
    user: row.user_email && row.user_role ? { email: row.user_email, role: row.user_role } : null,
    takesActivities: row.takes_activities === null ? null : row.takes_activities === 1,
    last: row.last_counts_json ? (JSON.parse(row.last_counts_json) as TeamCounts) : null,
    checkedAt: row.checked_at,
  };
}
