import type { OutcomeFact } from '../interventions/facts.ts';
import { triggerLabel } from '../interventions/report.ts';

/** The kind of value in a column: decides the XLSX cell type and how the merge import reads it. */
export type ColumnKind = 'text' | 'integer' | 'number' | 'money' | 'date' | 'boolean';

export interface ExportColumn {
  key: string;
  header: string;
  kind: ColumnKind;
  width: number;
  value(fact: OutcomeFact): string | number | boolean | null;
}

/**
 * The columns of the Interventions sheet and of the CSV, in order. The headers are the contract
 * of the merge import: it reads files by these names, so a renamed header is a breaking change.
 */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { key: 'record_id', header: 'record_id', kind: 'text', width: 38, value: (f) => f.record_id },
  { key: 'cohort', header: 'cohort', kind: 'text', width: 9, value: (f) => f.cohort },
  { key: 'account_id', header: 'account_id', kind: 'text', width: 14, value: (f) => f.account_id },
  { key: 'account_name', header: 'account_name', kind: 'text', width: 28, value: (f) => f.account_name },
  { key: 'owner_email', header: 'owner_email', kind: 'text', width: 26, value: (f) => f.owner_email },
  { key: 'trigger_id', header: 'trigger_id', kind: 'text', width: 22, value: (f) => f.trigger_id },
  { key: 'trigger', header: 'trigger', kind: 'text', width: 24, value: (f) => triggerLabel(f.trigger_id) },
  { key: 'template_id', header: 'template_id', kind: 'text', width: 18, value: (f) => f.template_id },
  { key: 'template_version', header: 'template_version', kind: 'integer', width: 9, value: (f) => f.template_version },
  { key: 'channel', header: 'channel', kind: 'text', width: 9, value: (f) => f.channel },
  { key: 'status', header: 'status', kind: 'text', width: 10, value: (f) => f.status },
  { key: 'fired_on', header: 'fired_on', kind: 'date', width: 12, value: (f) => f.fired_on },
  { key: 'start_on', header: 'start_on', kind: 'date', width: 12, value: (f) => f.start_on },
  { key: 'due_on', header: 'due_on', kind: 'date', width: 12, value: (f) => f.due_on },
  { key: 'outcome_on', header: 'outcome_on', kind: 'date', width: 12, value: (f) => f.outcome_on },
  { key: 'days_to_success', header: 'days_to_success', kind: 'integer', width: 9, value: (f) => f.days_to_success },
  { key: 'arr', header: 'arr', kind: 'money', width: 14, value: (f) => f.arr },
  { key: 'currency', header: 'currency', kind: 'text', width: 8, value: (f) => f.currency },
  { key: 'effort_rating', header: 'effort_rating', kind: 'integer', width: 8, value: (f) => f.effort_rating },
  {
    key: 'excluded_from_uplift',
    header: 'excluded_from_uplift',
    kind: 'boolean',
    width: 9,
    value: (f) => f.excluded_from_uplift,
  },
  {
    key: 'retained_90d',
    header: 'retained_90d',
    kind: 'boolean',
    width: 9,
    value: (f) => (f.retained_90d === null ? null : f.retained_90d === 1),
  },
  { key: 'tickets_30d', header: 'tickets_30d', kind: 'integer', width: 9, value: (f) => f.tickets_30d },
  { key: 'evidence', header: 'evidence', kind: 'text', width: 60, value: (f) => f.evidence },
  { key: 'notes', header: 'notes', kind: 'text', width: 40, value: (f) => f.notes },
  // Appended after the first release, so older files still line up; the merge import reads a file
  // without them as "not set by hand, reply unknown".
  { key: 'manual', header: 'manual', kind: 'boolean', width: 8, value: (f) => f.manual },
  { key: 'replied', header: 'replied', kind: 'boolean', width: 8, value: (f) => f.replied },
  { key: 'tickets_31_60d', header: 'tickets_31_60d', kind: 'integer', width: 9, value: (f) => f.tickets_31_60d },
  { key: 'tickets_61_90d', header: 'tickets_61_90d', kind: 'integer', width: 9, value: (f) => f.tickets_61_90d },
  {
    key: 'fatigue_override',
    header: 'fatigue_override',
    kind: 'boolean',
    width: 9,
    value: (f) => f.fatigue_override,
  },
  // The day the row's verdict was judged: a merge keeps the newer of two exports of one row.
  { key: 'as_of', header: 'as_of', kind: 'date', width: 12, value: (f) => f.as_of },
  // Eligible rows (firings not held out): whether a touch reached the firing; control rows: whether
  // a touch for another play reached the account in the window. The uplift compares every eligible
  // row with every control row, contacted or not (intention to treat).
  { key: 'contacted', header: 'contacted', kind: 'boolean', width: 9, value: (f) => f.contacted ?? null },
];
