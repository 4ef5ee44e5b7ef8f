import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import type { OutcomeFact } from './facts.ts';

interface ImportedDbRow {
  record_id: string;
  cohort: 'treated' | 'control' | 'eligible';
  account_id: string;
  account_name: string | null;
  trigger_id: string;
  template_id: string | null;
  template_version: number | null;
  channel: string | null;
  owner_email: string | null;
  status: OutcomeFact['status'];
  fired_on: string | null;
  start_on: string;
  due_on: string | null;
  outcome_on: string | null;
  days_to_success: number | null;
  arr: number | null;
  currency: string | null;
  effort_rating: number | null;
  excluded_from_uplift: 0 | 1;
  manual: 0 | 1;
  replied: 0 | 1 | null;
  fatigue_override: 0 | 1 | null;
  retained_90d: 0 | 1 | null;
  tickets_30d: number | null;
  tickets_31_60d: number | null;
  tickets_61_90d: number | null;
  evidence: string | null;
  notes: string | null;
  as_of: string | null;
  contacted: 0 | 1 | null;
  source_file: string;
  imported_at: string;
}

const CONTENT = [
  'cohort',
  'account_id',
  'account_name',
  'trigger_id',
  'template_id',
  'template_version',
  'channel',
  'owner_email',
  'status',
  'fired_on',
  'start_on',
  'due_on',
  'outcome_on',
  'days_to_success',
  'arr',
  'currency',
  'effort_rating',
  'excluded_from_uplift',
  'manual',
  'replied',
  'fatigue_override',
  'retained_90d',
  'tickets_30d',
  'tickets_31_60d',
  'tickets_61_90d',
  'evidence',
  'notes',
  'contacted',
] as const;

/** The team lead's merged rows from other CSMs' exports, keyed by record id. */
export const importedRepo = perConnection(build);

function build(db: Db) {
  const columns = ['record_id', ...CONTENT, 'as_of', 'source_file', 'imported_at'];
  const stored = db.prepare<[string], ImportedDbRow>('SELECT * FROM imported_outcomes WHERE record_id = ?');
  // Only a row that differs is rewritten, so importing the same file twice changes nothing. The
  // as-of day is not content: the same verdict judged a day later is the same row.
  const upsert = db.prepare<ImportedDbRow>(
    `INSERT INTO imported_outcomes (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
     ON CONFLICT (record_id) DO UPDATE SET ${[...CONTENT, 'as_of', 'source_file', 'imported_at'].map((c) => `${c} = excluded.${c}`).join(', ')}
     WHERE ${CONTENT.map((c) => `imported_outcomes.${c} IS NOT excluded.${c}`).join(' OR ')}`,
  );
  const all = db.prepare<[], ImportedDbRow>('SELECT * FROM imported_outcomes ORDER BY start_on, record_id');
  const count = db.prepare<[], number>('SELECT count(*) FROM imported_outcomes').pluck();
  const treated = db.prepare<[], number>("SELECT count(*) FROM imported_outcomes WHERE cohort = 'treated'").pluck();
  const clear = db.prepare('DELETE FROM imported_outcomes');
  return {
    /**
     * 'added', 'updated' or 'unchanged'; 'older' when the row differs from the one kept but was
     * judged earlier (or its day is unknown while ours is known): ours is newer and stays.
     */
    put(fact: OutcomeFact, sourceFile: string, importedAt: string): 'added' | 'updated' | 'unchanged' | 'older' {
      const existing = stored.get(fact.record_id);
      const {
        source: _source,
        book: _book,
        excluded_from_uplift,
        manual,
        replied,
        fatigue_override,
        contacted,
        ...rest
      } = fact;
      const row: ImportedDbRow = {
        ...rest,
        excluded_from_uplift: excluded_from_uplift ? 1 : 0,
        manual: manual ? 1 : 0,
        replied: replied === null ? null : replied ? 1 : 0,
        fatigue_override: fatigue_override === null ? null : fatigue_override ? 1 : 0,
        contacted: contacted == null ? null : contacted ? 1 : 0,
        source_file: sourceFile,
        imported_at: importedAt,
      };
      if (existing?.as_of && (row.as_of === null || row.as_of < existing.as_of))
        return CONTENT.every((c) => existing[c] === row[c]) ? 'unchanged' : 'older';
      const changes = upsert.run(row).changes;
      return changes === 0 ? 'unchanged' : existing ? 'updated' : 'added';
    },
    all: (): OutcomeFact[] =>
      all
        .all()
        .map(
          ({
            source_file,
            imported_at: _at,
            contacted,
            excluded_from_uplift,
            manual,
            replied,
            fatigue_override,
            ...row
          }) => ({
            ...row,
            source: 'imported' as const,
            excluded_from_uplift: excluded_from_uplift === 1,
            manual: manual === 1,
            replied: replied === null ? null : replied === 1,
            fatigue_override: fatigue_override === null ? null : fatigue_override === 1,
            contacted: contacted === null ? null : contacted === 1,
            // Each merged file is its own book: its holdout share and base rates may differ.
            book: source_file,
          }),
        ),
    count: (): number => count.get() ?? 0,
    /** Colleagues' interventions merged here (not their control rows). */
    treatedCount: (): number => treated.get() ?? 0,
    clear: (): number => clear.run().changes,
  };
}
