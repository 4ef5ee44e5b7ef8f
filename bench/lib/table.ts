/** Renders results as a plain-text table for the terminal and as Markdown for docs/performance.md. Pure. */
import { FIGURES, formatValue, verdict, type FigureResult } from './goals.ts';

export interface TableRow {
  figure: string;
  value: string;
  goal: string;
  verdict: string;
  subject: string;
  baseline: string;
  detail: string;
}

const ms = (value: number | null | undefined) =>
  value == null ? '' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;

function detail(result: FigureResult | undefined): string {
  if (!result) return 'not run';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(result.extra ?? {})) {
    if (value == null) continue;
    parts.push(`${key} ${typeof value === 'number' ? formatNumber(value) : value}`);
  }
  if (result.value == null && result.note) parts.push(result.note);
  if (result.measuredAt) parts.push(`from the run of ${result.measuredAt}`);
  return parts.join('; ');
}

function formatNumber(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toLocaleString('en');
  return value.toFixed(2);
}

export function tableRows(results: readonly FigureResult[]): TableRow[] {
  return FIGURES.map((spec) => {
    const result = results.find((r) => r.id === spec.id);
    const v = verdict(spec, result);
    return {
      figure: spec.title,
      value: result?.value == null ? '—' : formatValue(spec, result.value),
      goal: spec.goal ? spec.goal.label + (spec.eventually ? ` (then ${spec.eventually.label})` : '') : 'reported',
      verdict: v === 'pass' ? 'pass' : v === 'fail' ? 'FAIL' : v === 'reported' ? '—' : 'missing',
      subject: ms(result?.subjectMs),
      baseline: ms(result?.baselineMs),
      detail: detail(result),
    };
  });
}

const HEADERS: TableRow = {
  figure: 'Figure',
  value: 'Value',
  goal: 'Goal',
  verdict: 'Verdict',
  subject: 'Subject',
  baseline: 'Baseline',
  detail: 'Detail',
};
const COLUMNS = Object.keys(HEADERS) as (keyof TableRow)[];

/** Fixed-width text, one line per figure. */
export function renderText(results: readonly FigureResult[]): string {
  const rows = [HEADERS, ...tableRows(results)];
  const widths = COLUMNS.map((c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: TableRow) =>
    COLUMNS.map((c, i) => r[c].padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** A GitHub-flavoured Markdown table; pipes inside cells are escaped. */
export function renderMarkdown(results: readonly FigureResult[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = tableRows(results);
  return [
    `| ${COLUMNS.map((c) => HEADERS[c]).join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${COLUMNS.map((c) => cell(r[c])).join(' | ')} |`),
  ].join('\n');
}
