/**
 * The figures the issue asks for and their goals, as data. `bench:check` and the table both read
 * this list, so a goal lives in exactly one place. Pure: no I/O.
 */

export type FigureId =
  | 'import'
  | 'reimport'
  | 'feed_resync'
  | 'score'
  | 'score_stored'
  | 'score_refit'
  | 'rescore'
  | 'ui_first_rows'
  | 'ui_search'
  | 'ui_scroll'
  | 'ui_memory';

export type FigureKind = 'ratio' | 'absolute';

export interface Goal {
  /** The figure passes when value <= max. */
  max: number;
  /** Printed next to the value, e.g. "≤ 2.0×". */
  label: string;
}

export interface FigureSpec {
  id: FigureId;
  title: string;
  kind: FigureKind;
  unit: string;
  /** What the value is compared with, in words. */
  against: string;
  goal: Goal | null;
  eventually?: Goal;
}

export const FIGURES: readonly FigureSpec[] = [
  {
    id: 'import',
    title: 'import',
    kind: 'ratio',
    unit: '×',
    against: 'sqlite3 .import of the same CSV files',
    goal: { max: 2.0, label: '≤ 2.0×' },
    eventually: { max: 1.0, label: '≤ 1.0×' },
  },
  {
    id: 'reimport',
    title: 're-import unchanged',
    kind: 'ratio',
    unit: '×',
    against: 'the first import',
    goal: { max: 0.3, label: '≤ 0.3×' },
  },
  {
    id: 'feed_resync',
    title: 'feed re-sync unchanged',
    kind: 'absolute',
    unit: 'bytes',
    against: 'body bytes on the second sync',
    goal: { max: 0, label: '0' },
  },
  {
    id: 'score',
    title: 'score and rank',
    kind: 'ratio',
    unit: '×',
    against: 'one SQL GROUP BY account_id, metric scan',
    goal: { max: 3, label: '≤ 3×' },
  },
  {
    id: 'score_stored',
    title: 'score and rank, model stored',
    kind: 'ratio',
    unit: '×',
    against: 'one SQL GROUP BY account_id, metric scan',
    goal: { max: 3, label: '≤ 3×' },
  },
  {
    id: 'score_refit',
    title: 'score and rank, model refitted',
    kind: 'ratio',
    unit: '×',
    against: 'one SQL GROUP BY account_id, metric scan',
    goal: { max: 3, label: '≤ 3×' },
  },
  {
    id: 'rescore',
    title: 'incremental rescore',
    kind: 'ratio',
    unit: '×',
    against: 'a full rescore',
    goal: { max: 0.05, label: '≤ 0.05×' },
  },
  {
    id: 'ui_first_rows',
    title: 'UI: first rows',
    kind: 'absolute',
    unit: 'ms',
    against: 'navigation start',
    goal: { max: 300, label: '≤ 300 ms' },
  },
  {
    id: 'ui_search',
    title: 'UI: search keystroke p95',
    kind: 'absolute',
    unit: 'ms',
    against: 'keydown',
    goal: { max: 100, label: '≤ 100 ms' },
  },
  {
    id: 'ui_scroll',
    title: 'UI: scrolling long tasks',
    kind: 'absolute',
    unit: 'tasks',
    against: 'long tasks > 50 ms while scrolling 5,000 rows',
    goal: { max: 0, label: '0' },
  },
  {
    id: 'ui_memory',
    title: 'UI: JS heap, list mounted',
    kind: 'absolute',
    unit: 'MB',
    against: 'used JS heap after GC',
    goal: null,
  },
];

export function figureSpec(id: FigureId): FigureSpec {
  const spec = FIGURES.find((f) => f.id === id);
  if (!spec) throw new Error(`Unknown figure ${id}`);
  return spec;
}

/** One measured figure as it is stored in bench/results.json. */
export interface FigureResult {
  id: FigureId;
  /** The ratio or the absolute value; null when it could not be measured (see `note`). */
  value: number | null;
  /** Median wall time of the subject, when the figure is a timing. */
  subjectMs?: number | null;
  /** Median wall time of the baseline, for ratio figures. */
  baselineMs?: number | null;
  /** Every sample, subject and baseline, in milliseconds (or the unit of the figure). */
  samples?: number[];
  baselineSamples?: number[];
  /** Anything else worth printing: rows per second, peak RSS, counts. */
  extra?: Record<string, number | string | null>;
  /** Why the figure is missing or what to keep in mind when reading it. */
  note?: string;
  /** Set when a partial run (--only) carried this figure over from an earlier run. */
  measuredAt?: string;
}

export type Verdict = 'pass' | 'fail' | 'missing' | 'reported';

/** Whether a figure meets its goal. A figure with no value is "missing", which bench:check treats as a failure. */
export function verdict(spec: FigureSpec, result: FigureResult | undefined): Verdict {
  if (!spec.goal) return result && result.value != null ? 'reported' : 'missing';
  if (!result || result.value == null || !Number.isFinite(result.value)) return 'missing';
  return result.value <= spec.goal.max ? 'pass' : 'fail';
}

export interface CheckOutcome {
  ok: boolean;
  lines: string[];
}

/** The whole of bench:check, minus reading the file: every figure with a goal must pass. */
export function checkResults(results: readonly FigureResult[]): CheckOutcome {
  const lines: string[] = [];
  let ok = true;
  for (const spec of FIGURES) {
    const result = results.find((r) => r.id === spec.id);
    const v = verdict(spec, result);
    if (v === 'fail' || (v === 'missing' && spec.goal)) ok = false;
    const shown = result?.value == null ? 'not measured' : `${formatValue(spec, result.value)}`;
    const goal = spec.goal ? `goal ${spec.goal.label}` : 'no goal';
    const mark = v === 'pass' || v === 'reported' ? 'ok  ' : v === 'missing' && !spec.goal ? '--  ' : 'FAIL';
    lines.push(
      `${mark} ${spec.title}: ${shown} (${goal})${v === 'missing' && result?.note ? ` — ${result.note}` : ''}`,
    );
  }
  return { ok, lines };
}

/** A value with its unit, rounded the way the table prints it. */
export function formatValue(spec: FigureSpec, value: number): string {
  if (spec.unit === '×') return `${value < 0.1 ? value.toFixed(3) : value.toFixed(2)}×`;
  if (spec.unit === 'ms') return `${Math.round(value)} ms`;
  if (spec.unit === 'MB') return `${value.toFixed(1)} MB`;
  return `${Math.round(value).toLocaleString('en')} ${spec.unit}`;
}
