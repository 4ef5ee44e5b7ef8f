/**
 * A raw event log (one row per product event or session) rolled up into daily metrics per account:
 * `active_users` (distinct users that day), `usage` (events), `logins` (login or session events),
 * `core_feature_uses` (events named in the core-features setting), and per contact `logins`.
 * Days without events, from an account's (or contact's) first activity to the file's last day, are
 * recorded as 0, so the score sees real inactivity instead of "no data".
 *
 * Memory stays bounded by streaming the events into a temporary SQLite table (on disk, in the file's
 * transaction) and letting SQLite group them; the day totals are then read back a page at a time.
 * A metric the file cannot support is not written at all: no login events → no `logins`; no
 * core-features setting → no `core_feature_uses` (a zero would claim inactivity the data never said).
 */
import type { PresetUse } from '../../../shared/dto/sync.ts';
import { addDays } from '../../contract/dates.ts';
import type { Db } from '../../db/open.ts';
import type { RecordWriter, Where } from '../writer.ts';
import type { MatchResult } from './match.ts';

export type RolledUp = NonNullable<PresetUse['rolledUp']>;

const LOGIN = 1;
const CORE = 2;
const INSERT_BATCH = 512;
const PAGE = 4096;
const UNMATCHED_KEYS_LIMIT = 10_000;

export interface RollupSink {
  add(accountId: string, instant: string, user: string, event: string): void;
  unmatched(result: Extract<MatchResult, { accountId: null }>, line: number): void;
  finish(): RolledUp;
}

export function createRollup(
  db: Db,
  writer: RecordWriter,
  where: Where,
  options: { loginEvents: readonly string[]; coreEvents: readonly string[]; rowsAreSessions: boolean },
): RollupSink {
  db.exec(`DROP TABLE IF EXISTS temp.preset_rollup;
    CREATE TEMP TABLE preset_rollup (account TEXT NOT NULL, day TEXT NOT NULL, user TEXT NOT NULL, flags INTEGER NOT NULL)`);
  const insert = db.prepare(
    'INSERT INTO temp.preset_rollup SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?)',
  );
  const logins = new Set(options.loginEvents.map((e) => e.toLowerCase()));
  const core = new Set(options.coreEvents.map((e) => e.toLowerCase()));
  let pending: (string | number)[][] = [];
  let events = 0;
  let sawLogin = false;
  const unmatched = new Map<string, { reason: string; line: number; count: number }>();
  let unmatchedEvents = 0;
  const flush = () => {
    if (pending.length > 0) insert.run(JSON.stringify(pending));
    pending = [];
  };

  return {
    add(accountId, instant, user, event) {
      const name = event.toLowerCase();
      const flags = (options.rowsAreSessions || logins.has(name) ? LOGIN : 0) | (core.has(name) ? CORE : 0);
      if (flags & LOGIN) sawLogin = true;
      pending.push([accountId, instant.slice(0, 10), user, flags]);
      events++;
      if (pending.length === INSERT_BATCH) flush();
    },
    unmatched(result, line) {
      unmatchedEvents++;
      const seen = unmatched.get(result.key);
      if (seen) seen.count++;
      else if (unmatched.size < UNMATCHED_KEYS_LIMIT)
        unmatched.set(result.key, { reason: result.reason, line, count: 1 });
    },
    finish() {
      flush();
      for (const [key, entry] of unmatched) {
        writer.reject(
          'metrics',
          { ...where, line: entry.line },
          'account_id',
          `${entry.reason}; ${entry.count} event${entry.count === 1 ? '' : 's'} of this account from line ${entry.line} on were not rolled up`,
          // Not a record: a re-check keeps the reason; importing the log again after adding the
          // account (or an alias) rolls these events up.
          { rawText: `account ${JSON.stringify(key)}: ${entry.count} events` },
        );
      }
      const result = writeDays(db, writer, { withLogins: sawLogin, withCore: core.size > 0 });
      db.exec('DROP TABLE temp.preset_rollup');
      const notes: string[] = [];
      if (!sawLogin) notes.push('no login or session events in the file, so no logins were recorded');
      if (core.size === 0) notes.push('no core features are set, so core_feature_uses was not recorded');
      return { ...result, events, unmatchedEvents, notes };
    },
  };
}

interface DayRow {
  account: string;
  day: string;
  users: number;
  events: number;
  logins: number;
  core: number;
}

/** Writes every account's days, zeros included, reading SQLite's totals a page at a time. */
function writeDays(
  db: Db,
  writer: RecordWriter,
  options: { withLogins: boolean; withCore: boolean },
): Omit<RolledUp, 'events' | 'unmatchedEvents' | 'notes'> {
  db.exec(`DROP TABLE IF EXISTS temp.preset_rollup_days;
    CREATE TEMP TABLE preset_rollup_days AS
      SELECT account, day, count(DISTINCT user) AS users, count(*) AS events,
             total(flags & 1) AS logins, total((flags >> 1) & 1) AS core
      FROM temp.preset_rollup GROUP BY account, day ORDER BY account, day`);
  const lastDay = db.prepare<[], string | null>('SELECT max(day) FROM temp.preset_rollup_days').pluck().get() ?? null;
  const page = db.prepare<[number], DayRow & { rowid: number }>(
    'SELECT rowid, * FROM temp.preset_rollup_days WHERE rowid > ? ORDER BY rowid LIMIT ' + PAGE,
  );
  const metrics = [
    'active_users',
    'usage',
    ...(options.withLogins ? ['logins'] : []),
    ...(options.withCore ? ['core_feature_uses'] : []),
  ];
  let metricRows = 0;
  let accounts = 0;
  let days = 0;
  let current: string | null = null;
  let nextDay = '';
  const emit = (account: string, day: string, row: DayRow | null) => {
    const values = [row?.users ?? 0, row?.events ?? 0, row?.logins ?? 0, row?.core ?? 0];
    for (let i = 0; i < metrics.length; i++) writer.writeMetric(account, metrics[i]!, '', day, values[i]!);
    metricRows += metrics.length;
    days++;
  };
  const closeAccount = () => {
    if (current === null || lastDay === null) return;
    for (let day = nextDay; day <= lastDay; day = addDays(day, 1)) emit(current, day, null);
  };
  for (let after = 0; ;) {
    const rows = page.all(after);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.account !== current) {
        closeAccount();
        current = row.account;
        nextDay = row.day;
        accounts++;
      }
      for (; nextDay < row.day; nextDay = addDays(nextDay, 1)) emit(row.account, nextDay, null);
      emit(row.account, row.day, row);
      nextDay = addDays(row.day, 1);
    }
    after = rows.at(-1)!.rowid;
  }
  closeAccount();
  db.exec('DROP TABLE temp.preset_rollup_days');
  const contactRows = options.withLogins && lastDay !== null ? writeContactLogins(db, writer, lastDay) : 0;
  return {
    accounts,
    days,
    metricRows,
    contactRows,
    metrics: contactRows > 0 ? [...metrics, 'logins (per contact)'] : metrics,
  };
}

/** Per-contact `logins` for users who are contacts of the account (by contact id or email). */
function writeContactLogins(db: Db, writer: RecordWriter, lastDay: string): number {
  db.exec(`DROP TABLE IF EXISTS temp.preset_rollup_people;
    CREATE TEMP TABLE preset_rollup_people AS
      SELECT r.account, c.contact_id, r.day, total(r.flags & 1) AS logins
      FROM temp.preset_rollup r
      JOIN main.contacts c ON c.account_id = r.account AND (c.contact_id = r.user OR lower(c.email) = lower(r.user))
      GROUP BY r.account, c.contact_id, r.day ORDER BY r.account, c.contact_id, r.day`);
  const page = db.prepare<
    [number],
    { rowid: number; account: string; contact_id: string; day: string; logins: number }
  >('SELECT rowid, * FROM temp.preset_rollup_people WHERE rowid > ? ORDER BY rowid LIMIT ' + PAGE);
  let rows = 0;
  let current = '';
  let account = '';
  let nextDay = '';
  const close = () => {
    if (current === '') return;
    for (let day = nextDay; day <= lastDay; day = addDays(day, 1)) {
      writer.writeMetric(account, 'logins', current, day, 0);
      rows++;
    }
  };
  for (let after = 0; ;) {
    const batch = page.all(after);
    if (batch.length === 0) break;
    for (const row of batch) {
      if (row.contact_id !== current || row.account !== account) {
        close();
        current = row.contact_id;
        account = row.account;
        nextDay = row.day;
      }
      for (; nextDay < row.day; nextDay = addDays(nextDay, 1)) {
        writer.writeMetric(row.account, 'logins', row.contact_id, nextDay, 0);
        rows++;
      }
      writer.writeMetric(row.account, 'logins', row.contact_id, row.day, row.logins);
      rows++;
      nextDay = addDays(row.day, 1);
    }
    after = batch.at(-1)!.rowid;
  }
  close();
  db.exec('DROP TABLE temp.preset_rollup_people');
  return rows;
}
