// The long-form metrics shortcut (src/domain/ingest/metric-rows.ts) must make exactly the general
// path's decisions: the same rows written, unchanged and rejected, the same reasons, quarantine,
// changed accounts and stored values. Each scenario is imported twice into fresh databases, once
// with the shortcut and once with it switched off, and the outcomes are compared.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import type { ImportOptions, ImportSummary } from '../../src/domain/ingest/import-files.ts';
import type * as MetricRows from '../../src/domain/ingest/metric-rows.ts';
import { importOutcome, writeStep } from '../support/import-outcome.ts';
import { tempDb, tempDir } from '../support/temp.ts';

type ImportFn = (db: Db, files: string[], options?: ImportOptions) => ImportSummary;
const now = () => new Date('2026-06-30T12:00:00Z');

let taken = 0;

/** The importer with the shortcut as it is (counting the rows it takes), or switched off. */
async function importer(shortcut: boolean): Promise<ImportFn> {
  vi.resetModules();
  vi.doMock('../../src/domain/ingest/metric-rows.ts', async (original) => {
    const actual = await original<typeof MetricRows>();
    return {
      metricRowShortcut: (...args: Parameters<typeof actual.metricRowShortcut>) => {
        if (!shortcut) return null;
        const inner = actual.metricRowShortcut(...args);
        return inner && ((cells: readonly string[]) => (inner(cells) ? (taken++, true) : false));
      },
    };
  });
  return (await import('../../src/domain/ingest/import-files.ts')).importFiles;
}

afterEach(() => {
  vi.doUnmock('../../src/domain/ingest/metric-rows.ts');
  vi.resetModules();
});

/** Runs the same steps (lists of file contents by name) through both importers; returns both outcomes. */
async function both(steps: Record<string, string>[]) {
  const run = async (shortcut: boolean) => {
    const importFiles = await importer(shortcut);
    const { db } = tempDb();
    const dir = tempDir();
    const results = steps.map((files, step) => importFiles(db, writeStep(dir, step, files), { now }));
    return importOutcome(db, results, dir);
  };
  taken = 0;
  const fast = await run(true);
  const takenByShortcut = taken;
  const general = await run(false);
  return { fast, general, takenByShortcut };
}

const ACCOUNTS = `account_id,name,arr\n${Array.from({ length: 40 }, (_, i) => `acc_${i},Company ${i},${i * 100}`).join('\n')}\n`;

describe('the long-form metrics shortcut', () => {
  it('decides every tricky row as the general path does', async () => {
    const rows = [
      'acc_1,2026-06-01,logins,5,',
      ' acc_1 , 2026-06-02 , logins , 6 , ',
      'acc_1,2026/06/03,logins,7,',
      'acc_1,2026-06-04T10:00:00Z,logins,8,',
      'acc_1,2026-02-31,logins,9,',
      'acc_1,,logins,9,',
      'acc_1,01/06/2026,logins,9,',
      'acc_1,2026-06-05,Logins,9,',
      'acc_1,2026-06-05, ,9,',
      `acc_1,2026-06-05,${'a'.repeat(65)},9,`,
      'acc_1,2026-06-06,seats_used,"1,200",',
      'acc_1,2026-06-07,seats_used,$5,',
      'acc_1,2026-06-08,seats_used,1e3,',
      'acc_1,2026-06-09,seats_used,-0,',
      'acc_1,2026-06-10,seats_used,.5,',
      'acc_1,2026-06-11,seats_used,5.,',
      'acc_1,2026-06-12,seats_used,abc,',
      'acc_1,2026-06-13,seats_used,,',
      'acc_1,2026-06-14,seats_used,1e999,',
      'acc_1,2026-06-15,seats_used,+3,',
      'acc_2,2026-06-01,active_users,4,con_1',
      'acc_2,2026-06-01,active_users,4, con_1 ',
      'acc_2,2026-06-01,active_users,3,   ',
      ',2026-06-01,logins,1,',
      'acc_404,2026-06-01,logins,1,',
      'acc_404,2026-06-02,logins,1,',
      'acc_3,2026-06-01,logins,1,,,',
      'acc_3,2026-06-02,logins,1',
      'acc_3,2026-06-03,logins,1,x,y',
      'acc_1,2026-06-01,logins,50,',
    ];
    // Enough rows to cross batch boundaries, interleaved with the tricky ones.
    const filler = Array.from(
      { length: 700 },
      (_, i) => `acc_${i % 40},2026-05-${String(1 + (i % 28)).padStart(2, '0')},m${Math.floor(i / 28)},${i},`,
    );
    const metrics = `account_id,date,metric,value,contact_id\n${[...filler.slice(0, 300), ...rows, ...filler.slice(300)].join('\n')}\n`;
    const { fast, general, takenByShortcut } = await both([{ 'accounts.csv': ACCOUNTS, 'metrics.csv': metrics }]);
    expect(takenByShortcut).toBeGreaterThan(700);
    expect(fast).toEqual(general);
    const summary = (fast as { results: ImportSummary[] }).results[0]!;
    expect(summary.rejected).toBeGreaterThan(10);
  });

  it('counts written, unchanged and changed accounts as the general path does on a re-import with some changes', async () => {
    const rows = (change: boolean) =>
      Array.from(
        { length: 900 },
        (_, i) =>
          `acc_${i % 30},2026-06-${String(1 + Math.floor(i / 90)).padStart(2, '0')},m${Math.floor(i / 30) % 3},${change && i % 97 === 0 ? -i : i},`,
      );
    const file = (change: boolean) => `account_id,date,metric,value,contact_id\n${rows(change).join('\n')}\n`;
    const { fast, general, takenByShortcut } = await both([
      { 'accounts.csv': ACCOUNTS, 'metrics.csv': file(false) },
      { 'metrics.csv': file(true) },
      { 'metrics.csv': file(true).replace('\n', '\nacc_1,2026-06-01,m0,1,\n') },
    ]);
    expect(takenByShortcut).toBeGreaterThan(2000);
    expect(fast).toEqual(general);
    const results = (fast as { results: ImportSummary[] }).results;
    expect(results[1]!.accepted.metrics).toBeGreaterThan(0);
    expect(results[1]!.unchanged).toBeGreaterThan(0);
  });

  it('resolves quarantined rows when their corrected row arrives, as the general path does', async () => {
    const bad =
      'account_id,date,metric,value\nacc_1,2026-06-01,logins,many\nacc_2,2026-06-01,logins,3\nacc_9,2026-06-01,logins,oops\n';
    const good =
      'account_id,date,metric,value\nacc_1,2026-06-01,logins,4\nacc_2,2026-06-01,logins,3\nacc_9,2026-06-01,logins,5\n';
    const { fast, general, takenByShortcut } = await both([
      { 'accounts.csv': ACCOUNTS, 'metrics.csv': bad },
      { 'metrics.csv': good },
    ]);
    expect(takenByShortcut).toBeGreaterThan(0);
    expect(fast).toEqual(general);
    expect((fast as { results: ImportSummary[] }).results[1]!.resolvedQuarantine).toBe(2);
  });
});

describe('known accounts in a batch import', () => {
  it('still rejects unknown accounts after loading every account id (more than 1,000 distinct accounts)', async () => {
    const importFiles = await importer(true);
    const { db } = tempDb();
    const dir = tempDir();
    const accounts = join(dir, 'accounts.csv');
    const metrics = join(dir, 'metrics.csv');
    writeFileSync(
      accounts,
      `account_id,name,arr\n${Array.from({ length: 1500 }, (_, i) => `acc_${i},Company ${i},1`).join('\n')}\n`,
    );
    const rows = Array.from({ length: 1500 }, (_, i) => `acc_${i},2026-06-01,logins,${i}`);
    rows.splice(10, 0, 'acc_x1,2026-06-01,logins,1');
    rows.push('acc_x2,2026-06-01,logins,1');
    writeFileSync(metrics, `account_id,date,metric,value\n${rows.join('\n')}\n`);
    const result = importFiles(db, [accounts, metrics], { now });
    expect(result.accepted.metrics).toBe(1500);
    expect(result.rejected).toBe(2);
    expect(result.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [
        12,
        'account_id',
        "line 12, account_id: 'acc_x1' is not a known account (import its account first, then re-check the quarantine)",
      ],
      [
        1503,
        'account_id',
        "line 1503, account_id: 'acc_x2' is not a known account (import its account first, then re-check the quarantine)",
      ],
    ]);
  });
});
