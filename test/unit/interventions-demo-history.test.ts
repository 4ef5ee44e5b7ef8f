import { describe, expect, it } from 'vitest';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { isHoldout } from '../../src/domain/interventions/holdout.ts';
import { loadDemoInterventionHistory } from '../../src/domain/interventions/demo-history.ts';
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
      expect(item.is_control === 1).toBe(isHoldout(item.account_id, item.trigger_id, item.first_fired_on, 0.1));
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
});
