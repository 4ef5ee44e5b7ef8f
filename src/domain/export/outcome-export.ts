import type { Db } from '../db/open.ts';
import type { OutcomeReport } from '../../shared/dto/interventions.ts';
import { loadOutcomeFacts, type OutcomeFact } from '../interventions/facts.ts';
import { reportFromFacts, reportRates } from '../interventions/report.ts';
import { EXPORT_COLUMNS } from './columns.ts';
import { fitCell } from './cell-limit.ts';
import { toCsv } from './csv.ts';
import { buildOutcomeWorkbook } from './xlsx.ts';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportQuery {
  format: ExportFormat;
  asOf: string;
  from?: string | null;
  to?: string | null;
  /** Include rows merged in from other CSMs' files (a team lead's combined export). Default true. */
  includeImported?: boolean;
  generatedAt: Date;
}

export interface ExportedFile {
  filename: string;
  mime: string;
  data: Uint8Array;
  rows: number;
  report: OutcomeReport;
}

export const MIME = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** foresight-outcomes_2026-01-01_to_2026-03-31.csv: the range asked for, else the range of the rows. */
export function exportFilename(
  format: ExportFormat,
  facts: OutcomeFact[],
  query: Pick<ExportQuery, 'from' | 'to' | 'asOf'>,
): string {
  const days = facts.map((f) => f.start_on).sort();
  const from = query.from ?? days[0] ?? query.asOf;
  const to = query.to ?? query.asOf;
  return `foresight-outcomes_${from}_to_${to}.${format}`;
}

export async function exportOutcomes(db: Db, query: ExportQuery): Promise<ExportedFile> {
  const facts = loadOutcomeFacts(db, {
    asOf: query.asOf,
    from: query.from,
    to: query.to,
    includeImported: query.includeImported,
  });
  facts.sort(
    (a, b) =>
      a.start_on.localeCompare(b.start_on) ||
      a.cohort.localeCompare(b.cohort) ||
      a.record_id.localeCompare(b.record_id),
  );
  const report = reportFromFacts(facts, {
    asOf: query.asOf,
    by: 'trigger',
    from: query.from,
    to: query.to,
    fxToUsd: reportRates(db),
  });
  const filename = exportFilename(query.format, facts, query);
  if (query.format === 'csv') {
    const csv = toCsv(
      EXPORT_COLUMNS.map((c) => c.header),
      facts.map((fact) => EXPORT_COLUMNS.map((c) => fitCell(c.value(fact)))),
    );
    return { filename, mime: MIME.csv, data: new TextEncoder().encode(csv), rows: facts.length, report };
  }
  const data = await buildOutcomeWorkbook({
    facts,
    report,
    title: `Foresight outcomes, ${filename.replace(/^foresight-outcomes_|\.xlsx$/g, '').replace('_to_', ' to ')}`,
    generatedAt: query.generatedAt,
  });
  return { filename, mime: MIME.xlsx, data, rows: facts.length, report };
}
