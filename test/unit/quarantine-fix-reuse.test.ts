/**
 * Issue 15, Medium 5: importing an old quarantine fix file must never delete an unrelated rejected
 * row. Ids are no longer reused (migration 12), and a fix row only resolves the entry it names
 * when that entry is still the same one (kind, file and line).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { discardQuarantine, exportQuarantineCsv } from '../../src/domain/ingest/quarantine.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const NOW = () => new Date('2026-03-01T10:00:00Z');
const HEADER = 'account_id,name,arr,owner_email,renewal_date';

const entries = (db: ReturnType<typeof tempDb>['db']) =>
  db.prepare('SELECT quarantine_id AS id, origin, line FROM quarantine ORDER BY 1').all() as {
    id: number;
    origin: string;
    line: number;
  }[];

describe('an old quarantine fix file', () => {
  it('does not delete a rejected row that arrived after its entries were discarded', () => {
    const { db } = tempDb();
    const dir = tempDir();
    const first = join(dir, 'first.csv');
    writeFileSync(
      first,
      `${HEADER}\nacc_1,Good,100,a@example.com,2027-01-01\nacc_2,Bad,lots,b@example.com,2027-01-01\n`,
    );
    importFiles(db, [first], { now: NOW });
    const fixFile = join(dir, 'fix.csv');
    writeFileSync(fixFile, exportQuarantineCsv(db).csv);
    const [old] = entries(db);
    discardQuarantine(db, { all: true });

    const second = join(dir, 'second.csv');
    writeFileSync(second, `${HEADER}\nacc_9,Other,not-a-number,z@example.com,2027-01-01\n`);
    importFiles(db, [second], { now: NOW });
    const [unrelated] = entries(db);
    expect(unrelated!.id).not.toBe(old!.id);

    importFiles(db, [fixFile], { now: NOW });
    expect(entries(db)).toContainEqual(unrelated);
  });

  it('does not resolve an entry whose id it names but whose kind, file or line differ', () => {
    const { db } = tempDb();
    const dir = tempDir();
    const file = join(dir, 'accounts.csv');
    writeFileSync(file, `${HEADER}\nacc_2,Bad,lots,b@example.com,2027-01-01\n`);
    importFiles(db, [file], { now: NOW });
    const [entry] = entries(db);
    const fix = join(dir, 'fix.csv');
    writeFileSync(
      fix,
      `quarantine_id,kind,file,line,field,reason,${HEADER.split(',').slice(0, 3).join(',')}\n${entry!.id},accounts,elsewhere.csv,7,arr,bad,acc_3,Fixed,300\n`,
    );
    importFiles(db, [fix], { now: NOW });
    expect(entries(db)).toContainEqual(entry);
    // Its own fix still works.
    writeFileSync(
      fix,
      `quarantine_id,kind,file,line,field,reason,account_id,name,arr\n${entry!.id},accounts,accounts.csv,2,arr,bad,acc_2,Bad,300\n`,
    );
    importFiles(db, [fix], { now: NOW });
    expect(entries(db)).not.toContainEqual(entry);
  });
});
