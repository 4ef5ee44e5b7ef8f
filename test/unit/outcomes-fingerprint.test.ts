// The outcomes' data fingerprint (app/jobs/outcomes.ts) tells an interventions read that data an
// outcome depends on changed since the last evaluation. It sees metric rows through the number
// every metrics writer moves (series-cache-hooks.ts) instead of counting the table, so an import
// of events alone no longer walks every metric row (issue 16). Each kind of change must still move it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateIfStale, outcomeDataFingerprint } from '../../src/app/jobs/outcomes.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { METRICS_WRITTEN_KEY } from '../../src/domain/risk/series-cache-hooks.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const D = '2026-03-31';
const NOW = new Date('2026-03-31T12:00:00Z');

function book(): { db: Db; dir: string; first: string } {
  const { db } = tempDb();
  loadDemoBook(db, { accounts: 6, seed: 3, asOf: D });
  const first = db.prepare<[], string>('SELECT account_id FROM accounts ORDER BY account_id').pluck().get()!;
  return { db, dir: tempDir(), first };
}

function importCsv(db: Db, dir: string, name: string, text: string): void {
  const file = join(dir, name);
  writeFileSync(file, text);
  importFiles(db, [file]);
}

const written = (db: Db) =>
  db.prepare<[string], string>('SELECT value FROM app_meta WHERE key = ?').pluck().get(METRICS_WRITTEN_KEY);

describe('the outcomes data fingerprint', () => {
  it('moves with a metrics import, not with an events import, and both move the fingerprint', () => {
    const { db, dir, first } = book();
    const loaded = written(db);
    expect(loaded).toBeDefined();
    const before = outcomeDataFingerprint(db);

    importCsv(
      db,
      dir,
      'events.csv',
      `event_id,account_id,occurred_at,type\nt1,${first},${D}T08:00:00Z,ticket_opened\n`,
    );
    expect(written(db)).toBe(loaded);
    const afterEvents = outcomeDataFingerprint(db);
    expect(afterEvents).not.toBe(before);

    importCsv(db, dir, 'metrics.csv', `account_id,metric,contact_id,date,value\n${first},brand_new,,${D},3\n`);
    expect(Number(written(db))).toBeGreaterThan(Number(loaded));
    expect(outcomeDataFingerprint(db)).not.toBe(afterEvents);
  });

  it('moves when a metric value changes and when an account (and its metric rows) goes', () => {
    const { db, dir, first } = book();
    const before = outcomeDataFingerprint(db);
    const date = db.prepare<[string], string>('SELECT max(date) FROM metrics WHERE account_id = ?').pluck().get(first)!;
    const row = db
      .prepare<[string, string], { metric: string; contact_id: string; value: number }>(
        'SELECT metric, contact_id, value FROM metrics WHERE account_id = ? AND date = ? LIMIT 1',
      )
      .get(first, date)!;
    importCsv(
      db,
      dir,
      'changed.csv',
      `account_id,metric,contact_id,date,value\n${first},${row.metric},${row.contact_id},${date},${row.value + 1}\n`,
    );
    const afterChange = outcomeDataFingerprint(db);
    expect(afterChange).not.toBe(before);

    db.prepare('DELETE FROM accounts WHERE account_id = ?').run(first);
    expect(outcomeDataFingerprint(db)).not.toBe(afterChange);
  });

  it('makes an interventions read evaluate again after a metrics import that ran no after-change step', () => {
    const { db, dir, first } = book();
    evaluateIfStale(db, D, NOW);
    expect(evaluateIfStale(db, D, NOW)).toBeNull();
    importCsv(db, dir, 'metrics.csv', `account_id,metric,contact_id,date,value\n${first},brand_new,,${D},3\n`);
    expect(evaluateIfStale(db, D, NOW)).not.toBeNull();
    expect(evaluateIfStale(db, D, NOW)).toBeNull();
  });
});
