// What two ways of importing the same files are compared on (the metrics shortcut and CSV worker
// tests): every result, every stored row, the quarantine and the remembered fingerprints.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../src/domain/db/open.ts';
import type { ImportSummary } from '../../src/domain/ingest/import-files.ts';

/** Writes one step's files (contents by name) into `dir`; returns their paths. */
export function writeStep(dir: string, step: number, files: Record<string, string | Buffer>): string[] {
  return Object.entries(files).map(([name, content]) => {
    const path = join(dir, `${step}-${name}`);
    writeFileSync(path, content);
    return path;
  });
}

/** The outcome with the temporary folder and timestamps taken out, since they differ between runs. */
export function importOutcome(db: Db, results: ImportSummary[], dir: string): unknown {
  const outcome = {
    results: results.map((r) => ({
      ...r,
      changedAccountIds: r.changedAccountIds?.slice().sort() ?? null,
      files: r.files.map((f) => ({ ...f, ms: 0 })),
    })),
    accounts: db.prepare('SELECT * FROM accounts ORDER BY account_id').raw().all(),
    contacts: db.prepare('SELECT * FROM contacts ORDER BY contact_id').raw().all(),
    metrics: db
      .prepare('SELECT account_id, metric, contact_id, date, value FROM metrics ORDER BY 1, 2, 3, 4')
      .raw()
      .all(),
    events: db.prepare('SELECT * FROM events ORDER BY event_id').raw().all(),
    quarantine: db
      .prepare(
        'SELECT kind, origin, line, field, reason, record_json, raw_text, natural_key FROM quarantine ORDER BY quarantine_id',
      )
      .raw()
      .all(),
    fingerprints: db.prepare('SELECT * FROM import_fingerprints ORDER BY 1').raw().all(),
  };
  return JSON.parse(
    JSON.stringify(outcome)
      .replaceAll(dir, 'DIR')
      .replace(/"\d{4}-\d\d-\d\dT[^"]*Z"/g, '"TIME"'),
  ) as unknown;
}
