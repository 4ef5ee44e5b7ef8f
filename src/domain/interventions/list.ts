import { importedRepo } from './imported-repo.ts';
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import type {
  InterventionListResult,
  InterventionListRow,
  InterventionStatus,
} from '../../shared/dto/interventions.ts';
import { INTERVENTION_STATUSES } from '../../shared/dto/interventions.ts';
import { REPLY_WINDOW_DAYS } from './facts.ts';
import { TEMPLATE_NAME_COLUMN, type TreatedSource } from './outcomes-repo.ts';
import { builtinTemplate } from '../outreach/builtin-templates.ts';
import { triggerLabel } from './report.ts';

/** A list row's source: the intervention, and the first reply_received event that answers it. */
type ListSource = TreatedSource & { reply_event_at?: string | null };

export interface ListQuery {
  status?: InterventionStatus | null;
  triggerId?: string | null;
  channel?: string | null;
  ownerEmail?: string | null;
  accountId?: string | null;
  /** Matches account name or id. */
  search?: string | null;
  /** Sent (or planned) on or after / before these days. */
  from?: string | null;
  to?: string | null;
  offset?: number;
  limit?: number;
}

const FILTER = `
  (@status IS NULL OR i.status = @status)
  AND (@trigger IS NULL OR i.trigger_id = @trigger)
  AND (@channel IS NULL OR i.channel = @channel)
  AND (@owner IS NULL OR i.owner_email = @owner)
  AND (@account IS NULL OR i.account_id = @account)
  AND (@pattern IS NULL OR a.name LIKE @pattern ESCAPE '\\' OR i.account_id LIKE @pattern ESCAPE '\\')
  AND (@from IS NULL OR substr(coalesce(i.sent_at, i.planned_at, i.created_at), 1, 10) >= @from)
  AND (@to IS NULL OR substr(coalesce(i.sent_at, i.planned_at, i.created_at), 1, 10) <= @to)`;

type Params = {
  status: string | null;
  trigger: string | null;
  channel: string | null;
  owner: string | null;
  account: string | null;
  pattern: string | null;
  from: string | null;
  to: string | null;
};

const statementsFor = perConnection(build);

function build(db: Db) {
  const base = `FROM interventions i JOIN accounts a ON a.account_id = i.account_id
    LEFT JOIN risk_items r ON r.item_id = i.risk_item_id
    LEFT JOIN intervention_outcomes o ON o.intervention_id = i.intervention_id WHERE ${FILTER}`;
  // A reply_received event counts as the answer to a touch within REPLY_WINDOW_DAYS of sending,
  // as in the response rate (facts.ts): from the sent instant to the end of the last day.
  const page = db.prepare<Params & { limit: number; offset: number; replyWindow: string }, ListSource>(
    `SELECT i.*, r.first_fired_on, r.facts_json, a.name AS account_name, a.arr, a.currency, ${TEMPLATE_NAME_COLUMN},
       o.manual, o.manual_note, o.start_on, o.due_on, o.outcome_on, o.days_to_success, o.evidence, o.retained_90d, o.tickets_30d, o.evaluated_on,
       (SELECT min(e.occurred_at) FROM events e
         WHERE i.sent_at IS NOT NULL AND e.account_id = i.account_id AND e.type = 'reply_received'
           AND e.occurred_at >= i.sent_at AND e.occurred_at < date(i.sent_at, @replyWindow)) AS reply_event_at
     ${base} ORDER BY coalesce(i.sent_at, i.planned_at, i.created_at) DESC, i.intervention_id LIMIT @limit OFFSET @offset`,
  );
  const counts = db.prepare<Omit<Params, 'status'> & { status: null }, { status: InterventionStatus; n: number }>(
    `SELECT i.status, count(*) AS n ${base} GROUP BY i.status`,
  );
  return { page, counts };
}

export function toListRow(row: ListSource): InterventionListRow {
  const excluded = row.excluded_from_uplift === 1;
  const replyEvent = row.reply_event_at ?? null;
  return {
    intervention_id: row.intervention_id,
    account_id: row.account_id,
    risk_item_id: row.risk_item_id,
    trigger_id: row.trigger_id,
    template_id: row.template_id,
    template_version: row.template_version,
    template_name: row.template_name ?? (row.template_id ? (builtinTemplate(row.template_id)?.name ?? null) : null),
    channel: row.channel,
    owner_email: row.owner_email,
    status: row.status,
    planned_at: row.planned_at,
    sent_at: row.sent_at,
    notes: row.notes,
    effort_rating: row.effort_rating,
    replied_at: row.replied_at,
    reply_at: row.replied_at ?? replyEvent,
    reply_source: row.replied_at ? 'logged' : replyEvent ? 'event' : null,
    fatigue_override: row.fatigue_override === 1,
    excluded_from_uplift: excluded,
    holdout: excluded,
    created_at: row.created_at,
    updated_at: row.updated_at,
    account_name: row.account_name,
    arr: row.arr,
    currency: row.currency,
    trigger_label: triggerLabel(row.trigger_id),
    start_on: row.start_on,
    due_on: row.due_on,
    outcome_on: row.outcome_on,
    days_to_success: row.days_to_success,
    evidence: row.evidence,
    manual: row.manual === 1,
    manual_note: row.manual_note,
    evaluated_on: row.evaluated_on,
  };
}

/** A page of interventions with their outcomes, newest first, and the count per status under the same filters. */
export function listInterventions(db: Db, query: ListQuery = {}): InterventionListResult {
  const statements = statementsFor(db);
  const search = query.search?.trim();
  const params: Params = {
    status: query.status ?? null,
    trigger: query.triggerId ?? null,
    channel: query.channel ?? null,
    owner: query.ownerEmail ?? null,
    account: query.accountId ?? null,
    pattern: search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
    from: query.from ?? null,
    to: query.to ?? null,
  };
  const offset = query.offset ?? 0;
  const replyWindow = `+${REPLY_WINDOW_DAYS + 1} days`;
  const rows = statements.page
    .all({ ...params, limit: query.limit ?? 100, offset, replyWindow })
    .map((row) => toListRow(row));
  const counts = Object.fromEntries(INTERVENTION_STATUSES.map((s) => [s, 0])) as Record<InterventionStatus, number>;
  for (const c of statements.counts.all({ ...params, status: null })) counts[c.status] = c.n;
  const total = query.status ? counts[query.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  return { rows, total, offset, counts, merged: importedRepo(db).treatedCount() };
}
