// The bench's own arithmetic and reporting. No timings here: performance is measured by
// `npm run bench`, never asserted in tests.
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../bench/lib/csv.ts';
import { FIGURES, checkResults, formatValue, figureSpec, verdict, type FigureResult } from '../../bench/lib/goals.ts';
import { median, percentile, rate, ratio, spread } from '../../bench/lib/stats.ts';
import { renderMarkdown, renderText, tableRows } from '../../bench/lib/table.ts';
import { pickChanged, refitProblem, scoreResults, type ScoreSample } from '../../bench/figures/score.ts';

describe('bench statistics', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const samples = [5, 1, 3];
    expect(median(samples)).toBe(3);
    expect(samples).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('interpolates percentiles between closest ranks', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(values, 95)).toBeCloseTo(19.05, 10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 100)).toBe(20);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 95)).toBeNull();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('gives a ratio only for a positive, finite baseline', () => {
    expect(ratio(300, 150)).toBe(2);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 5)).toBeNull();
    expect(ratio(5, undefined)).toBeNull();
    expect(ratio(Number.NaN, 5)).toBeNull();
  });

  it('computes rows per second and spread', () => {
    expect(rate(2_000_000, 4_000)).toBe(500_000);
    expect(rate(10, 0)).toBeNull();
    expect(spread([90, 100, 110])).toBeCloseTo(0.2, 10);
    expect(spread([])).toBeNull();
  });
});

describe('bench goals', () => {
  const result = (id: FigureResult['id'], value: number | null): FigureResult => ({ id, value });

  it('passes at the goal and fails just above it', () => {
    const spec = figureSpec('import');
    expect(verdict(spec, result('import', 2.0))).toBe('pass');
    expect(verdict(spec, result('import', 2.01))).toBe('fail');
    expect(verdict(figureSpec('feed_resync'), result('feed_resync', 0))).toBe('pass');
    expect(verdict(figureSpec('feed_resync'), result('feed_resync', 1))).toBe('fail');
    expect(verdict(figureSpec('ui_scroll'), result('ui_scroll', 1))).toBe('fail');
  });

  it('treats a missing figure as missing and a reported-only figure as reported', () => {
    expect(verdict(figureSpec('score'), undefined)).toBe('missing');
    expect(verdict(figureSpec('score'), result('score', null))).toBe('missing');
    expect(verdict(figureSpec('ui_memory'), result('ui_memory', 40))).toBe('reported');
  });

  it('checks every figure with a goal: all met passes, one missed or missing fails', () => {
    const passing = FIGURES.map((spec) => result(spec.id, spec.goal ? spec.goal.max : 12));
    expect(checkResults(passing).ok).toBe(true);
    const missed = passing.map((r) => (r.id === 'rescore' ? { ...r, value: 0.2 } : r));
    const outcome = checkResults(missed);
    expect(outcome.ok).toBe(false);
    expect(outcome.lines.find((l) => l.includes('incremental rescore'))).toMatch(/^FAIL/);
    expect(checkResults(passing.filter((r) => r.id !== 'ui_search')).ok).toBe(false);
    // The memory figure has no goal, so leaving it out does not fail the check.
    expect(checkResults(passing.filter((r) => r.id !== 'ui_memory')).ok).toBe(true);
  });

  it('formats values with their unit', () => {
    expect(formatValue(figureSpec('import'), 1.234)).toBe('1.23×');
    expect(formatValue(figureSpec('rescore'), 0.0123)).toBe('0.012×');
    expect(formatValue(figureSpec('ui_search'), 87.6)).toBe('88 ms');
    expect(formatValue(figureSpec('feed_resync'), 1234)).toBe('1,234 bytes');
    expect(formatValue(figureSpec('ui_memory'), 41.26)).toBe('41.3 MB');
  });
});

describe('bench table', () => {
  const results: FigureResult[] = [
    {
      id: 'import',
      value: 1.5,
      subjectMs: 15_000,
      baselineMs: 10_000,
      extra: { 'rows/s': 140_000.4, 'peak RSS MB': 210.55 },
    },
    { id: 'ui_first_rows', value: 420, note: 'measured | elsewhere' },
    { id: 'score', value: null, note: 'there is no scorer yet' },
  ];

  it('has one row per figure, in the order of the issue, with verdicts', () => {
    const rows = tableRows(results);
    expect(rows.map((r) => r.figure)).toEqual(FIGURES.map((f) => f.title));
    const importRow = rows[0]!;
    expect(importRow).toMatchObject({ value: '1.50×', verdict: 'pass', subject: '15.0 s', baseline: '10.0 s' });
    expect(importRow.detail).toBe('rows/s 140,000; peak RSS MB 211');
    expect(rows.find((r) => r.figure === 'UI: first rows')?.verdict).toBe('FAIL');
    expect(rows.find((r) => r.figure === 'score and rank')).toMatchObject({
      value: '—',
      verdict: 'missing',
      detail: 'there is no scorer yet',
    });
    expect(rows.find((r) => r.figure === 're-import unchanged')?.detail).toBe('not run');
  });

  it('aligns the text table and escapes pipes in Markdown', () => {
    const lines = renderText(results).split('\n');
    expect(lines).toHaveLength(FIGURES.length + 2);
    expect(lines[1]).toMatch(/^-+( +-+)+$/);
    const valueColumn = lines[0]!.indexOf('Value');
    expect(lines.slice(2).every((line) => line[valueColumn - 1] === ' ')).toBe(true);
    const markdown = renderMarkdown([...results, { id: 'ui_memory', value: 3, extra: { screen: 'a|b' } }]);
    expect(markdown.split('\n')[1]).toBe('|---|---|---|---|---|---|---|');
    expect(markdown).toContain('screen a\\|b');
  });
});

describe('bench workload helpers', () => {
  it('quotes CSV cells only when needed', () => {
    expect(csvCell('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(true)).toBe('true');
    expect(csvLine(['a', null, 'b\nc'])).toBe('a,,"b\nc"\n');
  });

  it('picks about the asked share of accounts, deterministically', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `acc_${i}`);
    const picked = pickChanged(ids, 0.01);
    expect(picked).toHaveLength(10);
    expect(pickChanged(ids, 0.01)).toEqual(picked);
    expect(pickChanged(ids, 1)).toHaveLength(1000);
  });
});

describe('bench score figures', () => {
  const sample = (first: number, stored: number, incremental: number): ScoreSample => ({
    scoreMs: first,
    scoreCpuMs: first / 2,
    incrementalMs: incremental,
    fullRescoreMs: stored,
    fullRescoreCpuMs: stored / 2,
    changedAccounts: 500,
    modelsFitted: [1, 1],
    historyRows: 1_000,
    refitMs: first / 2,
    refitCpuMs: first / 4,
    refit: { churnedAccount: 'acc_00001', modelBefore: 1, modelAfter: 2 },
    scorer: 'scoreBook',
  });
  const scan = [
    { ms: 10_000, cpuMs: 4_000 },
    { ms: 11_000, cpuMs: 5_000 },
    { ms: 9_000, cpuMs: 6_000 },
  ];

  it('judges the first run (with its fit) and reports the stored-model run and the rescore against it', () => {
    const [score, stored, , rescore] = scoreResults({
      samples: [sample(30_000, 12_000, 300), sample(27_000, 9_000, 200), sample(33_000, 10_000, 600)],
      scan: [
        { ms: 10_000, cpuMs: 4_000 },
        { ms: 11_000, cpuMs: 5_000 },
        { ms: 9_000, cpuMs: 6_000 },
      ],
      rss: [700, 800, 750],
      accounts: 50_000,
      metricRows: 35_000_000,
    });
    expect(score).toMatchObject({ id: 'score', value: 3, subjectMs: 30_000, baselineMs: 10_000 });
    expect(score!.extra).toMatchObject({
      'CPU s': 15,
      'scan CPU s': 5,
      'CPU ×': 3,
      'peak RSS MB': 750,
      'models fitted': 1,
    });
    expect(score!.samples).toEqual([30_000, 27_000, 33_000]);
    expect(stored).toMatchObject({ id: 'score_stored', value: 1, subjectMs: 10_000, baselineMs: 10_000 });
    expect(stored!.extra).toMatchObject({ 'CPU s': 5, 'CPU ×': 1, 'models after': 1 });
    expect(rescore).toMatchObject({ id: 'rescore', value: 0.03, subjectMs: 300, baselineMs: 10_000 });
    expect(rescore!.baselineSamples).toEqual([12_000, 9_000, 10_000]);
  });

  it('reports the run after a new churn outcome against the scan, wall and CPU', () => {
    const figures = scoreResults({
      samples: [sample(30_000, 12_000, 300), sample(26_000, 9_000, 200), sample(34_000, 10_000, 600)],
      scan,
      rss: [700],
      accounts: 50_000,
      metricRows: 35_000_000,
    });
    expect(figures.map((f) => f.id)).toEqual(['score', 'score_stored', 'score_refit', 'rescore']);
    const refit = figures[2]!;
    expect(refit).toMatchObject({
      value: 1.5,
      subjectMs: 15_000,
      baselineMs: 10_000,
      samples: [15_000, 13_000, 17_000],
    });
    expect(refit.note).toBeUndefined();
    expect(refit.extra).toMatchObject({
      'CPU s': 7.5,
      'scan CPU s': 5,
      'CPU ×': 1.5,
      'churned account': 'acc_00001',
      'model before': 1,
      'model after': 2,
    });
  });

  it('leaves the refit figure unmeasured, saying why, when a sample reused the stored model', () => {
    const reused = {
      ...sample(30_000, 12_000, 300),
      refit: { churnedAccount: 'acc_00001', modelBefore: 1, modelAfter: 1 },
    };
    const [, , refit] = scoreResults({
      samples: [sample(30_000, 12_000, 300), reused],
      scan,
      rss: [700],
      accounts: 50_000,
      metricRows: 35_000_000,
    });
    expect(refit).toMatchObject({ id: 'score_refit', value: null, subjectMs: 15_000 });
    expect(refit!.note).toMatch(/did not refit the churn model \(newest model 1 before, 1 after\)/);
    expect(verdict(figureSpec('score_refit'), refit)).toBe('missing');
    expect(refitProblem({ churnedAccount: 'a', modelBefore: null, modelAfter: null })).toMatch(
      /none before, none after/,
    );
    expect(refitProblem({ churnedAccount: 'a', modelBefore: null, modelAfter: 3 })).toBeNull();
  });
});
