/**
 * The observation that fired a trigger never decides its own episode: for every success criterion,
 * evidence on the firing day is ignored and the same evidence a day later counts. Control episodes
 * are the ones this used to bias (they started at midnight of the firing day), so each case is a
 * held-out risk item judged by the real evaluation on a real database.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { evaluateOutcomes } from '../../src/domain/interventions/evaluate.ts';
import { listInterventions } from '../../src/domain/interventions/list.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import type { TriggerId } from '../../src/domain/risk/catalog.ts';
import { addDays } from '../../src/domain/contract/dates.ts';
import { tempDb } from '../support/temp.ts';
import {
  accountIdWhere,
  addAccount,
  addEvent,
  addMetric,
  addSeries,
  insertRiskItem,
} from './interventions-fixtures.ts';

const FIRED = '2026-03-10';
const AS_OF = '2026-09-01';

interface Case {
  trigger: TriggerId;
  /** Evidence that would meet the criterion if it were dated `day`. */
  plant(db: Db, accountId: string, day: string): void;
  /** History before the firing (baselines), if the criterion needs one. */
  history?(db: Db, accountId: string): void;
  facts?: Record<string, unknown>;
  /** The first day a success can be found when the evidence is on the firing day (rolling means). */
  earliest?: string;
}

const event =
  (type: string, value: number | null = null) =>
  (db: Db, id: string, day: string) =>
    addEvent(db, id, type, `${day}T20:00:00.000Z`, value);

const CASES: Case[] = [
  { trigger: 'setup_incomplete', plant: event('setup_completed') },
  { trigger: 'onboarding_stalled', plant: (db, id, day) => addMetric(db, id, 'core_feature_uses', day, 3) },
  { trigger: 'payment_failing', plant: event('payment_succeeded') },
  {
    trigger: 'power_user_dormant',
    facts: { contact_id: 'c_1' },
    plant: (db, id, day) => addMetric(db, id, 'logins', day, 2, 'c_1'),
  },
  { trigger: 'seat_underuse', plant: (db, id, day) => addMetric(db, id, 'seats_used', day, 15) },
  { trigger: 'approaching_limit', plant: event('plan_upgraded') },
  { trigger: 'renewal_at_risk', plant: event('renewed') },
  { trigger: 'champion_left', plant: event('champion_assigned') },
  { trigger: 'detractor', plant: event('nps_response', 9) },
];

function controlOutcome(db: Db, itemId: number) {
  return db
    .prepare('SELECT status, outcome_on, days_to_success FROM control_outcomes WHERE item_id = ?')
    .get(itemId) as {
    status: string;
    outcome_on: string | null;
    days_to_success: number | null;
  };
}

function heldOutEpisode(c: Case) {
  const { db } = tempDb();
  const accountId = addAccount(db, { account_id: 'acc_edge' });
  // Some data in the window, so a window without success fails instead of expiring.
  addSeries(db, accountId, 'active_users', addDays(FIRED, -60), 200, () => 1);
  c.history?.(db, accountId);
  const item = insertRiskItem(db, accountId, c.trigger, FIRED, true, { facts: c.facts ?? {} });
  return { db, accountId, item };
}

describe('no criterion is met or failed by the observation that fired it (control episodes)', () => {
  for (const c of CASES) {
    it(`${c.trigger}: evidence on the firing day does not count, the next day it does`, () => {
      const onFiringDay = heldOutEpisode(c);
      c.plant(onFiringDay.db, onFiringDay.accountId, FIRED);
      evaluateOutcomes(onFiringDay.db, { asOf: AS_OF, now: new Date(`${AS_OF}T12:00:00Z`) });
      expect(controlOutcome(onFiringDay.db, onFiringDay.item).status).not.toBe('succeeded');

      const nextDay = heldOutEpisode(c);
      c.plant(nextDay.db, nextDay.accountId, addDays(FIRED, 1));
      evaluateOutcomes(nextDay.db, { asOf: AS_OF, now: new Date(`${AS_OF}T12:00:00Z`) });
      expect(controlOutcome(nextDay.db, nextDay.item)).toMatchObject({
        status: 'succeeded',
        outcome_on: addDays(FIRED, 1),
        days_to_success: 1,
      });
    });
  }

  it('detractor: the control episode waits for the next NPS answer after the one that fired it', () => {
    const { db, accountId, item } = heldOutEpisode(CASES.find((c) => c.trigger === 'detractor')!);
    addEvent(db, accountId, 'nps_response', `${FIRED}T18:00:00.000Z`, 3);
    addEvent(db, accountId, 'nps_response', '2026-04-02T09:00:00.000Z', 8);
    evaluateOutcomes(db, { asOf: AS_OF, now: new Date(`${AS_OF}T12:00:00Z`) });
    expect(controlOutcome(db, item)).toMatchObject({ status: 'succeeded', outcome_on: '2026-04-02' });
  });

  it('support_surge: the trailing ticket count is first tested the day after the firing', () => {
    const { db, item } = heldOutEpisode({ trigger: 'support_surge', plant: () => {} });
    // No tickets at all: the count is at the (zero) baseline every day, and the earliest success is day 1.
    evaluateOutcomes(db, { asOf: AS_OF, now: new Date(`${AS_OF}T12:00:00Z`) });
    expect(controlOutcome(db, item)).toMatchObject({ status: 'succeeded', outcome_on: addDays(FIRED, 1) });
  });

  it.each([
    ['usage_drop', 'active_users', 14],
    ['seat_drop', 'seats_used', 7],
    ['performance_degradation', 'latency_ms', 3],
  ] as const)('%s: the first rolling window counted lies wholly after the firing day', (trigger, metric, window) => {
    const { db } = tempDb();
    const accountId = addAccount(db, { account_id: 'acc_roll' });
    addSeries(db, accountId, metric, addDays(FIRED, -80), 200, () => 10);
    const item = insertRiskItem(db, accountId, trigger, FIRED, true);
    evaluateOutcomes(db, { asOf: AS_OF, now: new Date(`${AS_OF}T12:00:00Z`) });
    expect(controlOutcome(db, item)).toMatchObject({ status: 'succeeded', outcome_on: addDays(FIRED, window) });
  });
});

describe('a treated episode sent on the firing day', () => {
  it('is not judged by a detractor answer that arrives later that day', () => {
    const { db } = tempDb();
    const accountId = addAccount(db, { account_id: accountIdWhere(false, 'detractor', FIRED) });
    insertRiskItem(db, accountId, 'detractor', FIRED, false);
    const logged = logIntervention(
      db,
      { accountId, triggerId: 'detractor', channel: 'email', sentAt: `${FIRED}T08:15:00.000Z` },
      new Date(`${FIRED}T09:00:00Z`),
    );
    addEvent(db, accountId, 'nps_response', `${FIRED}T18:00:00.000Z`, 2);
    addEvent(db, accountId, 'nps_response', '2026-04-20T09:00:00.000Z', 9);
    evaluateOutcomes(db, { asOf: AS_OF, now: new Date(`${AS_OF}T12:00:00Z`) });
    const row = listInterventions(db, {}).rows.find((r) => r.intervention_id === logged.intervention_id)!;
    expect(row).toMatchObject({ status: 'succeeded', outcome_on: '2026-04-20' });
  });
});
