// Reading a long-form metrics CSV in the worker thread (src/domain/ingest/csv-worker.ts) must give
// exactly what reading it in the importer's own thread gives: the same rows written, unchanged and
// rejected, the same reasons, quarantine, changed accounts, stored values and fingerprints. Each
// scenario runs through a real worker and through this thread, into fresh databases.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import type * as CsvInWorker from '../../src/domain/ingest/csv-in-worker.ts';
import type { ImportOptions, ImportSummary } from '../../src/domain/ingest/import-files.ts';
import { importOutcome, writeStep } from '../support/import-outcome.ts';
import { tempDb, tempDir } from '../support/temp.ts';

type ImportFn = (db: Db, files: string[], options?: ImportOptions) => ImportSummary;
const now = () => new Date('2026-06-30T12:00:00Z');

let workerFiles = 0;

/** The importer, counting the files really read by a worker; `unavailable` makes every worker fail to start. */
async function importer(unavailable = false): Promise<ImportFn> {
  vi.resetModules();
  vi.doMock('../../src/domain/ingest/csv-in-worker.ts', async (original) => {
    const actual = await original<typeof CsvInWorker>();
    return {
      ...actual,
      startCsvWorker: (...args: Parameters<typeof actual.startCsvWorker>) => {
        const worker = actual.startCsvWorker(...args);
        if (!worker) return null;
        return {
          dispose: worker.dispose,
          read(...readArgs: Parameters<typeof worker.read>) {
            if (unavailable) {
              worker.dispose();
              throw new actual.CsvWorkerUnavailable('test: no worker');
            }
            const info = worker.read(...readArgs);
            workerFiles++;
            return info;
          },
        };
      },
    };
  });
  return (await import('../../src/domain/ingest/import-files.ts')).importFiles;
}

afterEach(() => {
  vi.doUnmock('../../src/domain/ingest/csv-in-worker.ts');
  vi.resetModules();
});

/** Runs the same steps (file contents by name) with and without the worker; returns both outcomes. */
async function both(steps: Record<string, string | Buffer>[]) {
  const run = async (parseInWorker: boolean) => {
    const importFiles = await importer();
    const { db } = tempDb();
    const dir = tempDir();
    const results = steps.map((files, step) => importFiles(db, writeStep(dir, step, files), { now, parseInWorker }));
    return importOutcome(db, results, dir);
  };
  workerFiles = 0;
  const inWorker = await run(true);
  const filesReadByWorker = workerFiles;
  workerFiles = 0;
  const inThread = await run(false);
  expect(workerFiles).toBe(0);
  return { inWorker, inThread, filesReadByWorker };
}

const ACCOUNTS = `account_id,name,arr\n${Array.from({ length: 40 }, (_, i) => `acc_${i},Company ${i},${i * 100}`).join('\n')}\n`;
const filler = (count: number, metric = 'm') =>
  Array.from(
    { length: count },
    (_, i) => `acc_${i % 40},2026-05-${String(1 + (i % 28)).padStart(2, '0')},${metric}${Math.floor(i / 28)},${i},`,
  );

describe('reading a metrics CSV in a worker thread', () => {
  it('decides every tricky row, in file order, as this thread does', async () => {
    const tricky = [
      ' acc_1 , 2026-06-02 , logins , 6 , ',
      'acc_1,2026/06/03,logins,7,',
      'acc_1,2026-02-31,logins,9,',
      'acc_1,2026-06-06,seats_used,"1,200",',
      'acc_1,2026-06-08,seats_used,1e3,',
      'acc_1,2026-06-12,seats_used,abc,',
      'acc_2,2026-06-01,active_users,4, con_1 ',
      ',2026-06-01,logins,1,',
      'acc_404,2026-06-01,logins,1,',
      'acc_3,2026-06-01,logins,1,,,',
      'acc_3,2026-06-02,logins,1',
      'acc_3,2026-06-03,logins,1,x,y',
      // The same key as a proven row before it, with a value only the general path reads:
      // whichever comes last in the file must win.
      'acc_5,2026-05-06,m0,"1,234",',
      // Valid rows whose JSON needs \u escapes: the writer binds such a batch value by value.
      'acc_6,2026-06-01,logins,1,con\\u0041',
      'acc_6,2026-06-02,logins,1,con\u0001x',
      'acc_7,2026-06-01,logins,2,\u00a0con_\u00e9',
      // Swallows the rest of the file, so it comes last.
      'acc_4,2026-06-03,"unclosed,1,',
    ];
    const rows = [...filler(1200).slice(0, 600), ...tricky.slice(0, 6), ...filler(1200).slice(600), ...tricky.slice(6)];
    const metrics = `account_id,date,metric,value,contact_id\n${rows.join('\n')}\n`;
    const { inWorker, inThread, filesReadByWorker } = await both([
      { 'accounts.csv': ACCOUNTS, 'metrics.csv': metrics },
    ]);
    expect(filesReadByWorker).toBe(2);
    expect(inWorker).toEqual(inThread);
    const summary = (inWorker as { results: ImportSummary[] }).results[0]!;
    expect(summary.accepted.metrics).toBeGreaterThan(1000);
    expect(summary.rejected).toBeGreaterThanOrEqual(6);
    const contacts = (inWorker as { metrics: unknown[][] }).metrics
      .filter((row) => row[0] === 'acc_6' && row[1] === 'logins')
      .map((row) => row[2]);
    expect(contacts.sort()).toEqual(['con\\u0041', 'con\u0001x'].sort());
  });

  it('reads a wide metrics file, tricky rows and cells included, in file order, as this thread does', async () => {
    const day = (i: number) => `2026-05-${String(1 + (i % 28)).padStart(2, '0')}`;
    // By account then day, as an export is: the worker sends each account's cells sorted by key.
    const plain = Array.from(
      { length: 900 },
      (_, i) => `acc_${Math.floor(i / 28) % 40},${day(i)},${i},${i % 3 === 0 ? '' : i * 2},${(i % 7) / 2}`,
    );
    const tricky = [
      ' acc_1 , 2026-06-02 , 6 , 7 , 8 ',
      'acc_1,2026/06/03,1,2,3',
      'acc_1,2026-06-04,1,"1,200",3',
      'acc_1,2026-06-05,1,abc,3',
      'acc_1,2026-06-06,,,',
      'acc_1,2026-06-07, , ,',
      ',2026-06-01,1,2,3',
      'acc_404,2026-06-01,1,2,3',
      'acc_3,2026-06-01,1,2,3,,',
      'acc_3,2026-06-02,1,2',
      // The same key as a proven row before it, with a value only the general path reads.
      'acc_0,2026-05-02,"1,234",1,1',
      'acc_0,2026-05-03,5,5,5',
      'acc_0,2026-05-03,6,6,6',
    ];
    const rows = [...plain.slice(0, 450), ...tricky, ...plain.slice(450)];
    const metrics = `account_id,date,active_users,logins,nps score\n${rows.join('\n')}\n`;
    const step = { 'accounts.csv': ACCOUNTS, 'metrics.csv': metrics };
    const { inWorker, inThread, filesReadByWorker } = await both([
      step,
      { 'metrics.csv': metrics.replace('acc_2,2026-05-01,', 'acc_2,2026-05-01,99') },
    ]);
    expect(filesReadByWorker).toBe(3);
    expect(inWorker).toEqual(inThread);
    const [first, second] = (inWorker as { results: ImportSummary[] }).results;
    expect(first!.files[1]!.rows).toBe(rows.length);
    expect(first!.accepted.metrics).toBeGreaterThan(2000);
    expect(first!.rejected).toBeGreaterThanOrEqual(8);
    // The changed cell, and the keys the file holds twice (written back and forth again).
    expect(second!.accepted.metrics).toBeGreaterThan(0);
    expect(second!.unchanged).toBeGreaterThan(1500);
  });

  it('reads a wide metrics file with a contact column as this thread does', async () => {
    const rows = Array.from(
      { length: 600 },
      (_, i) =>
        `acc_${Math.floor(i / 20) % 40},${[' con_1 ', '', '  ', 'con_2'][i % 4]},2026-05-${String(1 + (i % 20)).padStart(2, '0')},${i},${i % 5 === 0 ? '' : -i}`,
    );
    const metrics = `account_id,contact_id,date,logins,minutes\n${rows.join('\n')}\n`;
    const { inWorker, inThread, filesReadByWorker } = await both([
      { 'accounts.csv': ACCOUNTS, 'metrics.csv': metrics },
    ]);
    expect(filesReadByWorker).toBe(2);
    expect(inWorker).toEqual(inThread);
    const contacts = new Set((inWorker as { metrics: unknown[][] }).metrics.map((row) => row[2]));
    expect([...contacts].sort()).toEqual(['', 'con_1', 'con_2']);
  });

  it('keeps the later of two rows with one key when an account has more rows than the worker holds back', async () => {
    // 9,000 rows of one account, against the key's order; the first and the last share a key.
    const day = (i: number) => `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const rows = Array.from(
      { length: 9000 },
      (_, i) => `acc_1,${day(i)},m${String(999 - (i % 1000)).padStart(3, '0')},${i}`,
    );
    rows.push(`acc_1,${day(0)},m999,-1`);
    const metrics = `account_id,date,metric,value\n${rows.join('\n')}\n`;
    const { inWorker, inThread } = await both([{ 'accounts.csv': ACCOUNTS, 'metrics.csv': metrics }]);
    expect(inWorker).toEqual(inThread);
    const stored = (inWorker as { metrics: unknown[][] }).metrics.find((row) => row[1] === 'm999' && row[3] === day(0));
    expect(stored?.[4]).toBe(-1);
  });

  it('reads accounts, contacts and events files, messy ones included, as this thread does', async () => {
    const fixtures = join(import.meta.dirname, '..', 'fixtures', 'sync');
    const crmAccounts = readFileSync(join(fixtures, 'crm-export.csv'));
    const crmContacts = readFileSync(join(fixtures, 'crm-contacts.csv'));
    const manyAccounts = `account_id,name,arr,owner_email,renewal_date,status\n${Array.from({ length: 1500 }, (_, i) =>
      i % 211 === 7
        ? `acc_${i},Company ${i},lots,owner@x.example,2027-01-01,active`
        : `acc_${i},"Company ${i}, Inc.",${i * 10},owner${i % 7}@x.example,2027-0${1 + (i % 9)}-1${i % 10},${i % 13 === 0 ? 'churned' : 'active'}`,
    ).join('\n')}\nacc_3,Company 3 renamed,30,,,active\n`;
    const events = `account_id,occurred_at,type,value,detail\n${Array.from({ length: 1200 }, (_, i) =>
      i % 301 === 5
        ? `acc_${i % 40},yesterday,ticket_opened,,`
        : `acc_${i % 1600},2026-06-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z,${i % 2 ? 'ticket_opened' : 'payment_failed'},${i % 5},"detail ${i}"`,
    ).join('\n')}\n`;
    const { inWorker, inThread, filesReadByWorker } = await both([
      { 'crm-export.csv': crmAccounts, 'accounts.csv': manyAccounts },
      { 'crm-contacts.csv': crmContacts, 'events.csv': events },
      { 'accounts.csv': manyAccounts.replace('acc_10,', 'acc_10x,') },
    ]);
    expect(filesReadByWorker).toBe(5);
    expect(inWorker).toEqual(inThread);
    const [first, second, third] = (inWorker as { results: ImportSummary[] }).results;
    expect(first!.accepted.accounts).toBeGreaterThan(1400);
    expect(first!.rejected).toBeGreaterThan(5);
    expect(second!.accepted.contacts).toBeGreaterThan(0);
    expect(second!.accepted.events).toBeGreaterThan(1000);
    // Events for acc_1500 and above name unknown accounts.
    expect(second!.errors.some((e) => e.message.includes('is not a known account'))).toBe(true);
    // acc_10x is new; acc_3 appears twice in the file: its first row is kept and the repeat rejected
    // (repeated-keys.ts), so it is not written back and renamed again.
    expect(third!.accepted.accounts).toBe(1);
    expect(third!.errors.map((e) => e.message)).toContain(
      "line 1502, account_id: 'acc_3' is already on line 5 of this file; the first row was kept",
    );
  });

  it('counts written, unchanged and changed accounts as this thread does on re-imports with some changes', async () => {
    const rows = (change: boolean) =>
      Array.from(
        { length: 3000 },
        (_, i) =>
          `acc_${i % 30},2026-06-${String(1 + Math.floor(i / 300)).padStart(2, '0')},m${Math.floor(i / 30) % 10},${change && i % 97 === 0 ? -i : i},`,
      );
    const file = (change: boolean) => `account_id,date,metric,value,contact_id\n${rows(change).join('\n')}\n`;
    const { inWorker, inThread, filesReadByWorker } = await both([
      { 'accounts.csv': ACCOUNTS, 'metrics.csv': file(false) },
      { 'metrics.csv': file(true) },
      { 'metrics.csv': file(false) },
    ]);
    expect(filesReadByWorker).toBe(4);
    expect(inWorker).toEqual(inThread);
    const results = (inWorker as { results: ImportSummary[] }).results;
    const changed = Array.from({ length: 3000 }, (_, i) => i).filter((i) => i > 0 && i % 97 === 0);
    expect(results[1]!.accepted.metrics).toBe(changed.length);
    expect(results[1]!.unchanged).toBe(3000 - changed.length);
    expect(results[1]!.changedAccountIds).toEqual([...new Set(changed.map((i) => `acc_${i % 30}`))].sort());
  });

  it('remembers the file by its digest, so the same file again is answered without reading it', async () => {
    const importFiles = await importer();
    const { db } = tempDb();
    const dir = tempDir();
    writeFileSync(join(dir, 'accounts.csv'), ACCOUNTS);
    const metrics = join(dir, 'metrics.csv');
    writeFileSync(metrics, `account_id,date,metric,value,contact_id\n${filler(2000).join('\n')}\n`);
    workerFiles = 0;
    importFiles(db, [join(dir, 'accounts.csv'), metrics], { now, parseInWorker: true });
    expect(workerFiles).toBe(2);
    const again = importFiles(db, [metrics], { now, parseInWorker: true });
    expect(workerFiles).toBe(2);
    expect(again.files[0]).toMatchObject({ status: 'unchanged', accepted: 0, unchanged: 2000 });
  });

  it('starts again as Windows-1252 when the file is not UTF-8, as this thread does', async () => {
    const text = `account_id,date,metric,value,contact_id\n${[...filler(800), 'acc_1,2026-06-01,logins,3,M\u00fcller'].join('\n')}\n`;
    const { inWorker, inThread, filesReadByWorker } = await both([
      { 'accounts.csv': ACCOUNTS, 'metrics.csv': Buffer.from(text, 'latin1') },
    ]);
    expect(filesReadByWorker).toBe(2);
    expect(inWorker).toEqual(inThread);
    expect(JSON.stringify(inWorker)).toContain('M\u00fcller');
  });

  it('resolves quarantined rows when their corrected row arrives, as this thread does', async () => {
    const bad = `account_id,date,metric,value\nacc_1,2026-06-01,logins,many\n${filler(300).join('\n')}\n`;
    const good = `account_id,date,metric,value\nacc_1,2026-06-01,logins,4\n${filler(300).join('\n')}\n`;
    const { inWorker, inThread, filesReadByWorker } = await both([
      { 'accounts.csv': ACCOUNTS, 'metrics.csv': bad },
      { 'metrics.csv': good },
    ]);
    // The worker passes the row with the quarantined key to the general path, which resolves it.
    expect(filesReadByWorker).toBe(3);
    expect(inWorker).toEqual(inThread);
    expect((inWorker as { results: ImportSummary[] }).results[1]!.resolvedQuarantine).toBe(1);
  });

  it('reads a file in the worker when its kind is given instead of detected', async () => {
    const importFiles = await importer();
    const { db } = tempDb();
    const dir = tempDir();
    writeFileSync(join(dir, 'accounts.csv'), ACCOUNTS);
    writeFileSync(join(dir, 'usage.csv'), `account_id,date,metric,value\n${filler(400).join('\n')}\n`);
    importFiles(db, [join(dir, 'accounts.csv')], { now });
    workerFiles = 0;
    const result = importFiles(db, [join(dir, 'usage.csv')], { now, kind: 'metrics', parseInWorker: true });
    expect(workerFiles).toBe(1);
    expect(result.accepted.metrics).toBe(400);
  });

  it('reads the file in this thread when no worker can start', async () => {
    const importFiles = await importer(true);
    const { db } = tempDb();
    const dir = tempDir();
    writeFileSync(join(dir, 'accounts.csv'), ACCOUNTS);
    writeFileSync(join(dir, 'metrics.csv'), `account_id,date,metric,value\n${filler(500).join('\n')}\n`);
    const result = importFiles(db, [join(dir, 'accounts.csv'), join(dir, 'metrics.csv')], { now, parseInWorker: true });
    expect(result.accepted.metrics).toBe(500);
    expect(result.rejected).toBe(0);
  });

  it('reports a file that cannot be read as this thread does', async () => {
    const importFiles = await importer();
    const { db } = tempDb();
    const dir = tempDir();
    writeFileSync(join(dir, 'accounts.csv'), ACCOUNTS);
    writeFileSync(
      join(dir, 'metrics.csv'),
      `account_id,date,metric,value\n${'acc_1,2026-06-01,logins,"never closed\n'.repeat(3)}`,
    );
    const result = importFiles(db, [join(dir, 'accounts.csv'), join(dir, 'metrics.csv')], { now, parseInWorker: true });
    // The first quote runs (as RFC 4180 reads it) to the next quote, on line 3, which has text after it:
    // lines 2-3 are one broken row, line 4 another; nothing after them is lost.
    expect(result.files[1]).toMatchObject({ status: 'partial', rejected: 2 });
    expect(result.errors[0]!.message).toMatch(/^line 2: a quoted field has text after its closing quote/);
    expect(result.errors[1]!.message).toMatch(/^line 4: a quoted field that starts on this line is never closed/);
  });
});
