import { describe, expect, it } from 'vitest';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { PLANTED_EFFECT } from '../../src/domain/interventions/demo-planted-effect.ts';
import { isHoldout } from '../../src/domain/interventions/holdout.ts';
import { DEMO_HOLDOUT_SHARE, loadDemoInterventionHistory } from '../../src/domain/interventions/demo-history.ts';
import { buildOutcomeReport } from '../../src/domain/interventions/report.ts';
import { tempDb } from '../support/temp.ts';

const AS_OF = '2026-03-31';
const NOW = new Date('2026-03-31T12:00:00Z');

describe('demo interventions history', () => {
  it('is deterministic, holds out by the stable draw, replaces itself and gives the report real outcomes', () => {
    const { db } = tempDb();
    loadDemoBook(db, { accounts: 80, seed: 7, asOf: AS_OF });
    const first = loadDemoInterventionHistory(db, { asOf: AS_OF, now: NOW });
    expect(first.firings).toBeGreaterThan(20);
    expect(first.interventions + first.control).toBe(first.firings);

    const items = db
      .prepare<[], { account_id: string; trigger_id: string; first_fired_on: string; is_control: number }>(
        "SELECT account_id, trigger_id, first_fired_on, is_control FROM risk_items WHERE evidence LIKE 'Demo history:%'",
      )
      .all();
    expect(items).toHaveLength(first.firings);
    for (const item of items)
      expect(item.is_control === 1).toBe(
        isHoldout(item.account_id, item.trigger_id, item.first_fired_on, DEMO_HOLDOUT_SHARE),
      );
    expect(
      db
        .prepare("SELECT count(*) FROM interventions WHERE status = 'sent' AND sent_at > ?")
        .pluck()
        .get(`${AS_OF}T23:59:59Z`),
    ).toBe(0);

    const snapshot = db
      .prepare(
        'SELECT account_id, trigger_id, channel, template_id, sent_at, status, effort_rating FROM interventions ORDER BY account_id, sent_at',
      )
      .all();
    const again = loadDemoInterventionHistory(db, { asOf: AS_OF, now: NOW });
    expect(again).toMatchObject({ firings: first.firings, interventions: first.interventions, control: first.control });
    expect(
      db
        .prepare(
          'SELECT account_id, trigger_id, channel, template_id, sent_at, status, effort_rating FROM interventions ORDER BY account_id, sent_at',
        )
        .all(),
    ).toEqual(snapshot);

    const report = buildOutcomeReport(db, { asOf: AS_OF, by: 'trigger' });
    expect(report.totals.n).toBe(first.interventions);
    expect(report.totals.succeeded + report.totals.failed).toBeGreaterThan(0);
    expect(report.comparisons.length).toBeGreaterThan(0);
  });

  it('sends every intervention after the observation that fired it', () => {
    const { db } = tempDb();
    loadDemoBook(db, { accounts: 80, seed: 7, asOf: AS_OF });
    loadDemoInterventionHistory(db, { asOf: AS_OF, now: NOW });
    // Event firings: the intervention is sent after the event; metric firings: after the day.
    const early = db
      .prepare(
        `SELECT count(*) FROM interventions i JOIN risk_items r ON r.item_id = i.risk_item_id
         WHERE i.notes = 'Demo history' AND (
           substr(i.sent_at, 1, 10) < r.first_fired_on
           OR EXISTS (SELECT 1 FROM events e WHERE e.account_id = i.account_id
             AND substr(e.occurred_at, 1, 10) = r.first_fired_on AND e.occurred_at > i.sent_at
             AND ((r.trigger_id = 'payment_failing' AND e.type = 'payment_failed')
               OR (r.trigger_id = 'detractor' AND e.type = 'nps_response' AND e.value <= 6)
               OR (r.trigger_id = 'champion_left' AND e.type = 'champion_left'))))`,
      )
      .pluck()
      .get();
    expect(db.prepare("SELECT count(*) FROM interventions WHERE notes = 'Demo history'").pluck().get()).toBeGreaterThan(
      10,
    );
    expect(early).toBe(0);
  });

  it('on the default demo book finds the planted payment effect and claims no other', () => {
    const { db } = tempDb();
    loadDemoBook(db, { accounts: 400, seed: 42, asOf: '2026-12-06' });
    loadDemoInterventionHistory(db, { asOf: '2026-12-06', now: new Date('2026-12-06T12:00:00Z') });
    const report = buildOutcomeReport(db, { asOf: '2026-12-06', by: 'trigger' });
    const payment = report.rows.find((r) => r.key === 'payment_failing')!;
    expect(payment.uplift!.ci_low).toBeGreaterThan(0);
    expect(payment.uplift!.ci_low).toBeLessThan(PLANTED_EFFECT.treatedRate - PLANTED_EFFECT.controlRate);
    expect(payment.uplift!.ci_high).toBeGreaterThan(PLANTED_EFFECT.treatedRate - PLANTED_EFFECT.controlRate);
    for (const row of report.rows.filter((r) => r.key !== 'payment_failing' && r.uplift))
      expect([row.key, row.uplift!.ci_low < 0 && row.uplift!.ci_high > 0]).toEqual([row.key, true]);
    expect(report.totals).toMatchObject({ uplift_method: 'mantel_haenszel' });
    expect(report.totals.uplift!.value).toBeGreaterThan(0);
  });
});
