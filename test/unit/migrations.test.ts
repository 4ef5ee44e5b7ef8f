import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/domain/db/migrate.ts';
import { migrations, LATEST_SCHEMA_VERSION } from '../../src/domain/db/migrations/index.ts';
import { configureConnection, openDatabase, PAGE_SIZE } from '../../src/domain/db/open.ts';
import { tempDir } from '../support/temp.ts';

function rawDb() {
  const db = new Database(join(tempDir(), 'raw.db'));
  configureConnection(db);
  return db;
}

const tables = (db: Database.Database) =>
  db
    .prepare<[], { name: string; strict: number }>(
      "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
    )
    .all();

describe('migration 1: initial data contract', () => {
  it('creates the four record kinds and app_meta as STRICT tables', () => {
    const db = rawDb();
    migrate(db, migrations.slice(0, 1));
    expect(schemaVersion(db)).toBe(1);
    const created = tables(db);
    expect(created.map((t) => t.name).sort()).toEqual(['accounts', 'app_meta', 'contacts', 'events', 'metrics']);
    expect(created.every((t) => t.strict === 1)).toBe(true);
  });

  it('enforces the contract in the schema itself: negative ARR and unknown status are refused', () => {
    const db = rawDb();
    migrate(db, migrations.slice(0, 1));
    const insert = db.prepare("INSERT INTO accounts (account_id, name, arr, status) VALUES (?, 'X', ?, ?)");
    expect(() => insert.run('a', -1, 'active')).toThrow(/CHECK/);
    expect(() => insert.run('b', 10, 'paused')).toThrow(/CHECK/);
    expect(() => insert.run('c', 'lots', 'active')).toThrow(/cannot store TEXT value in REAL column/);
  });
});

describe('migration 2: risk items and interventions', () => {
  it('keeps existing rows and adds the shared tables', () => {
    const db = rawDb();
    migrate(db, migrations.slice(0, 1));
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    migrate(db, migrations.slice(0, 2));
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT name FROM accounts').pluck().all()).toEqual(['Acme']);
    expect(tables(db).map((t) => t.name)).toEqual(
      expect.arrayContaining(['risk_items', 'risk_item_status_log', 'interventions']),
    );
  });

  it('allows only one live risk item per account and trigger', () => {
    const db = rawDb();
    migrate(db, migrations.slice(0, 2));
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    const insert = db.prepare(
      `INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, first_fired_on, last_fired_on, status_changed_at, created_at, updated_at)
       VALUES ('acc_1', 'payment_failing', ?, 1, 'human', 'e', '2026-01-01', '2026-01-01', 't', 't', 't')`,
    );
    insert.run('resolved');
    insert.run('open');
    expect(() => insert.run('in_progress')).toThrow(/UNIQUE/);
  });
});

describe('migration 4: risk scores', () => {
  const upTo = (version: number) => migrations.filter((m) => m.version <= version);

  it('keeps risk items and adds the score tables', () => {
    const db = rawDb();
    migrate(db, upTo(2));
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    db.prepare(
      `INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, first_fired_on, last_fired_on, status_changed_at, created_at, updated_at)
       VALUES ('acc_1', 'detractor', 'dismissed', 2, 'human', 'e', '2026-01-01', '2026-01-01', 't', 't', 't')`,
    ).run();
    migrate(db, upTo(4));
    expect(schemaVersion(db)).toBe(4);
    expect(tables(db).map((t) => t.name)).toEqual(
      expect.arrayContaining(['risk_config', 'risk_scores', 'risk_snapshots', 'risk_runs', 'risk_calibration']),
    );
    expect(
      tables(db)
        .filter((t) => t.name.startsWith('risk_'))
        .every((t) => t.strict === 1),
    ).toBe(true);
    // An item dismissed before the upgrade keeps holding back its trigger until the condition clears.
    expect(db.prepare('SELECT condition_cleared_on FROM risk_items').get()).toEqual({ condition_cleared_on: null });
  });

  it('refuses a score outside 0–100 and an unknown band', () => {
    const db = rawDb();
    migrate(db, upTo(4));
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    const insert = db.prepare(
      "INSERT INTO risk_scores (account_id, as_of, score, band, config_version) VALUES ('acc_1', ?, ?, ?, 0)",
    );
    insert.run('2026-01-01', 55, 'yellow');
    expect(() => insert.run('2026-01-02', 101, 'green')).toThrow(/CHECK/);
    expect(() => insert.run('2026-01-03', 50, 'amber')).toThrow(/CHECK/);
    db.prepare("DELETE FROM accounts WHERE account_id = 'acc_1'").run();
    expect(db.prepare('SELECT count(*) FROM risk_scores').pluck().get()).toBe(0);
  });
});

describe('migration 9: churn models', () => {
  it('adds the STRICT risk_models table, refusing an unknown method, and keeps what was there', () => {
    const db = rawDb();
    const before = migrations.filter((m) => m.version < 9);
    migrate(db, before);
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 9),
    );
    expect(schemaVersion(db)).toBe(9);
    expect(tables(db).find((t) => t.name === 'risk_models')?.strict).toBe(1);
    expect(db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(1);
    const insert = db.prepare(
      "INSERT INTO risk_models (as_of, signature, method, model_json, report_json, config_version, created_at) VALUES ('2026-03-31', 's', ?, '{}', '{}', 1, 't')",
    );
    insert.run('learned');
    insert.run('default');
    expect(() => insert.run('logistic')).toThrow(/CHECK/);
  });
});

describe('migration 11: outcome measures and contact phone', () => {
  it('keeps contacts and interventions and adds phone, reply, fatigue override and merged-row flags', () => {
    const db = rawDb();
    const before = migrations.filter((m) => m.version < 11);
    migrate(db, before);
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    db.prepare("INSERT INTO contacts (contact_id, account_id, email) VALUES ('c_1', 'acc_1', 'a@example.com')").run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 11),
    );
    expect(db.prepare('SELECT contact_id, email, phone FROM contacts').get()).toEqual({
      contact_id: 'c_1',
      email: 'a@example.com',
      phone: null,
    });
    const columns = (table: string) =>
      db.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck().all(table);
    expect(columns('interventions')).toEqual(expect.arrayContaining(['replied_at', 'fatigue_override']));
    expect(columns('imported_outcomes')).toEqual(expect.arrayContaining(['manual', 'replied']));
    expect(() =>
      db
        .prepare(
          `INSERT INTO interventions (intervention_id, account_id, trigger_id, channel, status, fatigue_override, created_at, updated_at)
           VALUES ('i', 'acc_1', 'detractor', 'email', 'sent', 2, 't', 't')`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});

/**
 * A column added to imported_outcomes: merged rows from before keep null (not known), a good value
 * is taken and a bad one refused by its CHECK.
 */
function checkImportedColumn(version: number, column: string, good: string, bad: string): void {
  const db = rawDb();
  migrate(
    db,
    migrations.filter((m) => m.version < version),
  );
  const insert = (id: string, extra = '', value = '') =>
    db
      .prepare(
        `INSERT INTO imported_outcomes (record_id, cohort, account_id, trigger_id, status, start_on, source_file, imported_at${extra})
         VALUES ('${id}', 'treated', 'acc_1', 'detractor', 'sent', '2026-01-01', 'a.csv', 't'${value})`,
      )
      .run();
  insert('old');
  migrate(db, migrations);
  expect(db.prepare(`SELECT record_id, ${column} FROM imported_outcomes`).all()).toEqual([
    { record_id: 'old', [column]: null },
  ]);
  insert('new', `, ${column}`, `, ${good}`);
  expect(() => insert('bad', `, ${column}`, `, ${bad}`)).toThrow(/CHECK/);
}

describe('migration 16: imported fatigue override', () => {
  it('keeps merged rows (their override unknown) and refuses a value other than 0 or 1', () => {
    checkImportedColumn(16, 'fatigue_override', '1', '2');
  });
});

describe('migration 14: activities, saved views and the mail queue', () => {
  const upTo = (version: number) => migrations.filter((m) => m.version <= version);

  it('adds STRICT tables that keep existing accounts and refuse bad rows', () => {
    const db = rawDb();
    migrate(db, upTo(7));
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    migrate(db, upTo(14));
    expect(schemaVersion(db)).toBe(14);
    const created = tables(db).filter((t) => ['activities', 'saved_views', 'mail_queue'].includes(t.name));
    expect(created.map((t) => t.name).sort()).toEqual(['activities', 'mail_queue', 'saved_views']);
    expect(created.every((t) => t.strict === 1)).toBe(true);
    const insert = db.prepare(
      "INSERT INTO activities (activity_id, account_id, type, occurred_at, summary, created_at) VALUES (?, 'acc_1', ?, 't', ?, 't')",
    );
    insert.run('a1', 'call', 'Talked');
    expect(() => insert.run('a2', 'lunch', 'Ate')).toThrow(/CHECK/);
    expect(() => insert.run('a3', 'note', '')).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO saved_views VALUES ('inbox', 'x', '', 't', 't')").run()).toThrow(/CHECK/);
    db.prepare("DELETE FROM accounts WHERE account_id = 'acc_1'").run();
    expect(db.prepare('SELECT count(*) FROM activities').pluck().get()).toBe(0);
  });
});

describe('migration 18: playbook tasks', () => {
  const upTo = (version: number) => migrations.filter((m) => m.version <= version);

  it('adds a STRICT task table tied to its risk item, one row per step, refusing a bad tier', () => {
    const db = rawDb();
    migrate(db, upTo(14));
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    db.prepare(
      `INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, first_fired_on, last_fired_on, status_changed_at, created_at, updated_at)
       VALUES ('acc_1', 'usage_drop', 'open', 2, 'human', 'e', '2026-03-01', '2026-03-01', 't', 't', 't')`,
    ).run();
    migrate(db, upTo(18));
    expect(schemaVersion(db)).toBe(18);
    expect(tables(db).find((t) => t.name === 'playbook_tasks')?.strict).toBe(1);
    const insert = db.prepare(
      "INSERT INTO playbook_tasks (item_id, step_no, tier, title, owner, due_on, created_at) VALUES (?, ?, ?, 'Call', 'csm', '2026-03-02', 't')",
    );
    insert.run(1, 1, 3);
    expect(() => insert.run(1, 1, 3)).toThrow(/UNIQUE/);
    expect(() => insert.run(1, 2, 4)).toThrow(/CHECK/);
    expect(() => insert.run(99, 1, 3)).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM risk_items').run();
    expect(db.prepare('SELECT count(*) FROM playbook_tasks').pluck().get()).toBe(0);
  });
});

describe('migration 19: account notes and success-plan goals', () => {
  const upTo = (version: number) => migrations.filter((m) => m.version <= version);

  it('adds STRICT tables that keep existing accounts, refuse bad rows and follow account deletion', () => {
    const db = rawDb();
    migrate(db, upTo(14));
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    migrate(db, upTo(19));
    expect(schemaVersion(db)).toBe(19);
    const created = tables(db).filter((t) => ['account_notes', 'account_goals'].includes(t.name));
    expect(created.map((t) => t.name).sort()).toEqual(['account_goals', 'account_notes']);
    expect(created.every((t) => t.strict === 1)).toBe(true);
    const note = db.prepare(
      "INSERT INTO account_notes (account_id, noted_on, text, created_at, updated_at) VALUES ('acc_1', ?, ?, 't', 't')",
    );
    note.run('2026-03-01', 'Budget in September');
    expect(() => note.run('March 1', 'x')).toThrow(/CHECK/);
    expect(() => note.run('2026-03-01', '')).toThrow(/CHECK/);
    const goal = db.prepare(
      "INSERT INTO account_goals (account_id, title, due_on, status, created_at, updated_at) VALUES ('acc_1', 'QBR', '2026-04-01', ?, 't', 't')",
    );
    goal.run('on_track');
    expect(() => goal.run('finished')).toThrow(/CHECK/);
    db.prepare("DELETE FROM accounts WHERE account_id = 'acc_1'").run();
    expect(
      db.prepare('SELECT (SELECT count(*) FROM account_notes) + (SELECT count(*) FROM account_goals)').pluck().get(),
    ).toBe(0);
  });
});

describe('migration 13: account aliases and lifecycle events', () => {
  const upTo = (version: number) => migrations.filter((m) => m.version <= version);

  it('keeps existing accounts and events, adds a STRICT alias table that refuses an unknown rule and follows account deletion', () => {
    const db = rawDb();
    migrate(db, upTo(12));
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    db.prepare(
      "INSERT INTO events (event_id, account_id, occurred_at, type) VALUES ('e1', 'acc_1', '2026-01-01T00:00:00.000Z', 'churned')",
    ).run();
    migrate(db, upTo(13));
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(13);
    expect(tables(db).find((t) => t.name === 'account_aliases')?.strict).toBe(1);
    // Rows from before the migration are left as they were (the triggers act on later writes).
    expect(db.prepare('SELECT status FROM accounts').get()).toEqual({ status: 'active' });
    const alias = db.prepare(
      "INSERT INTO account_aliases (source, alias, account_id, rule, created_at) VALUES ('stripe', ?, 'acc_1', ?, 't')",
    );
    alias.run('cus_1', 'domain');
    expect(() => alias.run('cus_2', 'guess')).toThrow(/CHECK/);
    db.prepare(
      "INSERT INTO events (event_id, account_id, occurred_at, type) VALUES ('e2', 'acc_1', '2026-02-03T10:00:00.000Z', 'churned')",
    ).run();
    expect(db.prepare('SELECT status, churned_at FROM accounts').get()).toEqual({
      status: 'churned',
      churned_at: '2026-02-03',
    });
    db.prepare("DELETE FROM accounts WHERE account_id = 'acc_1'").run();
    expect(db.prepare('SELECT count(*) FROM account_aliases').pluck().get()).toBe(0);
  });
});

describe('the migrator', () => {
  it('records each version in user_version and stops at the latest', () => {
    const db = rawDb();
    const report = migrate(db, migrations);
    expect(report).toMatchObject({ from: 0, to: LATEST_SCHEMA_VERSION, backupPath: null });
    expect(migrate(db, migrations)).toMatchObject({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
  });

  it('rolls a failing migration back completely and keeps the previous version', () => {
    const db = rawDb();
    migrate(db, migrations.slice(0, 1));
    const broken = {
      version: 2,
      name: 'broken',
      up: (d: Database.Database) => d.exec('CREATE TABLE half_done (x INTEGER) STRICT; SELECT * FROM no_such_table;'),
    };
    expect(() => migrate(db, [migrations[0]!, broken])).toThrow(/no_such_table/);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db).map((t) => t.name)).not.toContain('half_done');
  });

  it('backs up a database that holds data before migrating it', () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'old.db'));
    configureConnection(db);
    migrate(db, migrations.slice(0, 1));
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    const backup = join(dir, 'backup.db');
    const report = migrate(db, migrations, { backupPath: () => backup });
    expect(report.backupPath).toBe(backup);
    const copy = new Database(backup, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    expect(copy.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(1);
  });

  it('refuses a database written by a newer app with one sentence', () => {
    const path = join(tempDir(), 'future.db');
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => openDatabase(path)).toThrow(
      /^This database was written by a newer version of Foresight \(schema \d+; this app understands up to \d+\), so it was not opened; update Foresight to use it\.$/,
    );
  });
});

describe('opening a database', () => {
  it('sets WAL, foreign keys, NORMAL sync and a busy timeout', () => {
    const { db } = openDatabase(join(tempDir(), 'f.db'), { create: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('creates new databases with 16 KiB pages and keeps the page size of an existing one', () => {
    const fresh = openDatabase(join(tempDir(), 'new.db'), { create: true }).db;
    expect(fresh.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    expect(PAGE_SIZE).toBe(16384);
    fresh.close();

    const path = join(tempDir(), 'old.db');
    const old = new Database(path);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    // A table would make it another program's database (refused); the header alone fixes the page size.
    old.exec('CREATE TABLE t (x); DROP TABLE t;');
    old.close();
    const { db } = openDatabase(path);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'accounts'").pluck().get()).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('explains a missing folder instead of creating it', () => {
    const path = join(tempDir(), 'no', 'such', 'f.db');
    expect(() => openDatabase(path, { create: true })).toThrow(/because the folder .* does not exist\.$/);
    expect(existsSync(path)).toBe(false);
  });

  it('says when a file is not a database', async () => {
    const path = join(tempDir(), 'notes.db');
    (await import('node:fs')).writeFileSync(
      path,
      'this is not sqlite at all, just text that is long enough to have a header'.repeat(20),
    );
    expect(() => openDatabase(path)).toThrow(/is not a Foresight database\.$/);
  });
});

describe('migration 12: quarantine ids never reused', () => {
  const before12 = migrations.filter((m) => m.version < 12);
  const insert = (db: Database.Database, hash: string) =>
    db
      .prepare(
        "INSERT INTO quarantine (kind, origin, line, reason, raw_hash, created_at) VALUES ('accounts', 'a.csv', 2, 'bad', ?, '2026-01-01')",
      )
      .run(hash).lastInsertRowid;

  it('keeps every entry and its id, and never hands out a deleted id again', () => {
    const db = rawDb();
    migrate(db, before12);
    insert(db, 'h1');
    const second = insert(db, 'h2');
    migrate(db, migrations);
    expect(db.prepare('SELECT quarantine_id, raw_hash FROM quarantine ORDER BY 1').all()).toEqual([
      { quarantine_id: 1, raw_hash: 'h1' },
      { quarantine_id: 2, raw_hash: 'h2' },
    ]);
    db.prepare('DELETE FROM quarantine WHERE quarantine_id = ?').run(second);
    expect(insert(db, 'h3')).toBe(3);
  });

  it('keeps the fingerprint triggers on the rebuilt table', () => {
    const db = rawDb();
    migrate(db, migrations);
    insert(db, 'h1');
    db.prepare("INSERT INTO import_fingerprints VALUES ('f', 'd', 'o', '{}', '[]', '2026-01-01')").run();
    db.prepare('DELETE FROM quarantine').run();
    expect(db.prepare('SELECT count(*) FROM import_fingerprints').pluck().get()).toBe(0);
  });
});

describe('migration 20: item action log and team sync', () => {
  const upTo = (version: number) => migrations.filter((m) => m.version <= version);

  it('adds STRICT tables that refuse bad actions, keeps activities and marks them local', () => {
    const db = rawDb();
    migrate(db, upTo(14));
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    db.prepare(
      "INSERT INTO activities (activity_id, account_id, type, occurred_at, summary, created_at) VALUES ('act_a', 'acc_1', 'call', 't', 'Talked', 't')",
    ).run();
    migrate(db, upTo(20));
    expect(schemaVersion(db)).toBe(20);
    const created = tables(db).filter((t) =>
      ['item_actions', 'sync_log_cursors', 'sync_pushed', 'sync_capabilities'].includes(t.name),
    );
    expect(created).toHaveLength(4);
    expect(created.every((t) => t.strict === 1)).toBe(true);
    expect(db.prepare('SELECT origin FROM activities').pluck().get()).toBeNull();
    const insert = db.prepare(
      "INSERT INTO item_actions (action_id, account_id, trigger_id, action, at, snooze_until, origin, received_at) VALUES (?, 'acc_1', 'usage_drop', ?, 't', ?, 'local', 't')",
    );
    insert.run('act_1', 'snooze', '2026-12-12');
    expect(() => insert.run('act_2', 'snooze', null)).toThrow(/CHECK/);
    expect(() => insert.run('act_3', 'start', '2026-12-12')).toThrow(/CHECK/);
    expect(() => insert.run('act_4', 'delete', null)).toThrow(/CHECK/);
    expect(() => insert.run('x_5', 'start', null)).toThrow(/CHECK/);
    expect(() => insert.run('act_1', 'start', null)).toThrow(/UNIQUE/);
  });
});

describe('migration 21: playbook rule sends', () => {
  it('adds a rule flag that existing tasks read as off and that refuses other values, and a wait reason', () => {
    const db = rawDb();
    migrate(
      db,
      migrations.filter((m) => m.version < 21),
    );
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    const item = db
      .prepare(
        "INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, first_fired_on, last_fired_on, status_changed_at, created_at, updated_at) VALUES ('acc_1', 'payment_failing', 'open', 1, 'human', 'x', '2026-03-01', '2026-03-01', 't', 't', 't')",
      )
      .run().lastInsertRowid;
    const insert = db.prepare(
      "INSERT INTO playbook_tasks (item_id, step_no, tier, title, owner, due_on, created_at) VALUES (?, ?, 2, 'Email', 'o', '2026-03-02', 't')",
    );
    insert.run(item, 1);
    migrate(
      db,
      migrations.filter((m) => m.version <= 21),
    );
    expect(schemaVersion(db)).toBe(21);
    expect(db.prepare('SELECT auto_send, rule_wait FROM playbook_tasks').get()).toEqual({
      auto_send: 0,
      rule_wait: null,
    });
    insert.run(item, 2);
    expect(() => db.prepare('UPDATE playbook_tasks SET auto_send = 2 WHERE step_no = 2').run()).toThrow(/CHECK/);
  });
});

describe('migration 22: series cache', () => {
  const upTo = (version: number) => migrations.filter((m) => m.version <= version);

  it('adds a STRICT cache that refuses bad series, follows account deletion and is forgotten by metric updates and deletes', () => {
    const db = rawDb();
    migrate(db, upTo(21));
    db.prepare(
      "INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100), ('acc_2', 'Beta', 100)",
    ).run();
    const metric = db.prepare("INSERT INTO metrics (account_id, metric, date, value) VALUES (?, 'usage', ?, 1)");
    for (const account of ['acc_1', 'acc_2']) for (const day of ['2026-03-01', '2026-03-02']) metric.run(account, day);
    migrate(db, upTo(22));
    expect(schemaVersion(db)).toBe(22);
    expect(tables(db).find((t) => t.name === 'series_cache')?.strict).toBe(1);
    const cache = db.prepare(
      "INSERT INTO series_cache (account_id, from_day, series, vals) VALUES (?, '2026-03-01', ?, X'00')",
    );
    const fill = () => {
      db.exec('DELETE FROM series_cache');
      for (const account of ['acc_1', 'acc_2']) cache.run(account, '[]');
    };
    const cached = () => db.prepare('SELECT account_id FROM series_cache ORDER BY 1').pluck().all();
    expect(() => cache.run('acc_1', 'not json')).toThrow(/CHECK/);
    fill();
    db.prepare("UPDATE metrics SET value = 2 WHERE account_id = 'acc_1' AND date = '2026-03-02'").run();
    expect(cached()).toEqual(['acc_2']);
    fill();
    db.prepare("DELETE FROM metrics WHERE account_id = 'acc_2' AND date = '2026-03-02'").run();
    expect(cached()).toEqual(['acc_1']);
    fill();
    db.prepare("DELETE FROM accounts WHERE account_id = 'acc_1'").run();
    expect(cached()).toEqual(['acc_2']);
    // The kept first metric day goes when a row on or before it goes (a later one leaves it).
    const meta = db.prepare(
      "INSERT OR REPLACE INTO app_meta (key, value) VALUES ('series.first_metric_day', '2026-03-01')",
    );
    const kept = () => db.prepare("SELECT value FROM app_meta WHERE key = 'series.first_metric_day'").pluck().get();
    metric.run('acc_2', '2026-03-05');
    meta.run();
    expect(db.prepare("DELETE FROM metrics WHERE account_id = 'acc_2' AND date > '2026-03-01'").run().changes).toBe(1);
    expect(kept()).toBe('2026-03-01');
    db.prepare("UPDATE metrics SET date = '2026-02-01' WHERE account_id = 'acc_2'").run();
    expect(kept()).toBeUndefined();
    meta.run();
    db.prepare('DELETE FROM metrics').run();
    expect(kept()).toBeUndefined();
  });
});

describe('migration 24: read indexes for one-shot commands', () => {
  it("answers a day's newest data, its stale accounts, the book's fingerprint and demo flag from indexes", () => {
    const db = rawDb();
    migrate(
      db,
      migrations.filter((m) => m.version < 24),
    );
    db.prepare(
      "INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100), ('acc_2', 'Beta', 50)",
    ).run();
    const snapshot = db.prepare(
      `INSERT INTO risk_snapshots (as_of, account_id, trend, p_churn, urgency, arr_usd, expected_arr_at_risk, ear_usd, score_key, config_version, data_through, stale)
       VALUES ('2026-03-01', ?, 'new', 0.1, 1, 100, 10, 10, 101, 0, ?, ?)`,
    );
    snapshot.run('acc_1', '2026-02-28', 0);
    migrate(
      db,
      migrations.filter((m) => m.version <= 24),
    );
    expect(schemaVersion(db)).toBe(24);
    snapshot.run('acc_2', '2026-01-02', 1);
    const plan = (sql: string) =>
      db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => r.detail)
        .join('\n');
    expect(plan("SELECT max(data_through) FROM risk_snapshots WHERE as_of = '2026-03-01'")).toMatch(
      /SEARCH risk_snapshots USING COVERING INDEX risk_snapshots_data_through \(as_of=\?\)/,
    );
    expect(
      plan(
        "SELECT account_id FROM risk_snapshots WHERE as_of = '2026-03-01' AND stale = 1 ORDER BY arr_usd DESC, account_id",
      ),
    ).toMatch(/USING (COVERING )?INDEX risk_snapshots_stale \(as_of=\?\)/);
    expect(
      plan("SELECT count(*), total(arr), max(updated_at), count(*) FILTER (WHERE status = 'churned') FROM accounts"),
    ).toMatch(/SCAN accounts USING COVERING INDEX accounts_fingerprint/);
    expect(plan('SELECT count(*) AS n FROM accounts WHERE is_demo = 1')).toMatch(
      /(SCAN|SEARCH) accounts USING COVERING INDEX accounts_demo/,
    );
    expect(db.prepare("SELECT max(data_through) AS d FROM risk_snapshots WHERE as_of = '2026-03-01'").get()).toEqual({
      d: '2026-02-28',
    });
    expect(
      db
        .prepare(
          "SELECT account_id FROM risk_snapshots INDEXED BY risk_snapshots_stale WHERE as_of = '2026-03-01' AND stale = 1",
        )
        .all(),
    ).toEqual([{ account_id: 'acc_2' }]);
  });
});

describe('migration 25: events keyed by rowid with a unique event id index', () => {
  const schemaOfEvents = (db: Database.Database) =>
    db
      .prepare(
        "SELECT type, name FROM sqlite_schema WHERE tbl_name = 'events' AND type IN ('index', 'trigger') ORDER BY type, name",
      )
      .all();

  it('keeps every event and its rowid, its indexes and triggers, and refuses a repeated or missing id', () => {
    const db = rawDb();
    migrate(
      db,
      migrations.filter((m) => m.version < 25),
    );
    db.prepare(
      "INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100), ('acc_2', 'Beta', 50)",
    ).run();
    const event = db.prepare(
      'INSERT INTO events (rowid, event_id, account_id, occurred_at, type, value, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    event.run(7, 'e_b', 'acc_1', '2026-03-01T10:00:00Z', 'ticket_opened', 2, 'slow');
    event.run(3, 'e_a', 'acc_2', '2026-03-02T10:00:00Z', 'nps_response', 9, null);
    const rows = () => db.prepare('SELECT rowid, * FROM events ORDER BY rowid').all();
    const before = rows();
    const before24 = schemaOfEvents(db);
    migrate(
      db,
      migrations.filter((m) => m.version <= 25),
    );
    expect(schemaVersion(db)).toBe(25);
    expect(rows()).toEqual(before);
    expect(tables(db).find((t) => t.name === 'events')?.strict).toBe(1);
    // The same indexes and triggers as before, and the key's own index, which can now be dropped.
    expect(schemaOfEvents(db)).toEqual(
      [
        ...before24.filter((o) => !String((o as { name: string }).name).startsWith('sqlite_autoindex')),
        { type: 'index', name: 'events_event_id' },
      ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(() => event.run(9, 'e_a', 'acc_1', '2026-03-03T10:00:00Z', 'csm_touch', null, null)).toThrow(/UNIQUE/);
    expect(() => event.run(9, null, 'acc_1', '2026-03-03T10:00:00Z', 'csm_touch', null, null)).toThrow(/NOT NULL/);
    // Upserts on the id still find their row.
    db.prepare(
      "INSERT INTO events (event_id, account_id, occurred_at, type) VALUES ('e_a', 'acc_2', '2026-03-02T10:00:00Z', 'churned') ON CONFLICT (event_id) DO UPDATE SET type = excluded.type",
    ).run();
    expect(db.prepare("SELECT rowid, type FROM events WHERE event_id = 'e_a'").get()).toEqual({
      rowid: 3,
      type: 'churned',
    });
    // The lifecycle trigger (migration 13) came back with the table.
    expect(db.prepare("SELECT status, churned_at FROM accounts WHERE account_id = 'acc_2'").get()).toEqual({
      status: 'churned',
      churned_at: '2026-03-02',
    });
    // So did the fingerprint triggers (migration 7), and account deletion still cascades.
    db.prepare("INSERT INTO import_fingerprints VALUES ('f', 'd', 'o', '{}', '[]', '2026-01-01')").run();
    db.prepare("DELETE FROM accounts WHERE account_id = 'acc_1'").run();
    expect(db.prepare('SELECT count(*) FROM import_fingerprints').pluck().get()).toBe(0);
    expect(db.prepare('SELECT event_id FROM events').pluck().all()).toEqual(['e_a']);
  });
});

describe('migration 29: book changes counter for the fingerprint', () => {
  const changes = (db: Database.Database) =>
    db.prepare('SELECT changes FROM book_changes WHERE id = 1').pluck().get() as number;
  const stored = (db: Database.Database) =>
    db.prepare("SELECT value FROM app_meta WHERE key = 'risk.book_fingerprint'").pluck().get();

  it('moves on every account added, removed, or whose status, ARR or update time changed, and on nothing else', () => {
    const db = rawDb();
    migrate(
      db,
      migrations.filter((m) => m.version <= 29),
    );
    expect(changes(db)).toBe(0);
    db.prepare(
      "INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100), ('acc_2', 'Beta', 50)",
    ).run();
    expect(changes(db)).toBe(2);
    const steps: [string, number][] = [
      ["UPDATE accounts SET name = 'Acme Inc', owner_email = 'x@y.z' WHERE account_id = 'acc_1'", 0],
      ["UPDATE accounts SET arr = 100 WHERE account_id = 'acc_1'", 0],
      ["UPDATE accounts SET arr = 120 WHERE account_id = 'acc_1'", 1],
      ["UPDATE accounts SET status = 'churned', churned_at = '2026-03-01' WHERE account_id = 'acc_2'", 1],
      ["UPDATE accounts SET updated_at = '2026-03-02T00:00:00Z' WHERE account_id = 'acc_2'", 1],
      // The upsert of an import that changes nothing writes nothing.
      [
        "INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme Inc', 120) ON CONFLICT (account_id) DO UPDATE SET arr = excluded.arr WHERE arr IS NOT excluded.arr",
        0,
      ],
      ["INSERT OR REPLACE INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme Inc', 120)", 1],
      ["DELETE FROM accounts WHERE account_id = 'acc_2'", 1],
    ];
    for (const [sql, moved] of steps) {
      const before = changes(db);
      db.prepare(sql).run();
      expect({ sql, moved: changes(db) - before }).toEqual({ sql, moved });
    }
  });

  it('keeps a stored fingerprint that matched the book current, in the new form', () => {
    for (const matched of [true, false]) {
      const db = rawDb();
      migrate(
        db,
        migrations.filter((m) => m.version < 29),
      );
      db.prepare(
        "INSERT INTO accounts (account_id, name, arr, status, churned_at, updated_at) VALUES ('acc_1', 'Acme', 100.4, 'active', NULL, '2026-03-01T00:00:00Z'), ('acc_2', 'Beta', 50, 'churned', '2026-02-01', NULL)",
      ).run();
      db.prepare("INSERT INTO app_meta (key, value) VALUES ('demo_seed', '7')").run();
      const old = matched ? '2|150|2026-03-01T00:00:00Z|1|7' : '2|151|2026-03-01T00:00:00Z|1|7';
      db.prepare("INSERT INTO app_meta (key, value) VALUES ('risk.book_fingerprint', ?)").run(old);
      migrate(
        db,
        migrations.filter((m) => m.version <= 29),
      );
      expect(schemaVersion(db)).toBe(29);
      expect(stored(db)).toBe(matched ? 'changes 0|7' : old);
    }
  });
});

describe('migration 31: imported as-of day', () => {
  it('keeps merged rows (their day unknown) and refuses a value that is not a day', () => {
    checkImportedColumn(31, 'as_of', "'2026-02-01'", "'2026-02-01T00:00'");
  });
});

describe('migration 33: mail outbox', () => {
  it('keeps every message, gives a queued one its Message-ID, and accepts the outbox statuses only', () => {
    const db = rawDb();
    migrate(
      db,
      migrations.filter((m) => m.version < 33),
    );
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    const insertOld = db.prepare(
      "INSERT INTO mail_queue (mail_id, account_id, to_json, subject, body, status, attempts, message_id, queued_at) VALUES (?, 'acc_1', '[]', 's', 'b', ?, 1, ?, 't')",
    );
    insertOld.run('m_queued', 'queued', null);
    insertOld.run('m_sent', 'sent', '<server@x>');
    migrate(
      db,
      migrations.filter((m) => m.version <= 33),
    );
    expect(schemaVersion(db)).toBe(33);
    const ids = db.prepare('SELECT mail_id, message_id FROM mail_queue ORDER BY mail_id').all() as {
      mail_id: string;
      message_id: string;
    }[];
    expect(ids[0]!.message_id).toMatch(/^<[0-9a-f]{32}@foresight\.local>$/);
    expect(ids[1]).toEqual({ mail_id: 'm_sent', message_id: '<server@x>' });
    const insert = db.prepare(
      "INSERT INTO mail_queue (mail_id, account_id, to_json, subject, body, status, queued_at, not_before) VALUES (?, 'acc_1', '[]', 's', 'b', ?, 't', '2026-03-10T08:00:00.000Z')",
    );
    for (const status of ['sending', 'unknown', 'cancelled']) insert.run(`m_${status}`, status);
    expect(() => insert.run('m_bad', 'lost')).toThrow(/CHECK/);
    db.prepare("DELETE FROM accounts WHERE account_id = 'acc_1'").run();
    expect(db.prepare('SELECT count(*) FROM mail_queue').pluck().get()).toBe(0);
  });
});
