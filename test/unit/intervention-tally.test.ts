import { describe, expect, it } from 'vitest';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { loadDemoInterventionHistory } from '../../src/domain/interventions/demo-history.ts';
import { evaluateOutcomes } from '../../src/domain/interventions/evaluate.ts';
import { setInterventionStatus } from '../../src/domain/interventions/status.ts';
import { listInterventions } from '../../src/domain/interventions/list.ts';
import { buildOutcomeReport } from '../../src/domain/interventions/report.ts';
import {
  outcomeTally,
  tallyCounts,
  tallyStatuses,
  tallyText,
  tallyTotal,
} from '../../src/shared/intervention-tally.ts';
import { INTERVENTION_STATUSES } from '../../src/shared/dto/interventions.ts';
import { tempDb } from '../support/temp.ts';

const AS_OF = '2026-03-31';
const NOW = new Date('2026-03-31T12:00:00Z');

describe('the one tally of interventions', () => {
  it('puts every status in exactly one part, so the parts add up to the total', () => {
    const tally = tallyStatuses([...INTERVENTION_STATUSES, 'pending']);
    expect(tally).toEqual({ open: 3, succeeded: 1, failed: 1, expired: 1 });
    expect(tallyTotal(tally)).toBe(INTERVENTION_STATUSES.length + 1);
    expect(tallyText({ open: 5, succeeded: 83, failed: 49, expired: 9 })).toBe(
      '5 open, 83 succeeded, 49 failed, 9 expired',
    );
  });

  it('gives the Interventions list and the outcome report the same parts, which add up to the total', () => {
    const { db } = tempDb();
    loadDemoBook(db, { accounts: 120, seed: 7, asOf: AS_OF });
    loadDemoInterventionHistory(db, { asOf: AS_OF, now: NOW });
    evaluateOutcomes(db, { asOf: AS_OF, now: NOW });
    // One of each outcome at least, so a surface that dropped a part would show here.
    const decided = listInterventions(db, { status: 'succeeded' }).rows[0];
    if (!decided) throw new Error('The demo history has no succeeded intervention.');
    setInterventionStatus(db, { ids: [decided.intervention_id], status: 'expired', note: 'window missed' }, NOW);
    const list = listInterventions(db);
    const report = buildOutcomeReport(db, { asOf: AS_OF, by: 'trigger' });
    const fromList = tallyCounts(list.counts);
    const fromReport = outcomeTally(report.totals);
    expect(fromReport).toEqual(fromList);
    expect(tallyTotal(fromList)).toBe(list.total);
    expect(tallyTotal(fromReport)).toBe(report.totals.n);
    for (const row of report.rows) expect(tallyTotal(outcomeTally(row))).toBe(row.n);
    expect(fromList.expired).toBeGreaterThan(0);
    expect(fromList.succeeded).toBeGreaterThan(0);
    expect(fromList.failed).toBeGreaterThan(0);
  });
});
