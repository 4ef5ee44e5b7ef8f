/**
 * The whole-process figures: the steps a user runs, what each is compared with, and the goals
 * (issue 16), as data. Pure: the arithmetic, the check and the tables, tested in
 * test/unit/bench-paths.test.ts; the measuring is in measure.ts.
 */
import { median, ratio } from '../lib/stats.ts';

export type StepId =
  | 'import_all'
  | 'import_accounts'
  | 'events_1pct'
  | 'new_day'
  | 'help'
  | 'status'
  | 'risks_top'
  | 'account'
  | 'npx_status';

export interface StepSpec {
  id: StepId;
  /** The command as the user types it. */
  command: string;
  baseline: string;
  /** `ratio`: subject ÷ baseline must be ≤ max; `ms`: the subject's median must be ≤ max. */
  goal: { kind: 'ratio' | 'ms'; max: number; label: string } | null;
}

export const STEPS: readonly StepSpec[] = [
  {
    id: 'import_all',
    command: 'foresight import accounts.csv metrics.csv events.csv (until the ranked list is ready)',
    baseline: 'sqlite3 .import of the same files',
    goal: { kind: 'ratio', max: 1.5, label: '≤ 1.5×' },
  },
  {
    id: 'import_accounts',
    command: 'foresight import accounts.csv alone',
    baseline: 'sqlite3 .import of accounts.csv',
    goal: null,
  },
  {
    id: 'events_1pct',
    command: 'foresight import events-1pct.csv into the scored book (1% of accounts)',
    baseline: 'a full rescore of the book (scoreAll in a process)',
    goal: { kind: 'ratio', max: 0.1, label: '≤ 0.1×' },
  },
  {
    id: 'new_day',
    command: 'foresight risks --as-of D (the next day, not yet scored)',
    baseline: 'one GROUP BY account_id, metric scan (in a process)',
    goal: { kind: 'ratio', max: 2, label: '≤ 2×' },
  },
  { id: 'help', command: 'foresight --help', baseline: 'node -e 0', goal: { kind: 'ms', max: 150, label: '≤ 150 ms' } },
  {
    id: 'status',
    command: 'foresight status',
    baseline: 'node -e 0',
    goal: { kind: 'ms', max: 150, label: '≤ 150 ms' },
  },
  {
    id: 'risks_top',
    command: 'foresight risks --top 10',
    baseline: 'node -e 0',
    goal: { kind: 'ms', max: 150, label: '≤ 150 ms' },
  },
  {
    id: 'account',
    command: 'foresight account X',
    baseline: 'node -e 0',
    goal: { kind: 'ms', max: 150, label: '≤ 150 ms' },
  },
  {
    id: 'npx_status',
    command: 'npx foresight status (as the README shows)',
    baseline: 'node bin/foresight.mjs status',
    goal: null,
  },
];

/** The book size the goals are set at, and the one the memory goal is checked at. */
export const GOAL_ACCOUNTS = 50_000;
export const RSS_GOAL = { accounts: 100_000, maxMb: 1024, label: '≤ 1 GB' } as const;

export interface StepResult {
  id: StepId;
  samples: number[];
  baselineSamples: number[];
  subjectMs: number | null;
  baselineMs: number | null;
  ratio: number | null;
  /** Median peak RSS of the subject's processes, MB. */
  peakRssMb: number | null;
  /**
   * CPU time (user + system) of each sample and of each baseline sample, in ms, and their medians:
   * on a machine shared with other work the honest figure beside the wall time, which is the goal.
   */
  cpuSamples?: number[];
  baselineCpuSamples?: number[];
  cpuMs?: number | null;
  baselineCpuMs?: number | null;
  extra?: Record<string, number | string | null>;
  /** Why the step has no figure. */
  note?: string;
}

export interface ScaleResult {
  accounts: number;
  dataThrough: string;
  today: string;
  files: Record<string, number>;
  loadAverage: { start: number; end: number };
  durationSeconds: number;
  steps: StepResult[];
}

/** One step's figures from its samples (wall ms), peak RSS samples (MB) and, when known, CPU samples (ms). */
export function stepResult(
  id: StepId,
  samples: readonly number[],
  baselineSamples: readonly number[],
  rss: readonly number[],
  extra?: StepResult['extra'],
  cpu?: { samples: readonly number[]; baseline: readonly number[] },
): StepResult {
  const subjectMs = median(samples);
  const baselineMs = median(baselineSamples);
  return {
    id,
    samples: [...samples],
    baselineSamples: [...baselineSamples],
    subjectMs,
    baselineMs,
    ratio: ratio(subjectMs, baselineMs),
    peakRssMb: median(rss),
    ...(cpu && cpu.samples.length > 0
      ? {
          cpuSamples: [...cpu.samples],
          baselineCpuSamples: [...cpu.baseline],
          cpuMs: median(cpu.samples),
          baselineCpuMs: median(cpu.baseline),
        }
      : {}),
    ...(extra ? { extra } : {}),
  };
}

/** A time with its CPU beside it when known: "112 ms (CPU 95 ms)". */
export function withCpu(ms: number | null | undefined, cpuMs: number | null | undefined): string {
  return cpuMs == null || ms == null ? formatMs(ms) : `${formatMs(ms)} (CPU ${formatMs(cpuMs)})`;
}

/** The largest peak RSS of any Foresight process at this scale. */
export function scalePeakRss(scale: ScaleResult): number | null {
  const values = scale.steps.flatMap((s) => (s.peakRssMb == null ? [] : [s.peakRssMb]));
  return values.length ? Math.max(...values) : null;
}

/** How a step's time grew from the previous scale measured: subject(this) ÷ subject(previous). */
export function growth(scales: readonly ScaleResult[], id: StepId): (number | null)[] {
  const sorted = [...scales].sort((a, b) => a.accounts - b.accounts);
  return sorted.map((scale, i) => {
    if (i === 0) return null;
    const now = scale.steps.find((s) => s.id === id)?.subjectMs;
    const before = sorted[i - 1]!.steps.find((s) => s.id === id)?.subjectMs;
    return ratio(now, before);
  });
}

export type PathVerdict = 'pass' | 'fail' | 'missing';

function judge(spec: StepSpec, step: StepResult | undefined): PathVerdict {
  if (!spec.goal) return 'pass';
  const value = spec.goal.kind === 'ratio' ? step?.ratio : step?.subjectMs;
  if (value == null || !Number.isFinite(value)) return 'missing';
  return value <= spec.goal.max ? 'pass' : 'fail';
}

/** bench:check for the whole-process figures: every goal at 50,000 accounts, and peak RSS at 100,000. */
export function checkPaths(scales: readonly ScaleResult[]): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  let ok = true;
  const at = scales.find((s) => s.accounts === GOAL_ACCOUNTS);
  for (const spec of STEPS) {
    if (!spec.goal) continue;
    const step = at?.steps.find((s) => s.id === spec.id);
    const v = judge(spec, step);
    if (v !== 'pass') ok = false;
    const shown =
      v === 'missing'
        ? `not measured at ${GOAL_ACCOUNTS.toLocaleString('en')} accounts${step?.note ? ` — ${step.note}` : ''}`
        : spec.goal.kind === 'ratio'
          ? `${formatRatio(step!.ratio!)} (${formatMs(step!.subjectMs)} against ${formatMs(step!.baselineMs)})`
          : withCpu(step!.subjectMs, step!.cpuMs);
    lines.push(`${v === 'pass' ? 'ok  ' : 'FAIL'} ${spec.command}: ${shown} (goal ${spec.goal.label})`);
  }
  const big = scales.find((s) => s.accounts === RSS_GOAL.accounts);
  const rss = big ? scalePeakRss(big) : null;
  const rssOk = rss != null && rss <= RSS_GOAL.maxMb;
  if (!rssOk) ok = false;
  lines.push(
    `${rssOk ? 'ok  ' : 'FAIL'} peak RSS of any foresight process at ${RSS_GOAL.accounts.toLocaleString('en')} accounts: ${
      rss == null ? 'not measured' : `${Math.round(rss)} MB`
    } (goal ${RSS_GOAL.label})`,
  );
  return { ok, lines };
}

export function formatMs(ms: number | null | undefined): string {
  if (ms == null) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s` : `${Math.round(ms)} ms`;
}

export function formatRatio(value: number | null | undefined): string {
  if (value == null) return '—';
  return `${value < 0.1 ? value.toFixed(3) : value.toFixed(2)}×`;
}

const thousands = (accounts: number) => `${accounts / 1000}k`;

/** The issue's table for one scale, as Markdown: step, Foresight, baseline, ratio, goal, peak RSS. */
export function scaleTable(scale: ScaleResult): string {
  const rows = STEPS.map((spec) => {
    const step = scale.steps.find((s) => s.id === spec.id);
    const duck = step?.extra?.['DuckDB read_csv ms'];
    const baseline =
      step?.baselineMs == null ? '—' : `${spec.baseline}: ${withCpu(step.baselineMs, step.baselineCpuMs)}`;
    return [
      `\`${spec.command}\``,
      step?.subjectMs == null ? (step?.note ?? 'not measured') : withCpu(step.subjectMs, step.cpuMs),
      typeof duck === 'number' ? `${baseline} (DuckDB read_csv: ${formatMs(duck)})` : baseline,
      formatRatio(step?.ratio),
      spec.goal?.label ?? 'reported',
      step?.peakRssMb == null ? '—' : `${Math.round(step.peakRssMb)} MB`,
    ];
  });
  return markdown(['Step the user runs', 'Foresight', 'Baseline in the same run', 'Ratio', 'Goal', 'Peak RSS'], rows);
}

/** How each step grows with the book: its median at every scale, and the ratio to the previous scale. */
export function growthTable(scales: readonly ScaleResult[]): string {
  const sorted = [...scales].sort((a, b) => a.accounts - b.accounts);
  const header = ['Step', ...sorted.map((s) => thousands(s.accounts))];
  for (let i = 1; i < sorted.length; i++)
    header.push(`${thousands(sorted[i]!.accounts)}/${thousands(sorted[i - 1]!.accounts)}`);
  const rows = STEPS.map((spec) => {
    const times = sorted.map((s) => formatMs(s.steps.find((x) => x.id === spec.id)?.subjectMs));
    const grown = growth(sorted, spec.id)
      .slice(1)
      .map((g) => (g == null ? '—' : `${g.toFixed(2)}×`));
    return [spec.id, ...times, ...grown];
  });
  rows.push([
    'peak RSS',
    ...sorted.map((s) => {
      const rss = scalePeakRss(s);
      return rss == null ? '—' : `${Math.round(rss)} MB`;
    }),
    ...sorted.slice(1).map((s, i) => {
      const g = ratio(scalePeakRss(s), scalePeakRss(sorted[i]!));
      return g == null ? '—' : `${g.toFixed(2)}×`;
    }),
  ]);
  return markdown(header, rows);
}

function markdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}
