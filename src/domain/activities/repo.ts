/** SQL for activities (migration 14). */
import type { Db } from '../db/open.ts';
import type { ActivityRow, ActivityType } from '../../shared/dto/activities.ts';

export interface ActivityDbRow {
  activity_id: string;
  account_id: string;
  type: ActivityType;
  occurred_at: string;
  contact_id: string | null;
  summary: string;
  outcome: string | null;
  author_email: string | null;
  intervention_id: string | null;
  created_at: string;
}

export function activitiesRepo(db: Db) {
  const insert = db.prepare<ActivityDbRow>(
    `INSERT INTO activities (activity_id, account_id, type, occurred_at, contact_id, summary, outcome, author_email, intervention_id, created_at)
     VALUES (@activity_id, @account_id, @type, @occurred_at, @contact_id, @summary, @outcome, @author_email, @intervention_id, @created_at)`,
  );
  // Newest first; served by activities_account_time.
  const forAccount = db.prepare<[string, number], ActivityDbRow & { contact_name: string | null }>(
    `SELECT a.*, c.name AS contact_name FROM activities a LEFT JOIN contacts c ON c.contact_id = a.contact_id
     WHERE a.account_id = ? ORDER BY a.occurred_at DESC, a.created_at DESC LIMIT ?`,
  );
  const contact = db.prepare<[string], { account_id: string; name: string | null }>(
    'SELECT account_id, name FROM contacts WHERE contact_id = ?',
  );
  return {
    insert: (row: ActivityDbRow) => insert.run(row),
    forAccount: (accountId: string, limit = 200): ActivityRow[] =>
      forAccount.all(accountId, limit).map((r) => ({ ...r, is_touch: r.type !== 'note' })),
    contact: (contactId: string) => contact.get(contactId),
  };
}
