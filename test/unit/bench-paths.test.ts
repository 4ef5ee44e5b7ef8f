// The whole-process bench's arithmetic, goals and tables. No timings: `npm run bench` measures,
// tests only check what it does with the numbers.
import { describe, expect, it } from 'vitest';
import {
  STEPS,
  checkPaths,
  growth,
  growthTable,
  scalePeakRss,
  scaleTable,
  stepResult,
  type ScaleResult,
  type StepId,
} from '../../bench/paths/steps.ts';
import { parseScales } from '../../bench/run.ts';
import { addDays } from '../../bench/paths/workload.ts';

/** A scale where every step took `ms` against `baseline`, with the given peak RSS. */
function scale(accounts: number, ms: Partial<Record<StepId, [number, number]>>, rss = 500): ScaleResult {
  return {
    accounts,
    dataThrough: '2026-12-05',
    today: '2026-12-06',
    files: {},
    loadAverage: { start: 1, end: 1 },
    durationSeconds: 1,
    steps: STEPS.map((spec) => {
      const [subject, baseline] = ms[spec.id] ?? [100, 50];
      return stepResult(spec.id, [subject, subject * 2, subject / 2], [baseline], [rss]);
    }),
  };
}

const passing: Partial<Record<StepId, [number, number]>> = {
  import_all: [14_000, 10_000],
  events_1pct: [900, 10_000],
  new_day: [3_900, 2_000],
  help: [90, 45],
  status: [140, 45],
  risks_top: [120, 45],
  account: [149, 45],
};

describe('whole-process bench figures', () => {
  it('takes the median of the samples and the ratio to the baseline median', () => {
    const step = stepResult('new_day', [30, 10, 20], [5, 15, 10], [700, 900, 800]);
    expect(step.subjectMs).toBe(20);
    expect(step.baselineMs).toBe(10);
    expect(step.ratio).toBe(2);
    expect(step.peakRssMb).toBe(800);
    expect(stepResult('help', [], [], []).ratio).toBeNull();
  });

  it("keeps each sample's CPU time beside its wall time and prints both", () => {
    const step = stepResult('status', [140, 120, 400], [30, 25, 90], [86, 86, 88], undefined, {
      samples: [100, 90, 110],
      baseline: [20, 30, 25],
    });
    expect(step.cpuSamples).toEqual([100, 90, 110]);
    expect(step.cpuMs).toBe(100);
    expect(step.baselineCpuMs).toBe(25);
    const at50k = scale(50_000, passing);
    at50k.steps = at50k.steps.map((s) => (s.id === 'status' ? step : s));
    expect(scaleTable(at50k)).toContain(
      '| `foresight status` | 140 ms (CPU 100 ms) | node -e 0: 30 ms (CPU 25 ms) | 4.67× | ≤ 150 ms | 86 MB |',
    );
    expect(checkPaths([at50k]).lines.find((l) => l.includes('foresight status'))).toBe(
      'ok   foresight status: 140 ms (CPU 100 ms) (goal ≤ 150 ms)',
    );
    // Without /usr/bin/time there is no CPU figure, and nothing pretends there is.
    expect(stepResult('status', [140], [30], [86]).cpuMs).toBeUndefined();
  });

  it('passes the check only when every goal is met at 50,000 and memory at 100,000', () => {
    const ok = checkPaths([scale(50_000, passing), scale(100_000, {}, 900)]);
    expect(ok.ok).toBe(true);
    expect(ok.lines.every((line) => line.startsWith('ok'))).toBe(true);

    const slowImport = checkPaths([scale(50_000, { ...passing, import_all: [16_000, 10_000] }), scale(100_000, {})]);
    expect(slowImport.ok).toBe(false);
    expect(slowImport.lines.find((l) => l.includes('import accounts.csv metrics.csv'))).toMatch(/^FAIL.*1\.60×/);

    const slowStatus = checkPaths([scale(50_000, { ...passing, status: [151, 45] }), scale(100_000, {})]);
    expect(slowStatus.ok).toBe(false);

    expect(checkPaths([scale(50_000, passing), scale(100_000, {}, 1100)]).ok).toBe(false);
    const no100k = checkPaths([scale(50_000, passing)]);
    expect(no100k.ok).toBe(false);
    expect(no100k.lines.at(-1)).toMatch(/^FAIL .*not measured/);
    expect(checkPaths([scale(20_000, passing), scale(100_000, {})]).ok).toBe(false);
  });

  it('says how each step grows from one book size to the next', () => {
    const scales = [scale(100_000, { import_all: [40_000, 1] }), scale(50_000, { import_all: [20_000, 1] })];
    expect(growth(scales, 'import_all')).toEqual([null, 2]);
    expect(scalePeakRss(scale(5_000, {}, 321))).toBe(321);
    const table = growthTable(scales);
    expect(table).toContain('| Step | 50k | 100k | 100k/50k |');
    expect(table).toMatch(/\| import_all \| 20\.0 s \| 40\.0 s \| 2\.00× \|/);
  });

  it('prints the issue table with the baseline and the ratio of each step', () => {
    const table = scaleTable(scale(50_000, passing));
    expect(table.split('\n')[0]).toBe(
      '| Step the user runs | Foresight | Baseline in the same run | Ratio | Goal | Peak RSS |',
    );
    expect(table).toContain('sqlite3 .import of the same files: 10.0 s | 1.40× | ≤ 1.5× | 500 MB |');
  });

  it('reads book sizes and shifts days', () => {
    expect(parseScales('5k,20k,50000')).toEqual([5_000, 20_000, 50_000]);
    expect(() => parseScales('5m')).toThrow(/--scale/);
    expect(() => parseScales('200k')).toThrow(/100k/);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
