import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import type { InterventionStatus } from '../../shared/dto/interventions.ts';
import type { InterventionDbRow } from './repo.ts';

/** An intervention joined with its risk item, its account and its stored outcome. */
export interface TreatedSource extends InterventionDbRow {
  first_fired_on: string | null;
  template_name: string | null;
  facts_json: string | null;
  account_name: string;
  arr: number;
  currency: string;
  manual: 0 | 1 | null;
  manual_note: string | null;
  start_on: string | null;
  due_on: string | null;
  outcome_on: string | null;
  days_to_success: number | null;
  evidence: string | null;
  retained_90d: 0 | 1 | null;
  tickets_30d: number | null;
  evaluated_on: string | null;
}

export interface ControlSource {
  item_id: number;
  account_id: string;
  trigger_id: string;
  first_fired_on: string;
  facts_json: string;
  account_name: string;
  owner_email: string | null;
  arr: number;
  currency: string;
  /** Whether a touch for this firing went out (a sent intervention on the risk item). */
  contacted: 0 | 1;
}

export interface OutcomeWrite {
  intervention_id: string;
  start_on: string;
  due_on: string | null;
  outcome_on: string | null;
  days_to_success: number | null;
  evidence: string;
  retained_90d: 0 | 1 | null;
  tickets_30d: number | null;
  manual: 0 | 1;
  manual_note: string | null;
  evaluated_on: string;
  updated_at: string;
}

export interface ControlWrite {
  item_id: number;
  record_id: string;
  account_id: string;
  trigger_id: string;
  start_on: string;
  due_on: string | null;
  status: 'pending' | 'succeeded' | 'failed' | 'expired';
  outcome_on: string | null;
  days_to_success: number | null;
  evidence: string;
  retained_90d: 0 | 1 | null;
  tickets_30d: number | null;
  evaluated_on: string;
  updated_at: string;
}

/**
 * The name of the template version a touch used, from its stored versions, which outlive the
 * template's deletion (archive): a list row keeps saying which template it was. Null for a
 * built-in template (named in code) or none.
 */
export const TEMPLATE_NAME_COLUMN = `(SELECT v.name FROM outreach_template_versions v
    WHERE v.template_id = i.template_id AND v.version = coalesce(i.template_version,
      (SELECT t.current_version FROM outreach_templates t WHERE t.template_id = i.template_id))) AS template_name`;

const TREATED_SELECT = `
  SELECT i.*, r.first_fired_on, r.facts_json, a.name AS account_name, a.arr, a.currency, ${TEMPLATE_NAME_COLUMN},
         o.manual, o.manual_note, o.start_on, o.due_on, o.outcome_on, o.days_to_success, o.evidence, o.retained_90d, o.tickets_30d, o.evaluated_on
  FROM interventions i
  JOIN accounts a ON a.account_id = i.account_id
  LEFT JOIN risk_items r ON r.item_id = i.risk_item_id
  LEFT JOIN intervention_outcomes o ON o.intervention_id = i.intervention_id`;

// Written only when the verdict or its measures differ, so `changes` says what really changed.
const OUTCOME_CONTENT = [
  'start_on',
  'due_on',
  'outcome_on',
  'days_to_success',
  'evidence',
  'retained_90d',
  'tickets_30d',
  'manual',
  'manual_note',
] as const;
const CONTROL_CONTENT = [
  'record_id',
  'account_id',
  'trigger_id',
  'start_on',
  'due_on',
  'status',
  'outcome_on',
  'days_to_success',
  'evidence',
  'retained_90d',
  'tickets_30d',
] as const;

function upsertSql(table: string, key: string, content: readonly string[]): string {
  const columns = [key, ...content, 'evaluated_on', 'updated_at'];
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (${key}) DO UPDATE SET ${[...content, 'evaluated_on', 'updated_at'].map((c) => `${c} = excluded.${c}`).join(', ')}
    WHERE ${content.map((c) => `${table}.${c} IS NOT excluded.${c}`).join(' OR ')}`;
}

export const outcomesRepo = perConnection(build);

function build(db: Db) {
  // accountIds travel as one JSON array parameter; null means every account.
  const treated = db.prepare<[string | null, string | null], TreatedSource>(
    `${TREATED_SELECT} WHERE (? IS NULL OR i.account_id IN (SELECT value FROM json_each(?))) ORDER BY i.sent_at, i.intervention_id`,
  );
  const treatedByIds = db.prepare<[string], TreatedSource>(
    `${TREATED_SELECT} WHERE i.intervention_id IN (SELECT value FROM json_each(?)) ORDER BY i.sent_at DESC`,
  );
  // Held-out firings (is_control = 1) or the others, the firings eligible for outreach.
  const firings = db.prepare<[0 | 1, string | null, string | null], ControlSource>(
    `SELECT r.item_id, r.account_id, r.trigger_id, r.first_fired_on, r.facts_json, a.name AS account_name, a.owner_email, a.arr, a.currency,
            EXISTS (SELECT 1 FROM interventions i WHERE i.account_id = r.account_id AND i.risk_item_id = r.item_id AND i.sent_at IS NOT NULL AND i.status <> 'planned') AS contacted
     FROM risk_items r JOIN accounts a ON a.account_id = r.account_id
     WHERE r.is_control = ? AND (? IS NULL OR r.account_id IN (SELECT value FROM json_each(?))) ORDER BY r.first_fired_on, r.item_id`,
  );
  const upsertOutcome = db.prepare<OutcomeWrite>(
    upsertSql('intervention_outcomes', 'intervention_id', OUTCOME_CONTENT),
  );
  const upsertControl = db.prepare<ControlWrite>(upsertSql('control_outcomes', 'item_id', CONTROL_CONTENT));
  const dropStaleControl = db.prepare(
    'DELETE FROM control_outcomes WHERE item_id IN (SELECT item_id FROM risk_items WHERE is_control = 0)',
  );
  const storedControl = db.prepare<
    [],
    ControlWrite & {
      account_name: string;
      owner_email: string | null;
      arr: number;
      currency: string;
      first_fired_on: string;
    }
  >(
    `SELECT c.*, a.name AS account_name, a.owner_email, a.arr, a.currency, r.first_fired_on
     FROM control_outcomes c JOIN accounts a ON a.account_id = c.account_id JOIN risk_items r ON r.item_id = c.item_id ORDER BY c.start_on`,
  );
  const setStatus = db.prepare<{ id: string; status: InterventionStatus; updated_at: string }>(
    'UPDATE interventions SET status = @status, updated_at = @updated_at WHERE intervention_id = @id AND status IS NOT @status',
  );
  // interventions_account (account_id, sent_at) index.
  const touchedBetween = db
    .prepare<[string, string, string], number>(
      "SELECT 1 FROM interventions WHERE account_id = ? AND sent_at >= ? AND sent_at < ? AND status <> 'planned' LIMIT 1",
    )
    .pluck();
  const ids = (accountIds: readonly string[] | null) => (accountIds ? JSON.stringify(accountIds) : null);
  return {
    treated: (accountIds: readonly string[] | null) => {
      const json = ids(accountIds);
      return treated.all(json, json);
    },
    treatedByIds: (interventionIds: readonly string[]) => treatedByIds.all(JSON.stringify(interventionIds)),
    control: (accountIds: readonly string[] | null) => {
      const json = ids(accountIds);
      return firings.all(1, json, json);
    },
    /** Whether any touch (for any play) went out to the account in [from, to). */
    touchedBetween: (accountId: string, from: string, to: string): boolean =>
      touchedBetween.get(accountId, from, to) !== undefined,
    /** The firings not held out: the intention-to-treat group, contacted or not. */
    eligible: () => firings.all(0, null, null),
    storedControl: () => storedControl.all(),
    writeOutcome: (row: OutcomeWrite): boolean => upsertOutcome.run(row).changes > 0,
    writeControl: (row: ControlWrite): boolean => upsertControl.run(row).changes > 0,
    dropStaleControl: () => dropStaleControl.run().changes,
    setStatus: (id: string, status: InterventionStatus, updatedAt: string): boolean =>
      setStatus.run({ id, status, updated_at: updatedAt }).changes > 0,
  };
}
