/**
 * When an import scores, and what it leaves behind (issue 16's defects), through the real import
 * job and its after-data-change rescoring on a real SQLite file: a small demo book written out as
 * the three CSV files of the data contract and imported as a new user would.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import '../../src/app/jobs/risk.ts';
import { afterDataChangeSteps, type AfterDataChangeStep } from '../../src/app/jobs/after-data-change.ts';
import { runImportJob } from '../../src/app/jobs/sync-jobs.ts';
import { closeDatabase, openDatabase, type Db } from '../../src/domain/db/open.ts';
import { ACCOUNT_COLUMNS } from '../../src/domain/db/repos/accounts.ts';
import { EVENT_COLUMNS } from '../../src/domain/db/repos/events.ts';
import { generateDemoBook } from '../../src/domain/demo/index.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { fillBookHistory } from '../../src/domain/risk/history-fill.ts';
import { scoreBook, snapshotStaleness } from '../../src/domain/risk/rescore.ts';
import { tempDb } from '../support/temp.ts';

const AS_OF = '2026-06-30';
const cell = (v: unknown) =>
  v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
const line = (values: readonly unknown[]) => `${values.map(cell).join(',')}\n`;

// One book for the whole file (generating and importing it is most of each test's time).
const dir = mkdtempSync(join(tmpdir(), 'foresight-import-scoring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** accounts.csv, metrics.csv (account-level series) and events.csv of a 60-account demo book. */
function writeBookFiles() {
  const accountColumns = ACCOUNT_COLUMNS.filter((c) => c !== 'is_demo');
  const metricColumns = ['account_id', 'date', 'metric', 'value'];
  const eventColumns = EVENT_COLUMNS.filter((c) => c !== 'contact_id');
  let accounts = line(accountColumns);
  let metrics = line(metricColumns);
  let events = line(eventColumns);
  for (const bundle of generateDemoBook({ accounts: 60, seed: 7, asOf: AS_OF, days: 100 })) {
    const account = bundle.account as unknown as Record<string, unknown>;
    accounts += line(accountColumns.map((c) => account[c]));
    for (const m of bundle.metrics)
      if (!m.contact_id) metrics += line(metricColumns.map((c) => (m as unknown as Record<string, unknown>)[c]));
    for (const e of bundle.events)
      events += line(eventColumns.map((c) => (e as unknown as Record<string, unknown>)[c]));
  }
  const path = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  return {
    accounts: path('accounts.csv', accounts),
    metrics: path('metrics.csv', metrics),
    events: path('events.csv', events),
  };
}

let shared: { files: ReturnType<typeof writeBookFiles>; together: string } | null = null;

/** The files, and a database with all three imported in one call (open a copy with `togetherCopy`). */
function book() {
  if (!shared) {
    const files = writeBookFiles();
    const together = join(dir, 'together.db');
    const { db } = openDatabase(together, { create: true });
    importJob(db, [files.accounts, files.metrics, files.events]);
    closeDatabase(db);
    shared = { files, together };
  }
  return shared;
}

const copies: Db[] = [];
afterEach(() => copies.splice(0).forEach((db) => db.open && db.close()));

function togetherCopy(): Db {
  const { path, db } = tempDb();
  closeDatabase(db);
  copyFileSync(book().together, path);
  const copy = openDatabase(path).db;
  copies.push(copy);
  return copy;
}

function importJob(db: Db, files: string[]) {
  return runImportJob(
    db,
    {
      files: files.map((path) => ({ path, name: path })),
      kind: null,
      mapping: null,
      asOf: AS_OF,
      startedAt: `${AS_OF}T12:00:00.000Z`,
    },
    () => {},
  );
}

/** The history window filled after the ranked list, as the app's background job does (history-fill.ts). */
const filled = async (db: Db, asOf = AS_OF) => {
  await fillBookHistory(db, { asOf });
  return db;
};

const history = (db: Db) =>
  db
    .prepare<[], { account_id: string; as_of: string; score: number | null }>(
      'SELECT account_id, as_of, score FROM risk_scores ORDER BY account_id, as_of',
    )
    .all();
const items = (db: Db) =>
  db
    .prepare<[], { account_id: string; trigger_id: string; status: string }>(
      'SELECT account_id, trigger_id, status FROM risk_items ORDER BY account_id, trigger_id',
    )
    .all();

describe('importing the contract files one at a time', () => {
  it('scores the history once the metrics arrive, as an import of all three files at once does', async () => {
    const { files } = book();
    const together = await filled(togetherCopy());
    const scored = history(together).filter((row) => row.score !== null).length;
    // Most of the 60 accounts' 30 days of history (historyDays) hold a score.
    expect(scored).toBeGreaterThan(60 * 25);

    const apart = tempDb().db;
    for (const file of [files.accounts, files.metrics, files.events]) importJob(apart, [file]);
    await filled(apart);
    expect(history(apart).filter((row) => row.score !== null).length).toBe(scored);
    expect(history(apart)).toEqual(history(together));
  });

  it('opens no risk item that the next file resolves again', () => {
    const { files } = book();
    const db = tempDb().db;
    importJob(db, [files.accounts]);
    expect(items(db)).toEqual([]);
    // Accounts alone: nothing to score yet, so no scoring run at all (the first list scores).
    expect(db.prepare('SELECT count(*) FROM risk_runs').pluck().get()).toBe(0);
    importJob(db, [files.metrics]);
    const afterMetrics = items(db);
    importJob(db, [files.events]);
    expect(items(db).filter((item) => item.status === 'resolved')).toEqual([]);
    // What the metrics opened is still open, and the events only add to it.
    const open = new Set(items(db).map((item) => `${item.account_id}/${item.trigger_id}`));
    for (const item of afterMetrics) expect(open.has(`${item.account_id}/${item.trigger_id}`)).toBe(true);

    const together = togetherCopy();
    expect(items(db).map((i) => [i.account_id, i.trigger_id])).toEqual(
      items(together).map((i) => [i.account_id, i.trigger_id]),
    );
  });
});

describe('re-importing files that change nothing', () => {
  it('leaves the day scored, so the next list needs no rescoring', () => {
    const { files } = book();
    const db = togetherCopy();
    expect(snapshotStaleness(db, AS_OF)).toBe('current');
    const again = importJob(db, [files.accounts, files.metrics, files.events]);
    expect(again.unchanged).toBeGreaterThan(0);
    expect(snapshotStaleness(db, AS_OF)).toBe('current');
  });
});

describe('an import whose rescore never finished (a process killed after the commit)', () => {
  const runs = (db: Db) =>
    db.prepare<[], string>("SELECT scope FROM risk_runs WHERE scope <> 'history' ORDER BY rowid").pluck().all();
  const payments = () => {
    const file = join(dir, 'payments.csv');
    writeFileSync(
      file,
      'event_id,account_id,occurred_at,type\n' +
        ['acc_00003', 'acc_00004', 'acc_00005']
          .flatMap((id) => [1, 2, 3].map((n) => `qa-${id}-${n},${id},2026-06-2${n + 5}T10:00:00Z,payment_failed`))
          .join('\n') +
        '\n',
    );
    return file;
  };

  it('leaves the day out of date, and the next import that changes nothing scores the whole book', () => {
    const db = togetherCopy();
    expect(snapshotStaleness(db, AS_OF)).toBe('current');
    // The rows committed, the rescore after them never ran.
    expect(importFiles(db, [payments()]).accepted.events).toBe(9);
    expect(snapshotStaleness(db, AS_OF)).toBe('book_changed');

    const before = runs(db).length;
    const again = importJob(db, [payments()]);
    expect(again.accepted.events).toBe(0);
    expect(runs(db).slice(before)).toEqual(['full']);
    expect(snapshotStaleness(db, AS_OF)).toBe('current');

    const scratch = togetherCopy();
    importFiles(scratch, [payments()]);
    scoreBook(scratch, { asOf: AS_OF });
    const day = (d: Db) =>
      d.prepare('SELECT account_id, score, band, at_risk FROM risk_snapshots WHERE as_of = ? ORDER BY 1').all(AS_OF);
    expect(day(db)).toEqual(day(scratch));
  });

  it('rescores only the changed accounts after a normal import, and leaves the day current', () => {
    const db = togetherCopy();
    const before = runs(db).length;
    importJob(db, [payments()]);
    expect(runs(db).slice(before)).toEqual(['accounts']);
    expect(snapshotStaleness(db, AS_OF)).toBe('current');
  });
});

describe('an import whose rescore fails after the rows are stored', () => {
  it('reports the files it stored and the rescore as failed, and the next list or import scores it', () => {
    const db = togetherCopy();
    const file = join(dir, 'late-payments.csv');
    writeFileSync(file, 'event_id,account_id,occurred_at,type\nlp1,acc_00007,2026-06-28T10:00:00Z,payment_failed\n');
    const busy: AfterDataChangeStep = {
      name: 'busy',
      run: () => {
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      },
    };
    afterDataChangeSteps.unshift(busy);
    let result: ReturnType<typeof importJob>;
    try {
      result = importJob(db, [file]);
    } finally {
      afterDataChangeSteps.splice(afterDataChangeSteps.indexOf(busy), 1);
    }
    expect(result.files.map((f) => [f.status, f.accepted])).toEqual([['ok', 1]]);
    expect(result.rankingFailed).toMatch(/^another program .* was writing to the book/);
    expect(snapshotStaleness(db, AS_OF)).toBe('book_changed');
    importJob(db, [file]);
    expect(snapshotStaleness(db, AS_OF)).toBe('current');
  });
});

describe('a later day', () => {
  it('scores only the history days missing since, exactly as a book scored from scratch on that day', async () => {
    const later = '2026-07-03';
    const db = await filled(togetherCopy());
    const run = scoreBook(db, { asOf: later });
    // 07-01 and 07-02 for each account with data (06-30 is the earlier run's as-of day): the days
    // right after each account's stored history, inside the window the day's run reads anyway.
    expect(run.historyRows).toBeLessThanOrEqual(2 * 60);
    expect(run.historyRows).toBeGreaterThan(0);
    // Nothing else was missing, so the fill after it has nothing to do.
    expect((await fillBookHistory(db, { asOf: later })).rows).toBe(0);

    const scratch = togetherCopy();
    scratch.exec('DELETE FROM risk_scores; DELETE FROM risk_history_coverage');
    scoreBook(scratch, { asOf: later });
    await filled(scratch, later);
    // The 30 days of history kept as of the later day (historyDays); older rows stay from the earlier run.
    const window = (d: Db) => history(d).filter((row) => row.as_of >= '2026-06-04' && row.as_of <= later);
    expect(window(db)).toEqual(window(scratch));
  });
});

describe('a small import into a scored book', () => {
  it('names the first day its rows date, and rescores the changed accounts from that day on', async () => {
    const db = await filled(togetherCopy());
    const events = join(dir, 'touches.csv');
    writeFileSync(
      events,
      'event_id,account_id,occurred_at,type\nt1,acc_00002,2026-06-25T10:00:00Z,csm_touch\nt2,acc_00002,2026-06-20T10:00:00Z,csm_touch\n',
    );
    expect(importFiles(tempDb().db, [book().files.accounts, events]).changedSince).toBeNull();
    const before = db.prepare("SELECT * FROM risk_history_coverage WHERE account_id = 'acc_00002'").get();
    const result = importJob(db, [events]);
    expect(result.accepted.events).toBe(2);
    expect(importFiles(db, [events]).changedSince).toBeNull();
    // The coverage was cut at 06-20, before the rescore's own window (the 7 days of its trend): the
    // days from 06-20 are filled after the ranked list, here as the app's background job does.
    const coverage = () => db.prepare("SELECT * FROM risk_history_coverage WHERE account_id = 'acc_00002'").get();
    expect(coverage()).toEqual({ ...(before as object), through_day: '2026-06-19' });
    await filled(db);
    expect(coverage()).toEqual({ ...(before as object), through_day: '2026-06-29' });

    const scratch = togetherCopy();
    importFiles(scratch, [events]);
    scratch.exec('DELETE FROM risk_scores; DELETE FROM risk_history_coverage');
    scoreBook(scratch, { asOf: AS_OF });
    await filled(scratch);
    const of = (d: Db) => history(d).filter((row) => row.account_id === 'acc_00002');
    expect(of(db)).toEqual(of(scratch));
  });

  it('reports the first day of the rows it wrote', () => {
    const { db } = tempDb();
    const accounts = join(dir, 'two-accounts.csv');
    const metrics = join(dir, 'two-metrics.csv');
    writeFileSync(accounts, 'account_id,name,arr\nacc_a,A,1000\nacc_b,B,2000\n');
    writeFileSync(
      metrics,
      'account_id,date,metric,value\nacc_a,2026-06-12,active_users,3\nacc_b,2026-06-09,active_users,4\n',
    );
    expect(importFiles(db, [accounts]).changedSince).toBeNull();
    expect(importFiles(db, [metrics]).changedSince).toBe('2026-06-09');
    // A bound by batches of rows: a batch that wrote anything counts from its first day.
    writeFileSync(
      metrics,
      'account_id,date,metric,value\nacc_a,2026-06-12,active_users,5\nacc_b,2026-06-15,active_users,4\n',
    );
    expect(importFiles(db, [metrics]).changedSince).toBe('2026-06-12');
  });
});
