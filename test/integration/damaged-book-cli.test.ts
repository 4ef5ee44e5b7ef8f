/**
 * The CLI does not write into a damaged book (QA 5 #4: `import` committed 1,200 rows into a file
 * whose metrics pages were overwritten, then said it was damaged as if nothing had been imported).
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase } from '../../src/domain/db/open.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { checkFile } from '../../src/domain/safety/integrity.ts';
import { runCli } from '../support/cli.ts';
import { tempDb, tempDir } from '../support/temp.ts';

describe('a damaged book', () => {
  it('is refused by import before anything is written', () => {
    const { db, path } = tempDb();
    const dir = tempDir();
    const accounts = join(dir, 'accounts.csv');
    writeFileSync(accounts, 'account_id,name,arr\nacc_1,One,1000\n');
    const metrics = join(dir, 'metrics.csv');
    let rows = 'account_id,date,metric,value\n';
    for (let d = 0; d < 4000; d++) rows += `acc_1,2026-01-01,m${d},${d}\n`;
    writeFileSync(metrics, rows);
    importFiles(db, [accounts, metrics]);
    // A leaf page of the metrics table's rows, as in QA's book.
    const page = db
      .prepare<[], number>(
        "SELECT pageno FROM dbstat WHERE name = 'metrics' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 3",
      )
      .pluck()
      .get()!;
    closeDatabase(db);
    // Overwrite it, as a failing disk would.
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(16384, 0xde), 0, 16384, (page - 1) * 16384);
    closeSync(fd);
    expect(checkFile(path, 'quick').ok).toBe(false);

    const events = join(dir, 'events.csv');
    writeFileSync(events, 'event_id,account_id,occurred_at,type\ne1,acc_1,2026-01-02T10:00:00Z,payment_failed\n');
    const run = runCli(['import', events, '--db', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is damaged');
    expect(run.stderr).toContain('nothing was written to it');
    expect(run.stdout).not.toContain('accepted');
  });
});
