/**
 * The control episodes a team hub receives (protocol 1.1, `cohort: "control"`): each held-out risk
 * item with its judged outcome, the same fact the local Outcomes report counts, so the lead's
 * team report has its comparison group. It travels through the interventions outbox under its
 * stable record id (`control:<account>:<trigger>:<fired_on>`); its version is the outcome's
 * updated_at, so a changed verdict is sent again and the hub keeps the latest. An episode is sent
 * once judged (succeeded, failed or expired): a pending one counts in no report, and a firing held
 * out this morning would otherwise reach the hub before anything is known about it.
 */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import type { OutboxItem } from './repo.ts';

interface ControlOutboxRow {
  record_id: string;
  account_id: string;
  trigger_id: string;
  status: 'pending' | 'succeeded' | 'failed' | 'expired';
  fired_on: string;
  owner_email: string | null;
  start_on: string;
  due_on: string | null;
  outcome_on: string | null;
  days_to_success: number | null;
  evidence: string;
  retained_90d: 0 | 1 | null;
  tickets_30d: number | null;
  version: string;
}

export const controlOutbox = perConnection((db: Db) => {
  const pendingFrom = `FROM control_outcomes c
     JOIN risk_items r ON r.item_id = c.item_id AND r.is_control = 1
     JOIN accounts a ON a.account_id = c.account_id
     LEFT JOIN sync_outbox o ON o.source = @source AND o.intervention_id = c.record_id
     WHERE c.status <> 'pending' AND (o.intervention_id IS NULL OR o.pushed_updated_at IS NOT c.updated_at)`;
  const count = db.prepare<{ source: string }, number>(`SELECT count(*) ${pendingFrom}`).pluck();
  const batch = db.prepare<{ source: string; limit: number }, ControlOutboxRow>(
    `SELECT c.record_id, c.account_id, c.trigger_id, c.status, r.first_fired_on AS fired_on, a.owner_email,
            c.start_on, c.due_on, c.outcome_on, c.days_to_success, c.evidence, c.retained_90d, c.tickets_30d,
            c.updated_at AS version
     ${pendingFrom} ORDER BY c.updated_at, c.record_id LIMIT @limit`,
  );
  return {
    pendingCount: (source: string): number => count.get({ source }) ?? 0,
    /** The next control episodes to send, in the shape a pushed intervention has. */
    pendingBatch: (source: string, limit: number): OutboxItem[] =>
      batch.all({ source, limit }).map(({ record_id, version, fired_on, owner_email, ...row }) => ({
        id: record_id,
        version,
        item: {
          intervention_id: record_id,
          account_id: row.account_id,
          trigger_id: row.trigger_id,
          cohort: 'control',
          status: row.status,
          version,
          fired_on,
          owner_email,
          created_at: `${fired_on}T00:00:00.000Z`,
          outcome: {
            start_on: row.start_on,
            due_on: row.due_on,
            outcome_on: row.outcome_on,
            days_to_success: row.days_to_success,
            evidence: row.evidence,
            retained_90d: row.retained_90d,
            tickets_30d: row.tickets_30d,
            manual: 0,
          },
        },
      })),
  };
});
