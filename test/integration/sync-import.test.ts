/**
 * File import end to end (importFiles on a real database): the messy CRM export, idempotency,
 * dependency order, encodings, wide metrics, JSON, one transaction per file, and the quarantine's
 * life cycle (resolve, export, fix, retry).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { parseMapping } from '../../src/domain/ingest/mapping.ts';
import { exportQuarantineCsv, listQuarantine, retryQuarantine } from '../../src/domain/ingest/quarantine.ts';
import { listRuns } from '../../src/domain/ingest/repo.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sync');
const CRM = join(FIXTURES, 'crm-export.csv');

const rows = (db: Db, sql: string) => db.prepare(sql).all();

function file(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('the messy CRM export', () => {
  it('imports every good row, rejects each bad one with file, line, field and reason, and changes nothing the second time', () => {
    const { db } = tempDb();
    const first = importFiles(db, [{ path: CRM, name: 'crm-export.csv' }]);
    expect(first.accepted).toEqual({ accounts: 9, contacts: 0, metrics: 0, events: 0 });
    expect(first.rejected).toBe(3);
    expect(first.errors).toEqual([
      {
        file: 'crm-export.csv',
        line: 6,
        field: 'renewal_date',
        message: "line 6, renewal_date: '31/02/2026' is not a date (expected YYYY-MM-DD)",
      },
      { file: 'crm-export.csv', line: 7, field: 'arr', message: "line 7, arr: 'n/a' is not a number" },
      {
        file: 'crm-export.csv',
        line: 11,
        field: 'owner_email',
        message: "line 11, owner_email: 'lee.park@' is not an email address",
      },
    ]);
    expect(first.files[0]).toMatchObject({
      kind: 'accounts',
      format: 'csv',
      delimiter: ',',
      status: 'partial',
      rows: 12,
      ignoredColumns: ['Notes'],
    });
    // Quoted commas, thousands separators, a BOM, CRLF and line breaks inside quotes all came through.
    expect(db.prepare("SELECT name, arr, currency, status FROM accounts WHERE account_id = 'ACME-001'").get()).toEqual({
      name: 'Acme, Inc.',
      arr: 240000,
      currency: 'USD',
      status: 'active',
    });
    expect(db.prepare("SELECT status FROM accounts WHERE account_id = 'JUNO-078'").pluck().get()).toBe('churned');
    expect(first.changedAccountIds).toHaveLength(9);

    const snapshot = JSON.stringify([
      rows(db, 'SELECT * FROM accounts ORDER BY 1'),
      rows(db, 'SELECT * FROM quarantine ORDER BY 1'),
    ]);
    const second = importFiles(db, [{ path: CRM, name: 'crm-export.csv' }]);
    expect(second).toMatchObject({
      accepted: { accounts: 0, contacts: 0, metrics: 0, events: 0 },
      unchanged: 9,
      rejected: 3,
      changedAccountIds: [],
    });
    expect(second.files[0]!.status).toBe('partial');
    expect(
      JSON.stringify([rows(db, 'SELECT * FROM accounts ORDER BY 1'), rows(db, 'SELECT * FROM quarantine ORDER BY 1')]),
    ).toBe(snapshot);
  });

  it('records each file in the run history', () => {
    const { db } = tempDb();
    importFiles(db, [{ path: CRM, name: 'crm-export.csv' }], { now: () => new Date('2026-03-01T09:00:00Z') });
    expect(listRuns(db, 0, 10).rows).toEqual([
      expect.objectContaining({
        type: 'import',
        origin: 'crm-export.csv',
        status: 'partial',
        accepted: { accounts: 9, contacts: 0, metrics: 0, events: 0 },
        rejected: 3,
        startedAt: '2026-03-01T09:00:00.000Z',
        message: 'Ignored columns: Notes',
      }),
    ]);
  });
});

describe('importing several files', () => {
  it('imports accounts before their children whatever the order given, one transaction per file', () => {
    const dir = tempDir();
    const metrics = file(
      dir,
      'usage.csv',
      'account_id,date,active_users,seats_used\nacc_1,2026-02-01,10,12\nacc_2,2026-02-01,3,\n',
    );
    const events = file(
      dir,
      'events.ndjson',
      '{"account_id":"acc_1","occurred_at":"2026-02-02T10:00:00+01:00","type":"nps_response","value":8}\n',
    );
    const contacts = file(
      dir,
      'people.json',
      '[{"Contact ID":"c1","Account ID":"acc_2","Full Name":"Ana","Champion":"yes"}]',
    );
    const accounts = file(dir, 'accounts.csv', 'account_id;name;arr\nacc_1;Acme;"1000"\nacc_2;Bluebird;20\n');
    const { db } = tempDb();
    const result = importFiles(db, [metrics, events, contacts, accounts], { mapping: null });
    expect(result.files.map((f) => [f.file.split('/').pop(), f.kind, f.status])).toEqual([
      ['accounts.csv', 'accounts', 'ok'],
      ['people.json', 'contacts', 'ok'],
      ['usage.csv', 'metrics', 'ok'],
      ['events.ndjson', 'events', 'ok'],
    ]);
    expect(result.accepted).toEqual({ accounts: 2, contacts: 1, metrics: 3, events: 1 });
    expect(rows(db, 'SELECT account_id, metric, value FROM metrics ORDER BY 1, 2')).toEqual([
      { account_id: 'acc_1', metric: 'active_users', value: 10 },
      { account_id: 'acc_1', metric: 'seats_used', value: 12 },
      { account_id: 'acc_2', metric: 'active_users', value: 3 },
    ]);
    expect(db.prepare('SELECT occurred_at FROM events').pluck().get()).toBe('2026-02-02T09:00:00.000Z');
    expect(db.prepare('SELECT is_champion FROM contacts').pluck().get()).toBe(1);
    // A quoted number in a semicolon file (a "1.000" there is refused as ambiguous: import-semicolon-groups.test.ts).
    expect(db.prepare("SELECT arr FROM accounts WHERE account_id = 'acc_1'").pluck().get()).toBe(1000);
  });

  it('rolls back a file that fails as a whole and still imports the others', () => {
    const dir = tempDir();
    const { db } = tempDb();
    const good = file(dir, 'a.csv', 'account_id,name,arr\nacc_1,Acme,10\n');
    const broken = file(dir, 'b.csv', 'account_id,name\nacc_2,No ARR column\n');
    const result = importFiles(db, [broken, good, join(dir, 'missing.csv')]);
    expect(result.files.map((f) => f.status)).toEqual(['ok', 'failed', 'failed']);
    expect(result.errors.map((e) => [e.line, e.message])).toEqual([
      [null, expect.stringContaining('has no column for arr')],
      [null, expect.stringContaining('missing.csv does not exist')],
    ]);
    expect(db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(1);
  });

  it('reports progress per chunk with bytes and rows', () => {
    const dir = tempDir();
    const lines = [
      'account_id,name,arr',
      ...Array.from({ length: 20_000 }, (_, i) => `acc_${i},Account number ${i} with a longer name,${i}`),
    ];
    const path = file(dir, 'big.csv', `${lines.join('\n')}\n`);
    const { db } = tempDb();
    const seen: { rows: number; bytes: number; totalBytes: number }[] = [];
    importFiles(db, [path], { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ rows: 20_000, bytes: last.totalBytes });
    expect(seen.every((p, i) => i === 0 || (p.rows >= seen[i - 1]!.rows && p.bytes >= seen[i - 1]!.bytes))).toBe(true);
  });
});

describe('encodings and shapes', () => {
  it('reads Windows-1252 and UTF-16 exports', () => {
    const dir = tempDir();
    const { db } = tempDb();
    const latin = file(dir, 'latin.csv', Buffer.from('account_id,name,arr\nacc_1,Müller GmbH,1\n', 'latin1'));
    const utf16 = file(
      dir,
      'utf16.txt',
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('account_id\tname\tarr\r\nacc_2\tCafé Noir\t2\r\n', 'utf16le'),
      ]),
    );
    const result = importFiles(db, [latin, utf16]);
    expect(result.rejected).toBe(0);
    expect(db.prepare('SELECT name FROM accounts ORDER BY 1').pluck().all()).toEqual(['Café Noir', 'Müller GmbH']);
  });

  it('applies a mapping file: renames, date formats, decimal comma, constants', () => {
    const dir = tempDir();
    const { db } = tempDb();
    const path = file(
      dir,
      'export.csv',
      'Acct #;Customer;Umsatz;Verlängerung;Junk\nA1;Alpha;1.234,50;31.12.2026;x\nA2;Beta;99;31.02.2026;y\n',
    );
    const mapping = parseMapping({
      columns: { 'Acct #': 'account_id', Customer: 'name', Umsatz: 'arr', Verlängerung: 'renewal_date', Junk: null },
      dateFormat: 'DD.MM.YYYY',
      decimalSeparator: ',',
      constants: { currency: 'EUR' },
    });
    const result = importFiles(db, [{ path, name: 'export.csv' }], { mapping });
    expect(db.prepare('SELECT account_id, arr, currency, renewal_date FROM accounts').all()).toEqual([
      { account_id: 'A1', arr: 1234.5, currency: 'EUR', renewal_date: '2026-12-31' },
    ]);
    expect(result.errors).toEqual([
      {
        file: 'export.csv',
        line: 3,
        field: 'renewal_date',
        message: "line 3, renewal_date: '31.02.2026' is not a date (expected DD.MM.YYYY)",
      },
    ]);
  });
});

describe('the quarantine', () => {
  it('keeps child rows for unknown accounts until the accounts arrive, then a retry lets them in', () => {
    const dir = tempDir();
    const { db } = tempDb();
    const contacts = file(dir, 'contacts.csv', 'contact_id,account_id,name\nc1,acc_1,Ana\nc2,acc_9,Ben\n');
    importFiles(db, [file(dir, 'a.csv', 'account_id,name,arr\nacc_1,Acme,1\n')]);
    const first = importFiles(db, [contacts]);
    expect(first.errors[0]!.message).toBe(
      "line 3, account_id: 'acc_9' is not a known account (import its account first, then re-check the quarantine)",
    );
    importFiles(db, [file(dir, 'more.csv', 'account_id,name,arr\nacc_9,Late,1\n')]);
    const retry = retryQuarantine(db);
    expect(retry).toMatchObject({ resolved: 1, rejected: 0, accepted: { contacts: 1 }, changedAccountIds: ['acc_9'] });
    expect(listQuarantine(db, {}, 0, 10).total).toBe(0);
  });

  it('resolves an entry when a corrected row with the same key arrives in any file', () => {
    const dir = tempDir();
    const { db } = tempDb();
    importFiles(db, [file(dir, 'a.csv', 'account_id,name,arr\nacc_1,Acme,lots\n')]);
    expect(listQuarantine(db, {}, 0, 10).total).toBe(1);
    const fixed = importFiles(db, [file(dir, 'b.csv', 'account_id,name,arr\nacc_1,Acme,100\n')]);
    expect(fixed.resolvedQuarantine).toBe(1);
    expect(listQuarantine(db, {}, 0, 10).total).toBe(0);
  });

  it('exports rejected rows as CSV that can be fixed and imported again', () => {
    const dir = tempDir();
    const { db } = tempDb();
    importFiles(db, [{ path: CRM, name: 'crm-export.csv' }]);
    const { csv, rows: exported } = exportQuarantineCsv(db);
    expect(exported).toBe(3);
    // A BOM and CRLF like every other export, so Excel reads accented names right.
    expect(csv.startsWith('\uFEFFquarantine_id,')).toBe(true);
    expect(csv.split('\n').every((line, i, all) => line.endsWith('\r') || i === all.length - 1)).toBe(true);
    expect(csv.split('\r\n')[0]).toBe(
      '\uFEFFquarantine_id,kind,file,line,field,reason,account_id,name,owner_email,segment,plan,arr,currency,seats_purchased,usage_limit,renewal_date,created_at,lifecycle_stage,status,churned_at,timezone,locale,updated_at,raw',
    );
    const fix = file(dir, 'fix.csv', csv.replace(',31/02/2026,', ',2026-02-28,').replace(',n/a,', ',71000,'));
    const result = importFiles(db, [fix]);
    expect(result).toMatchObject({ accepted: { accounts: 2 }, rejected: 1 });
    expect(listQuarantine(db, {}, 0, 10).rows.map((r) => [r.id, r.field])).toEqual([[3, 'owner_email']]);
    // Importing the same fix file again changes nothing.
    const again = importFiles(db, [fix]);
    expect(again).toMatchObject({ accepted: { accounts: 0 }, unchanged: 2, rejected: 1 });
    expect(listQuarantine(db, {}, 0, 10).rows.map((r) => r.id)).toEqual([3]);
  });

  it('neutralises formulas in the quarantine export and restores them exactly on re-import', () => {
    const dir = tempDir();
    const { db } = tempDb();
    importFiles(db, [
      file(dir, 'a.csv', 'account_id,name,arr\nacc_9,"=HYPERLINK(""http://evil.example"",""Click"")",-5\n'),
    ]);
    const { csv } = exportQuarantineCsv(db);
    const dataLine = csv.split('\r\n')[1]!;
    expect(dataLine).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
    expect(dataLine).toContain(",'-5,");
    expect(dataLine).not.toMatch(/(^|,)[=+\-@]/);
    const fixed = importFiles(db, [file(dir, 'fix.csv', csv.replace(",'-5,", ',500,'))]);
    expect(fixed).toMatchObject({ accepted: { accounts: 1 }, rejected: 0 });
    expect(db.prepare("SELECT name FROM accounts WHERE account_id = 'acc_9'").pluck().get()).toBe(
      '=HYPERLINK("http://evil.example","Click")',
    );
  });

  it('lists with a search and a kind filter', () => {
    const { db } = tempDb();
    importFiles(db, [{ path: CRM, name: 'crm-export.csv' }]);
    expect(listQuarantine(db, { search: 'n/a' }, 0, 10).rows.map((r) => r.field)).toEqual(['arr']);
    expect(listQuarantine(db, { kind: 'contacts' }, 0, 10).total).toBe(0);
    expect(listQuarantine(db, {}, 1, 1)).toMatchObject({
      total: 3,
      offset: 1,
      rows: [{ field: 'arr', values: expect.objectContaining({ arr: 'n/a' }) }],
    });
  });
});
