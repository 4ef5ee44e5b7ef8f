/**
 * POST /v1/{interventions,activities,item_actions}: idempotent by id, all or nothing. A batch
 * naming an account outside the caller's book is refused whole with 422 (403 would read as
 * "token rejected" to the app). Logs are append-only (an id seen twice is stored once);
 * interventions keep their highest version. Every accepted batch is one audit row.
 */
import type { HubUser } from '../auth/users.ts';
import { WRITER_LOCK } from '../load/stage.ts';
import type { HubQuery, HubStore } from '../store/store.ts';
import { parsePushBody, type PushKind } from './push-items.ts';
import { firstOutOfScope } from './scope.ts';

export type PushAnswer = { status: number; body: Record<string, unknown> };

const OWNER = `(SELECT owner_email FROM hub_account_owners WHERE account_id = $2 LIMIT 1)`;

async function storeItem(tx: HubQuery, kind: PushKind, item: Record<string, unknown>, actor: string): Promise<number> {
  switch (kind) {
    case 'item_actions': {
      const rows = await tx.query(
        `INSERT INTO item_actions (action_id, account_id, trigger_id, action, at, snooze_until, reason, actor_email, owner_email, seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ${OWNER}, nextval('hub_seq'))
         ON CONFLICT (action_id) DO NOTHING RETURNING 1`,
        [item.action_id, item.account_id, item.trigger_id, item.action, item.at, item.snooze_until, item.reason, actor],
      );
      return rows.length;
    }
    case 'activities': {
      const rows = await tx.query(
        `INSERT INTO activities (activity_id, account_id, body, actor_email, owner_email, seq)
         VALUES ($1, $2, $3::jsonb, $4, ${OWNER}, nextval('hub_seq'))
         ON CONFLICT (activity_id) DO NOTHING RETURNING 1`,
        [item.activity_id, item.account_id, JSON.stringify(item), actor],
      );
      return rows.length;
    }
    case 'interventions': {
      const outcome = item.outcome as { start_on?: string; manual?: unknown } | null;
      const startOn = outcome?.start_on ?? dayOf(item.sent_at) ?? dayOf(item.created_at);
      const rows = await tx.query(
        `INSERT INTO interventions (intervention_id, account_id, trigger_id, cohort, status, version, start_on, manual, excluded, body, actor_email, fired_on, owner_email, seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, ${OWNER}, nextval('hub_seq'))
         ON CONFLICT (intervention_id) DO UPDATE SET trigger_id = excluded.trigger_id, cohort = excluded.cohort,
           status = excluded.status, version = excluded.version, start_on = excluded.start_on, fired_on = excluded.fired_on, manual = excluded.manual,
           excluded = excluded.excluded, body = excluded.body, actor_email = excluded.actor_email, seq = excluded.seq
         WHERE interventions.version < excluded.version AND interventions.account_id = excluded.account_id
         RETURNING 1`,
        [
          item.intervention_id,
          item.account_id,
          item.trigger_id,
          item.cohort,
          item.status,
          item.version,
          startOn,
          truthy(outcome?.manual),
          truthy(item.excluded_from_uplift),
          JSON.stringify(item),
          actor,
          item.fired_on,
        ],
      );
      return rows.length;
    }
  }
}

const truthy = (value: unknown) => value === true || value === 1;
const dayOf = (value: unknown) =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;

export async function pushItems(store: HubStore, user: HubUser, kind: PushKind, body: unknown): Promise<PushAnswer> {
  const parsed = parsePushBody(kind, body);
  if (!parsed.ok) return { status: 400, body: { error: parsed.error } };
  // Checked under the writer lock, so an account cannot change hands between check and write.
  const result = await store.transaction(async (tx) => {
    await tx.query(WRITER_LOCK);
    const outside = await firstOutOfScope(
      tx,
      user,
      parsed.items.map((i) => String(i.account_id)),
    );
    if (outside !== null) return { outside };
    let count = 0;
    for (const item of parsed.items) count += await storeItem(tx, kind, item, user.email);
    await tx.query(`INSERT INTO hub_audit (actor_email, action, kind, count, detail) VALUES ($1, 'push', $2, $3, $4)`, [
      user.email,
      kind,
      count,
      `${parsed.items.length} received, ${count} new or newer`,
    ]);
    return { stored: count };
  });
  if ('outside' in result) return { status: 422, body: { error: `account ${result.outside} is not in your book` } };
  return { status: 200, body: { accepted: parsed.items.length, stored: result.stored } };
}
