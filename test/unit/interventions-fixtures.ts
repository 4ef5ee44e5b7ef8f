/** Small fixtures for the interventions tests: rows inserted directly, no risk engine needed. */
import type { Db } from '../../src/domain/db/open.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { isHoldout } from '../../src/domain/interventions/holdout.ts';
import { sampleAccount } from '../support/temp.ts';

export function addAccount(db: Db, overrides: Record<string, unknown> = {}): string {
  const row = sampleAccount(overrides);
  accountsRepo(db).upsert(row);
  return row.account_id;
}

export function insertRiskItem(
  db: Db,
  accountId: string,
  triggerId: string,
  firedOn: string,
  isControl: boolean,
  options: { status?: string; facts?: Record<string, unknown> } = {},
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, facts_json, is_control, first_fired_on, last_fired_on, status_changed_at, created_at, updated_at)
         VALUES (?, ?, ?, 1, 'human', 'fixture', ?, ?, ?, ?, 't', 't', 't')`,
      )
      .run(
        accountId,
        triggerId,
        options.status ?? 'open',
        JSON.stringify(options.facts ?? {}),
        isControl ? 1 : 0,
        firedOn,
        firedOn,
      ).lastInsertRowid,
  );
}

let eventSeq = 0;
export function addEvent(
  db: Db,
  accountId: string,
  type: string,
  occurredAt: string,
  value: number | null = null,
  contactId: string | null = null,
): void {
  const at = occurredAt.length === 10 ? `${occurredAt}T12:00:00.000Z` : occurredAt;
  db.prepare(
    'INSERT INTO events (event_id, account_id, occurred_at, type, value, contact_id) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(`ev_${++eventSeq}`, accountId, at, type, value, contactId);
}

export function addMetric(
  db: Db,
  accountId: string,
  metric: string,
  date: string,
  value: number,
  contactId = '',
): void {
  db.prepare('INSERT OR REPLACE INTO metrics (account_id, metric, contact_id, date, value) VALUES (?, ?, ?, ?, ?)').run(
    accountId,
    metric,
    contactId,
    date,
    value,
  );
}

/** A daily series from `from` for `days` days, value per day from a function of the day index. */
export function addSeries(
  db: Db,
  accountId: string,
  metric: string,
  from: string,
  days: number,
  value: (i: number) => number,
  contactId = '',
): void {
  const start = Date.parse(`${from}T00:00:00Z`);
  for (let i = 0; i < days; i++)
    addMetric(db, accountId, metric, new Date(start + i * 86_400_000).toISOString().slice(0, 10), value(i), contactId);
}

/** An account id the stable draw puts in (held = true) or out of the control group. */
export function accountIdWhere(held: boolean, triggerId: string, day: string, share = 0.1, prefix = 'acc_'): string {
  for (let i = 0; ; i++) if (isHoldout(`${prefix}${i}`, triggerId, day, share) === held) return `${prefix}${i}`;
}
