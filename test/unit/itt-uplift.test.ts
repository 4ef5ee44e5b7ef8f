import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportOutcomes } from '../../src/domain/export/outcome-export.ts';
import { importOutcomeFiles } from '../../src/domain/export/merge-import.ts';
import { buildOutcomeReport } from '../../src/domain/interventions/report.ts';
import type { RowComparison } from '../../src/shared/dto/interventions.ts';
import { runScenario, type Scenario } from '../support/itt-simulation.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const AS_OF = '2026-09-30';

function report(scenario: Scenario) {
  const { db } = tempDb();
  const run = runScenario(db, tempDir(), scenario);
  return { run, report: buildOutcomeReport(db, { asOf: AS_OF, by: 'trigger' }), db };
}

/** The uplift and its ARR figure are shown, and their 95% intervals contain `truth` (and `arr`). */
function expectCovers(row: RowComparison, truth: number, arr = truth === 0 ? 0 : null) {
  expect(row.uplift, row.uplift_note ?? '').not.toBeNull();
  expect(row.uplift!.ci_low).toBeLessThanOrEqual(truth);
  expect(row.uplift!.ci_high).toBeGreaterThanOrEqual(truth);
  expect(row.uplift!.ci_high - row.uplift!.ci_low).toBeGreaterThan(0);
  if (arr !== null) {
    expect(row.incremental_arr!.ci_low).toBeLessThanOrEqual(arr);
    expect(row.incremental_arr!.ci_high).toBeGreaterThanOrEqual(arr);
  }
}

const wave = { prefix: 'p', fireOn: '2026-05-01', holdout: 0.3, firings: 600, base: () => 0.6 };

describe('uplift by intention to treat: no false effect where outreach does nothing', () => {
  it('a CSM who contacts only the large accounts does not turn their higher base rate into an effect', () => {
    const { run, report: r } = report({
      seed: 1,
      effect: 0,
      sendDelay: 1,
      waves: [
        {
          ...wave,
          base: (i) => (i % 2 === 0 ? 0.85 : 0.25),
          arr: (i) => (i % 2 === 0 ? 90_000 : 5_000),
          contact: (i) => i % 2 === 0,
        },
      ],
    });
    expectCovers(r.totals, 0);
    expectCovers(r.rows[0]!, 0);
    // Every eligible firing is in the comparison, and the report says how many were reached.
    expect(r.totals.treated.n).toBeGreaterThan(run.contacted * 1.5);
    expect(r.totals.contacted).toBe(run.contacted);
  });

  it('touches sent two days after the firing are judged on the same clock as the control group', () => {
    const { report: r } = report({
      seed: 2,
      effect: 0,
      sendDelay: 2,
      successDay: (draw) => 1 + Math.floor(draw() * 6),
      waves: [{ ...wave, firings: 1200 }],
    });
    expectCovers(r.totals, 0);
  });

  it('accounts that churn before the touch count in both groups alike', () => {
    const { report: r } = report({
      seed: 3,
      effect: 0,
      sendDelay: 2,
      churnShare: 0.25,
      waves: [{ ...wave, firings: 1200 }],
    });
    expectCovers(r.totals, 0);
    const retention = r.comparisons[0]!.retention_uplift!;
    expect(retention.ci_low).toBeLessThanOrEqual(0);
    expect(retention.ci_high).toBeGreaterThanOrEqual(0);
  });

  it('a holdout share raised between months while the base rate drifts does not create an effect', () => {
    const { report: r } = report({
      seed: 4,
      effect: 0,
      sendDelay: 1,
      waves: [
        { prefix: 'm', fireOn: '2026-05-01', holdout: 0.1, firings: 500, base: () => 0.85 },
        { prefix: 'j', fireOn: '2026-06-01', holdout: 0.5, firings: 500, base: () => 0.25 },
      ],
    });
    expect(r.totals.strata_compared).toBe(2);
    expectCovers(r.totals, 0);
    expectCovers(r.rows[0]!, 0);
  });

  it('two CSMs’ books merged by a team lead are compared within each book', async () => {
    const dir = tempDir();
    const files = [];
    for (const [name, holdout, base, seed] of [
      ['alice', 0.1, 0.9, 5],
      ['bob', 0.6, 0.2, 6],
    ] as const) {
      const { db } = tempDb();
      mkdirSync(join(dir, name));
      runScenario(db, join(dir, name), {
        seed,
        effect: 0,
        sendDelay: 1,
        waves: [{ prefix: `${name}_`, fireOn: '2026-05-01', holdout, firings: 400, base: () => base }],
      });
      const file = await exportOutcomes(db, {
        format: 'csv',
        asOf: AS_OF,
        generatedAt: new Date(`${AS_OF}T12:00:00Z`),
      });
      files.push({ name: `${name}.csv`, data: file.data });
    }
    const { db: lead } = tempDb();
    await importOutcomeFiles(lead, files, new Date(`${AS_OF}T12:00:00Z`));
    const r = buildOutcomeReport(lead, { asOf: AS_OF, by: 'trigger' });
    expect(r.totals.strata_compared).toBe(2);
    expectCovers(r.totals, 0);
  });
});

describe('uplift by intention to treat: a real effect still shows', () => {
  it('finds +20 points when every eligible account is contacted, and its ARR', () => {
    const { run, report: r } = report({
      seed: 7,
      effect: 0.2,
      sendDelay: 2,
      waves: [{ ...wave, firings: 1200, base: () => 0.4 }],
    });
    expectCovers(r.totals, 0.2, 0.2 * run.contacted * 10_000);
    expect(r.totals.uplift!.ci_low).toBeGreaterThan(0);
  });

  it('with half the eligible accounts contacted, the effect per eligible firing is half the effect per touch', () => {
    const { report: r } = report({
      seed: 9,
      effect: 0.3,
      sendDelay: 1,
      waves: [{ ...wave, firings: 1500, base: () => 0.4, contact: (i) => i % 2 === 0 }],
    });
    expectCovers(r.totals, 0.15);
    expect(r.totals.uplift!.ci_low).toBeGreaterThan(0);
    expect(r.totals.per_contacted!.ci_low).toBeLessThanOrEqual(0.3);
    expect(r.totals.per_contacted!.ci_high).toBeGreaterThanOrEqual(0.3);
  });
});
