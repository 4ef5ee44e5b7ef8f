/**
 * Interventions a source refused on their own (a hub's 422: "account X is not in your book", once
 * a cover has ended). They are acknowledged for that source so they never hold back the rest of
 * the outbox, and remembered here with the hub's sentence until the user keeps them local or
 * discards them. Rare and few, so they live in app_meta (one JSON list per source) rather than in
 * a table of their own.
 */
import type { RefusedRow } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { metaRepo } from '../db/repos/meta.ts';
import { UserFacingError } from '../errors.ts';
import { interventionsRepo } from '../interventions/repo.ts';

const key = (source: string) => `sync.refused.${source}`;

export function refusedRows(db: Db, source: string): RefusedRow[] {
  const stored = metaRepo(db).get(key(source));
  if (!stored) return [];
  try {
    const rows = JSON.parse(stored) as unknown;
    return Array.isArray(rows) ? (rows as RefusedRow[]) : [];
  } catch {
    return [];
  }
}

function save(db: Db, source: string, rows: RefusedRow[]): void {
  if (rows.length === 0) metaRepo(db).remove(key(source));
  else metaRepo(db).set(key(source), JSON.stringify(rows));
}

/** Remembers a refusal (a row refused again replaces its earlier entry). */
export function recordRefusal(db: Db, source: string, row: RefusedRow): void {
  save(db, source, [...refusedRows(db, source).filter((r) => r.id !== row.id), row]);
}

export function forgetRefusals(db: Db, source: string): void {
  save(db, source, []);
}

/**
 * The user's answer to a refused row: 'keep' leaves the intervention in this book only (it is not
 * offered to the source again unless it changes) and clears the notice; 'discard' deletes the
 * intervention here. A held-out (control) row is never deleted: it is the risk item's own outcome.
 */
export function resolveRefusal(db: Db, source: string, id: string, action: 'keep' | 'discard'): RefusedRow {
  const rows = refusedRows(db, source);
  const row = rows.find((r) => r.id === id);
  if (!row) throw new UserFacingError('NOT_FOUND', `${source} refused no row with the id ${id}.`);
  db.transaction(() => {
    if (action === 'discard') {
      if (row.cohort === 'control')
        throw new UserFacingError(
          'INVALID_INPUT',
          `${id} is a held-out risk item's outcome, not an intervention, so it can only be kept local.`,
        );
      interventionsRepo(db).remove(id);
    }
    save(
      db,
      source,
      rows.filter((r) => r.id !== id),
    );
  })();
  return row;
}
