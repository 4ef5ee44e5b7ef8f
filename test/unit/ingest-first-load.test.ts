// A first load of events inserts plainly and builds the event id index after the rows
// (src/domain/ingest/event-key.ts). The book must end as the upsert leaves it, row for row and
// count for count, repeated ids included, and the index must come back, also when the load fails.
// A first load of metrics keeps the book's first metric day (src/domain/ingest/first-load.ts).
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { setAsideEventKey } from '../../src/domain/ingest/event-key.ts';
import { importFiles, type ImportSummary } from '../../src/domain/ingest/import-files.ts';
import { FIRST_METRIC_DAY_KEY, firstMetricDay } from '../../src/domain/risk/series-cache-hooks.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const now = () => new Date('2026-06-30T12:00:00Z');
const ACCOUNTS = `account_id,name,arr\n${Array.from({ length: 40 }, (_, i) => `acc_${i},Company ${i},${100 + i}`).join('\n')}\nacc_seed,Seed,1\n`;

const eventLine = (id: string, account: string, day: number, type: string, value: string, detail: string) =>
  `${id},${account},2026-06-${String(day).padStart(2, '0')}T10:00:00Z,${type},${value},${detail}`;

/** 700 events (three batches of the writer), with ids repeated within a batch and across batches. */
function eventsFile(repeats: 'identical' | 'changed'): string {
  const lines = Array.from({ length: 700 }, (_, i) =>
    eventLine(`ev_${i}`, `acc_${i % 40}`, 1 + (i % 28), i % 2 ? 'ticket_opened' : 'csm_touch', String(i % 5), `d${i}`),
  );
  // The same row again (an export that repeats itself), inside one batch and in a later one.
  lines.splice(10, 0, lines[3]!);
  lines.push(lines[5]!, lines[300]!);
  if (repeats === 'changed') {
    // A corrected row (the later values win), one changed and changed back (A, B, A), one whose
    // correction is a churn (the account's lifecycle follows it), and a repeat moved to another account.
    lines.push(eventLine('ev_7', 'acc_7', 8, 'ticket_opened', '4', 'corrected'));
    lines.push(eventLine('ev_20', 'acc_20', 21, 'csm_touch', '9', 'b'), lines[21]!);
    lines.push(eventLine('ev_33', 'acc_33', 29, 'churned', '', 'left'));
    lines.push(eventLine('ev_100', 'acc_1', 2, 'csm_touch', '0', 'moved'));
    // A control character makes its batch bound value by value instead of read from JSON (repo.ts).
    lines.push(eventLine('ev_900', 'acc_9', 3, 'csm_touch', '1', 'bell\u0007'));
  }
  return `event_id,account_id,occurred_at,type,value,detail\n${lines.join('\n')}\n`;
}

interface Book {
  db: Db;
  result: ImportSummary;
}

/** Accounts, then events: into an empty events table (`firstLoad`) or one that already holds the seed's event. */
function load(events: string, firstLoad: boolean): Book {
  const { db } = tempDb();
  const dir = tempDir();
  writeFileSync(join(dir, 'accounts.csv'), ACCOUNTS);
  writeFileSync(join(dir, 'events.csv'), events);
  importFiles(db, [join(dir, 'accounts.csv')], { now });
  if (!firstLoad)
    db.prepare(
      "INSERT INTO events (event_id, account_id, occurred_at, type) VALUES ('ev_seed', 'acc_seed', '2026-06-01T00:00:00Z', 'csm_touch')",
    ).run();
  const result = importFiles(db, [join(dir, 'events.csv')], { now, parseInWorker: false });
  return { db, result };
}

const rowsInOrder = (db: Db) =>
  db
    .prepare(
      "SELECT event_id, account_id, occurred_at, type, value, contact_id, detail FROM events WHERE event_id <> 'ev_seed' ORDER BY rowid",
    )
    .all();
const lifecycle = (db: Db) => db.prepare('SELECT account_id, status, churned_at FROM accounts ORDER BY 1').all();
const counts = (r: ImportSummary) => ({
  accepted: r.accepted,
  unchanged: r.unchanged,
  rejected: r.rejected,
  changed: [...(r.changedAccountIds ?? [])].sort(),
  since: r.changedSince,
  files: r.files.map((f) => ({ accepted: f.accepted, unchanged: f.unchanged, status: f.status })),
});
const fingerprints = (db: Db) =>
  db
    .prepare<[], string>('SELECT name FROM import_fingerprints ORDER BY 1')
    .pluck()
    .all()
    .map((name) => basename(name));

describe('a first load of events', () => {
  it('ends as the upsert does when a file repeats rows: same rows in the same order, repeats counted unchanged', () => {
    const file = eventsFile('identical');
    const first = load(file, true);
    const upsert = load(file, false);
    expect(rowsInOrder(first.db)).toEqual(rowsInOrder(upsert.db));
    expect(counts(first.result)).toEqual(counts(upsert.result));
    expect(first.result.accepted.events).toBe(700);
    expect(first.result.unchanged).toBe(3);
    // Only the first load held the repeats as rows for a moment: rows after the one in the middle skip its id.
    const span = first.db.prepare('SELECT max(rowid) - count(*) FROM events').pluck().get();
    expect(span).toBe(1);
    // Nothing was changed by a repeat, so the accounts file is still remembered, as the upsert leaves it.
    expect(fingerprints(first.db)).toEqual(fingerprints(upsert.db));
    expect(fingerprints(first.db)).toEqual(['accounts.csv', 'events.csv']);
  });

  it('ends as the upsert does when repeats change their row: the first row takes the last values, lifecycle included', () => {
    const file = eventsFile('changed');
    const first = load(file, true);
    const upsert = load(file, false);
    expect(rowsInOrder(first.db)).toEqual(rowsInOrder(upsert.db));
    expect(counts(first.result)).toEqual(counts(upsert.result));
    expect(lifecycle(first.db)).toEqual(lifecycle(upsert.db));
    expect(first.db.prepare("SELECT status, churned_at FROM accounts WHERE account_id = 'acc_33'").get()).toEqual({
      status: 'churned',
      churned_at: '2026-06-29',
    });
    expect(first.db.prepare("SELECT account_id, detail FROM events WHERE event_id = 'ev_100'").get()).toEqual({
      account_id: 'acc_1',
      detail: 'moved',
    });
    expect(first.db.prepare("SELECT detail FROM events WHERE event_id = 'ev_900'").pluck().get()).toBe('bell\u0007');
    expect(fingerprints(first.db)).toEqual(fingerprints(upsert.db));
  });

  it('builds the unique index again, so a later import upserts on it', () => {
    const { db } = load(eventsFile('identical'), true);
    const index = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'events_event_id'").pluck().get();
    expect(index).toBe('CREATE UNIQUE INDEX events_event_id ON events (event_id)');
    const dir = tempDir();
    writeFileSync(
      join(dir, 'more.csv'),
      `event_id,account_id,occurred_at,type,value,detail\n${eventLine('ev_1', 'acc_1', 2, 'ticket_opened', '9', 'again')}\n`,
    );
    const again = importFiles(db, [join(dir, 'more.csv')], { now });
    expect(again.accepted.events).toBe(1);
    expect(db.prepare("SELECT count(*), max(value) FROM events WHERE event_id = 'ev_1'").raw().get()).toEqual([1, 9]);
  });

  it('leaves the index in place when the load fails, and sets nothing aside once the table has rows', () => {
    const { db } = tempDb();
    const index = () => db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'events_event_id'").pluck().get();
    const before = index();
    expect(() =>
      db.transaction(() => {
        expect(setAsideEventKey(db)).not.toBeNull();
        expect(index()).toBeUndefined();
        throw new Error('crash mid-load');
      })(),
    ).toThrow('crash mid-load');
    expect(index()).toBe(before);
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 1)").run();
    db.prepare(
      "INSERT INTO events (event_id, account_id, occurred_at, type) VALUES ('e1', 'acc_1', '2026-06-01T00:00:00Z', 'csm_touch')",
    ).run();
    expect(db.transaction(() => setAsideEventKey(db))()).toBeNull();
    expect(index()).toBe(before);
  });
});

describe('a first load of metrics', () => {
  const kept = (db: Db) =>
    db.prepare<[string], string>('SELECT value FROM app_meta WHERE key = ?').pluck().get(FIRST_METRIC_DAY_KEY);
  const metrics = (rows: string[]) => `account_id,date,metric,value\n${rows.join('\n')}\n`;

  it('keeps the first day written, which a scan of the table finds too, and later files only lower it', () => {
    const { db } = tempDb();
    const dir = tempDir();
    writeFileSync(join(dir, 'accounts.csv'), ACCOUNTS);
    // The earliest day is neither the file's first row nor its first account's; one row is rejected.
    writeFileSync(
      join(dir, 'metrics.csv'),
      metrics(['acc_1,2026-05-10,logins,1', 'acc_2,2026-05-03,logins,2', 'acc_404,2026-04-01,logins,3']),
    );
    importFiles(db, [join(dir, 'accounts.csv'), join(dir, 'metrics.csv')], { now });
    expect(kept(db)).toBe('2026-05-03');
    expect(db.prepare('SELECT min(date) FROM metrics').pluck().get()).toBe('2026-05-03');
    writeFileSync(join(dir, 'later.csv'), metrics(['acc_1,2026-06-10,logins,1']));
    importFiles(db, [join(dir, 'later.csv')], { now });
    expect(firstMetricDay(db)).toBe('2026-05-03');
    writeFileSync(join(dir, 'earlier.csv'), metrics(['acc_3,2026-02-01,logins,1']));
    importFiles(db, [join(dir, 'earlier.csv')], { now });
    expect(kept(db)).toBe('2026-02-01');
  });

  it('keeps nothing when no row was written', () => {
    const { db } = tempDb();
    const dir = tempDir();
    writeFileSync(join(dir, 'metrics.csv'), metrics(['acc_1,2026-05-10,logins,1']));
    expect(importFiles(db, [join(dir, 'metrics.csv')], { now }).rejected).toBe(1);
    expect(kept(db)).toBeUndefined();
    expect(firstMetricDay(db)).toBeNull();
  });
});
