/**
 * QA-4 #8: an account whose updated_at lies far in the future (2999 for 2029, or a hostile feed)
 * would outrank every later real update ("older than what you have, kept") for ever. It is refused
 * with a sentence naming the file, line and field; a real later update is then written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const NOW = new Date('2026-12-07T12:00:00Z');

describe.each([false, true])('a far-future updated_at (CSV worker: %s)', (parseInWorker) => {
  it('is refused with its file, line and field, and never freezes the account', () => {
    const { db } = tempDb();
    const dir = tempDir();
    const future = join(dir, 'fut1.csv');
    writeFileSync(
      future,
      'account_id,name,arr,updated_at\nF1,Future Co,1000,2999-01-01T00:00:00Z\nF2,Soon Co,5,2026-12-08T00:00:00Z\n',
    );
    const first = importFiles(db, [future], { now: () => NOW, parseInWorker });
    expect(first.rejected).toBe(1);
    expect(db.prepare('SELECT origin, line, field, reason FROM quarantine').get()).toMatchObject({
      origin: future,
      line: 2,
      field: 'updated_at',
      reason: expect.stringContaining('is in the future'),
    });
    // A few hours ahead (another clock) is accepted.
    expect(db.prepare("SELECT arr FROM accounts WHERE account_id = 'F2'").pluck().get()).toBe(5);

    const real = join(dir, 'fut2.csv');
    writeFileSync(real, 'account_id,name,arr,updated_at\nF1,Future Co,250000,2026-12-07T10:00:00Z\n');
    importFiles(db, [real], { now: () => NOW, parseInWorker });
    expect(db.prepare("SELECT arr FROM accounts WHERE account_id = 'F1'").pluck().get()).toBe(250000);
  });
});
