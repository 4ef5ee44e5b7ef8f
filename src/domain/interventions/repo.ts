import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import type { InterventionRow, InterventionStatus } from '../../shared/dto/interventions.ts';

/** The interventions table as stored: SQLite has no booleans, and holdout is derived, not stored. */
export type InterventionDbRow = Omit<InterventionRow, 'excluded_from_uplift' | 'holdout' | 'fatigue_override'> & {
  excluded_from_uplift: 0 | 1;
  fatigue_override: 0 | 1;
};

export interface LiveRiskItem {
  item_id: number;
  account_id: string;
  trigger_id: string;
  status: string;
  is_control: 0 | 1;
  first_fired_on: string;
  facts_json: string;
}

export function toInterventionRow(row: InterventionDbRow): InterventionRow {
  const excluded = row.excluded_from_uplift === 1;
  return { ...row, excluded_from_uplift: excluded, holdout: excluded, fatigue_override: row.fatigue_override === 1 };
}

/** Prepared statements for interventions, created once per connection. */
export const interventionsRepo = perConnection(build);

function build(db: Db) {
  const insert = db.prepare<InterventionDbRow>(
    `INSERT INTO interventions (intervention_id, account_id, risk_item_id, trigger_id, template_id, template_version, channel, owner_email,
       status, planned_at, sent_at, notes, effort_rating, replied_at, fatigue_override, excluded_from_uplift, created_at, updated_at)
     VALUES (@intervention_id, @account_id, @risk_item_id, @trigger_id, @template_id, @template_version, @channel, @owner_email,
       @status, @planned_at, @sent_at, @notes, @effort_rating, @replied_at, @fatigue_override, @excluded_from_uplift, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string], InterventionDbRow>('SELECT * FROM interventions WHERE intervention_id = ?');
  const accountOwner = db.prepare<
    [string],
    { account_id: string; name: string; owner_email: string | null; status: string; churned_at: string | null }
  >('SELECT account_id, name, owner_email, status, churned_at FROM accounts WHERE account_id = ?');
  const liveItem = db.prepare<[string, string], LiveRiskItem>(
    `SELECT item_id, account_id, trigger_id, status, is_control, first_fired_on, facts_json FROM risk_items
     WHERE account_id = ? AND trigger_id = ? AND status IN ('open', 'in_progress')`,
  );
  const itemById = db.prepare<[number], LiveRiskItem>(
    'SELECT item_id, account_id, trigger_id, status, is_control, first_fired_on, facts_json FROM risk_items WHERE item_id = ?',
  );
  const setStatus = db.prepare<{ id: string; status: InterventionStatus; sent_at: string | null; updated_at: string }>(
    `UPDATE interventions SET status = @status, sent_at = @sent_at, updated_at = @updated_at
     WHERE intervention_id = @id AND (status IS NOT @status OR sent_at IS NOT @sent_at)`,
  );
  const setEffort = db.prepare<{ id: string; effort_rating: number | null; updated_at: string }>(
    'UPDATE interventions SET effort_rating = @effort_rating, updated_at = @updated_at WHERE intervention_id = @id AND effort_rating IS NOT @effort_rating',
  );
  const setNotes = db.prepare<{ id: string; notes: string | null; updated_at: string }>(
    'UPDATE interventions SET notes = @notes, updated_at = @updated_at WHERE intervention_id = @id AND notes IS NOT @notes',
  );
  const setReplied = db.prepare<{ id: string; replied_at: string | null; updated_at: string }>(
    'UPDATE interventions SET replied_at = @replied_at, updated_at = @updated_at WHERE intervention_id = @id AND replied_at IS NOT @replied_at',
  );
  // Its outcome goes with it (ON DELETE CASCADE); the outbox rows have no foreign key.
  const removeOutbox = db.prepare<[string]>('DELETE FROM sync_outbox WHERE intervention_id = ?');
  const remove = db.prepare<[string]>('DELETE FROM interventions WHERE intervention_id = ?');
  const sameTouch = db
    .prepare<
      { id: string; account: string; trigger: string; channel: string; notes: string | null; minute: string },
      string
    >(
      `SELECT intervention_id FROM interventions
        WHERE account_id = @account AND trigger_id = @trigger AND channel = @channel AND notes IS @notes
          AND substr(coalesce(sent_at, planned_at), 1, 16) = @minute AND intervention_id <> @id
        ORDER BY created_at LIMIT 1`,
    )
    .pluck();
  return {
    insert: (row: InterventionDbRow) => void insert.run(row),
    /** An earlier intervention identical to this one (account, trigger, channel, notes, minute), if any. */
    sameTouch: (row: InterventionDbRow): string | null =>
      sameTouch.get({
        id: row.intervention_id,
        account: row.account_id,
        trigger: row.trigger_id,
        channel: row.channel,
        notes: row.notes,
        minute: (row.sent_at ?? row.planned_at ?? '').slice(0, 16),
      }) ?? null,
    /** Deletes an intervention from this book (a row the team hub refused, discarded by the user). */
    remove: (id: string) => {
      removeOutbox.run(id);
      remove.run(id);
    },
    get: (id: string): InterventionDbRow | undefined => byId.get(id),
    account: (accountId: string) => accountOwner.get(accountId),
    liveItem: (accountId: string, triggerId: string): LiveRiskItem | undefined => liveItem.get(accountId, triggerId),
    item: (itemId: number): LiveRiskItem | undefined => itemById.get(itemId),
    setStatus: (id: string, status: InterventionStatus, sentAt: string | null, updatedAt: string): boolean =>
      setStatus.run({ id, status, sent_at: sentAt, updated_at: updatedAt }).changes > 0,
    setEffort: (id: string, rating: number | null, updatedAt: string): boolean =>
      setEffort.run({ id, effort_rating: rating, updated_at: updatedAt }).changes > 0,
    setReplied: (id: string, repliedAt: string | null, updatedAt: string): boolean =>
      setReplied.run({ id, replied_at: repliedAt, updated_at: updatedAt }).changes > 0,
    setNotes: (id: string, notes: string | null, updatedAt: string): boolean =>
      setNotes.run({ id, notes, updated_at: updatedAt }).changes > 0,
  };
}
