/**
 * A deterministic history of interventions for the demo book, so the Outcomes screen has real
 * numbers to show: past firings are read from the demo data itself (failed payments, detractor
 * answers, escalations, champions leaving, usage drops), each is assigned to the control group by
 * a stable draw with a 50% share (an experiment with enough power to show an effect; live firings
 * use the configured share), the treated ones get an intervention a few hours to three days after
 * the observation that fired them, and everything is evaluated against what the data says
 * happened next. Payment outreach has a planted effect (demo-planted-effect.ts).
 *
 * The firings are stored as resolved risk items whose evidence starts with "Demo history", and
 * the interventions carry the note "Demo history", so running this again replaces them. It only
 * touches demo accounts (is_demo = 1).
 */
import { addDays } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { builtinTemplateId } from '../outreach/builtin-templates.ts';
import { DEFAULT_TRIGGERS, type TriggerId } from '../risk/catalog.ts';
import { evaluateOutcomes, type EvaluationSummary } from './evaluate.ts';
import { openingOf } from './criteria.ts';
import { draw, plantedEffectWriter, PLANTED_EFFECT } from './demo-planted-effect.ts';
import { firingPeriod, isHoldout } from './holdout.ts';
import { logIntervention } from './log.ts';
import { interventionsRepo } from './repo.ts';

export const DEMO_HISTORY_MARK = 'Demo history';

/** The demo's historical firings are split half and half, so each play's comparison has power. */
export const DEMO_HOLDOUT_SHARE = 0.5;

export interface DemoHistoryOptions {
  asOf: string;
  /** Wall clock for created_at/updated_at. */
  now: Date;
  /** How far back firings are looked for. Default 300 days. */
  days?: number;
  onProgress?: (processed: number, total: number) => void;
}

export interface DemoHistoryResult {
  firings: number;
  interventions: number;
  control: number;
  byTrigger: Record<string, { treated: number; control: number }>;
  evaluation: EvaluationSummary;
}

interface Firing {
  accountId: string;
  triggerId: TriggerId;
  firedOn: string;
  /** The instant of the observation that fired it (the event, or the end of the metric day). */
  firedAt: string;
  evidence: string;
}

const endOfDay = (day: string) => `${day}T23:59:59.999Z`;

function eventFirings(db: Db, from: string, to: string): Firing[] {
  const rows = db
    .prepare<[string, string], { account_id: string; type: string; occurred_at: string; value: number | null }>(
      `SELECT e.account_id, e.type, e.occurred_at, e.value FROM events e JOIN accounts a ON a.account_id = e.account_id
       WHERE a.is_demo = 1 AND e.occurred_at >= ? AND e.occurred_at < ?
         AND (e.type IN ('payment_failed', 'champion_left') OR (e.type = 'nps_response' AND e.value <= 6))
       ORDER BY e.occurred_at, e.account_id`,
    )
    .all(`${from}T00:00:00.000Z`, `${addDays(to, 1)}T00:00:00.000Z`);
  const map: Record<string, [TriggerId, (value: number | null) => string]> = {
    payment_failed: ['payment_failing', () => 'A payment failed.'],
    champion_left: ['champion_left', () => 'The champion left.'],
    nps_response: ['detractor', (value) => `NPS answer ${value}.`],
  };
  return rows.map((row) => {
    const [triggerId, describe] = map[row.type]!;
    return {
      accountId: row.account_id,
      triggerId,
      firedOn: row.occurred_at.slice(0, 10),
      firedAt: row.occurred_at,
      evidence: describe(row.value),
    };
  });
}

/** Usage drops: every 14 days, the 14-day mean of active users below 70% of the 28 days before. */
function usageDropFirings(db: Db, from: string, to: string): Firing[] {
  const accounts = db
    .prepare<[], string>('SELECT account_id FROM accounts WHERE is_demo = 1 ORDER BY account_id')
    .pluck()
    .all();
  const mean = db.prepare<[string, string, string], { mean: number | null; n: number }>(
    `SELECT avg(value) AS mean, count(*) AS n FROM metrics WHERE account_id = ? AND metric = 'active_users' AND contact_id = '' AND date BETWEEN ? AND ?`,
  );
  const firings: Firing[] = [];
  for (const accountId of accounts) {
    for (let day = from; day <= to; day = addDays(day, 14)) {
      const recent = mean.get(accountId, addDays(day, -13), day);
      const baseline = mean.get(accountId, addDays(day, -41), addDays(day, -14));
      if (!recent?.mean || !baseline?.mean || recent.n < 7 || baseline.n < 14 || baseline.mean < 5) continue;
      if (recent.mean < baseline.mean * 0.7) {
        firings.push({
          accountId,
          triggerId: 'usage_drop',
          firedOn: day,
          firedAt: endOfDay(day),
          evidence: `Active users fell to ${Math.round((recent.mean / baseline.mean) * 100)}% of their usual level.`,
        });
      }
    }
  }
  return firings;
}

/** Ticket surges: at least 3 tickets opened in 30 days and twice the monthly rate of the 90 days before. */
function supportSurgeFirings(db: Db, from: string, to: string): Firing[] {
  const rows = db
    .prepare<[string, string], { account_id: string; day: string }>(
      `SELECT e.account_id, substr(e.occurred_at, 1, 10) AS day FROM events e JOIN accounts a ON a.account_id = e.account_id
       WHERE a.is_demo = 1 AND e.type = 'ticket_opened' AND e.occurred_at >= ? AND e.occurred_at < ? ORDER BY e.account_id, e.occurred_at`,
    )
    .all(`${addDays(from, -120)}T00:00:00.000Z`, `${addDays(to, 1)}T00:00:00.000Z`);
  const byAccount = new Map<string, string[]>();
  for (const row of rows) byAccount.set(row.account_id, [...(byAccount.get(row.account_id) ?? []), row.day]);
  const firings: Firing[] = [];
  for (const [accountId, days] of byAccount) {
    for (const day of days) {
      if (day < from || day > to) continue;
      const recent = days.filter((d) => d > addDays(day, -30) && d <= day).length;
      const before = days.filter((d) => d > addDays(day, -120) && d <= addDays(day, -30)).length / 3;
      if (recent >= 3 && recent >= 2 * Math.max(before, 0.5)) {
        firings.push({
          accountId,
          triggerId: 'support_surge',
          firedOn: day,
          firedAt: endOfDay(day),
          evidence: `${recent} tickets in 30 days against about ${Math.round(before)} a month before.`,
        });
      }
    }
  }
  return firings;
}

export function clearDemoInterventionHistory(db: Db): { interventions: number; riskItems: number } {
  return db.transaction(() => {
    plantedEffectWriter(db).clear();
    const interventions = db
      .prepare(
        `DELETE FROM interventions WHERE notes = ? AND account_id IN (SELECT account_id FROM accounts WHERE is_demo = 1)`,
      )
      .run(DEMO_HISTORY_MARK).changes;
    const riskItems = db
      .prepare(
        `DELETE FROM risk_items WHERE evidence LIKE ? AND account_id IN (SELECT account_id FROM accounts WHERE is_demo = 1)`,
      )
      .run(`${DEMO_HISTORY_MARK}:%`).changes;
    return { interventions, riskItems };
  })();
}

export function loadDemoInterventionHistory(db: Db, options: DemoHistoryOptions): DemoHistoryResult {
  const { asOf, now } = options;
  const from = addDays(asOf, -(options.days ?? 300));
  // Firings from the last week are left to the live risk engine.
  const to = addDays(asOf, -7);
  clearDemoInterventionHistory(db);

  // One firing per account, trigger and month: the first one. A firing whose touch would go out
  // on or after the account's churn is left out for both groups, as logging refuses such a touch.
  const churnedOn = new Map(
    db
      .prepare<[], { account_id: string; churned_at: string }>(
        "SELECT account_id, churned_at FROM accounts WHERE status = 'churned' AND churned_at IS NOT NULL",
      )
      .all()
      .map((a) => [a.account_id, a.churned_at.slice(0, 10)]),
  );
  const seen = new Set<string>();
  const firings = [
    ...eventFirings(db, from, to),
    ...supportSurgeFirings(db, from, to),
    ...usageDropFirings(db, from, to),
  ]
    .sort(
      (a, b) =>
        a.firedOn.localeCompare(b.firedOn) ||
        a.accountId.localeCompare(b.accountId) ||
        a.triggerId.localeCompare(b.triggerId),
    )
    .filter((f) => {
      const churned = churnedOn.get(f.accountId);
      if (churned !== undefined && sendingTime(f).slice(0, 10) >= churned) return false;
      const key = `${f.accountId}|${f.triggerId}|${firingPeriod(f.firedOn)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });

  // A past episode, over when it closed: its condition counts as cleared, so it never suppresses a
  // live firing of the same trigger (the history is written before the book is first scored).
  const insertItem = db.prepare(
    `INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, facts_json, is_control, first_fired_on, last_fired_on,
       closed_on, close_reason, condition_cleared_on, status_changed_at, created_at, updated_at)
     VALUES (@account_id, @trigger_id, 'resolved', @priority, @tier, @evidence, '{}', @is_control, @fired_on, @fired_on, @closed_on, 'demo history', @closed_on, @at, @at, @at)`,
  );
  const result: DemoHistoryResult = {
    firings: firings.length,
    interventions: 0,
    control: 0,
    byTrigger: {},
    evaluation: {
      asOf,
      interventions: { evaluated: 0, changed: 0, statusChanged: 0 },
      control: { evaluated: 0, changed: 0 },
    },
  };

  const planted = plantedEffectWriter(db);
  db.transaction(() => {
    firings.forEach((firing, index) => {
      const trigger = DEFAULT_TRIGGERS[firing.triggerId];
      const control = isHoldout(firing.accountId, firing.triggerId, firing.firedOn, DEMO_HOLDOUT_SHARE);
      const itemId = Number(
        insertItem.run({
          account_id: firing.accountId,
          trigger_id: firing.triggerId,
          priority: trigger.priority,
          tier: trigger.tier,
          evidence: `${DEMO_HISTORY_MARK}: ${firing.evidence}`,
          is_control: control ? 1 : 0,
          fired_on: firing.firedOn,
          closed_on: addDays(firing.firedOn, 30) < asOf ? addDays(firing.firedOn, 30) : asOf,
          at: `${firing.firedOn}T06:00:00.000Z`,
        }).lastInsertRowid,
      );
      const counts = (result.byTrigger[firing.triggerId] ??= { treated: 0, control: 0 });
      const sentAt = control ? null : sendingTime(firing);
      if (firing.triggerId === PLANTED_EFFECT.triggerId) {
        const opensAt = openingOf({ startAt: sentAt ?? `${firing.firedOn}T00:00:00.000Z`, firedOn: firing.firedOn }).at;
        planted.plant({ accountId: firing.accountId, firedAt: firing.firedAt, opensAt, treated: !control });
      }
      if (control || !sentAt) {
        result.control++;
        counts.control++;
      } else {
        logTreated(db, firing, itemId, sentAt, now);
        result.interventions++;
        counts.treated++;
      }
      options.onProgress?.(index + 1, firings.length);
    });
    result.evaluation = evaluateOutcomes(db, { asOf, accountIds: null, now });
  })();
  return result;
}

/** A few hours to three days after the observation that fired the trigger: never before it. */
function sendingTime(firing: Firing): string {
  const r = draw(firing.accountId, firing.triggerId, firing.firedOn);
  const hours = 24 * (Math.floor(r * 1000) % 3) + 1 + (Math.floor(r * 10_000) % 8);
  return new Date(Date.parse(firing.firedAt) + hours * 3_600_000 + 15 * 60_000).toISOString();
}

function logTreated(db: Db, firing: Firing, itemId: number, sentAt: string, now: Date): void {
  const trigger = DEFAULT_TRIGGERS[firing.triggerId];
  const r = draw(firing.accountId, firing.triggerId, firing.firedOn);
  const channel = trigger.tier === 'automated' || r < 0.45 ? 'email' : r < 0.85 ? 'call' : 'in_app';
  const logged = logIntervention(
    db,
    {
      accountId: firing.accountId,
      triggerId: firing.triggerId,
      riskItemId: itemId,
      templateId: builtinTemplateId(firing.triggerId, channel),
      templateVersion: 1,
      channel,
      sentAt,
      notes: DEMO_HISTORY_MARK,
    },
    now,
  );
  // About half the replies carry a customer-effort rating, mostly easy; a third of touches get a reply.
  const rating = draw('effort', firing.accountId, firing.triggerId, firing.firedOn);
  const replied = draw('reply', firing.accountId, firing.triggerId, firing.firedOn);
  const repo = interventionsRepo(db);
  const stamp = now.toISOString();
  if (rating < 0.5) repo.setEffort(logged.intervention_id, 1 + (Math.floor(rating * 10) % 5), stamp);
  if (replied < 0.35) {
    const at = new Date(Date.parse(sentAt) + (2 + Math.floor(replied * 100)) * 3_600_000).toISOString();
    repo.setReplied(logged.intervention_id, at, stamp);
  }
}
