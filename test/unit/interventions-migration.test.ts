import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/domain/db/migrate.ts';
import { migrations } from '../../src/domain/db/migrations/index.ts';
import { configureConnection } from '../../src/domain/db/open.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 6: intervention outcomes', () => {
  it('adds the outcome, control, merge and settings tables as STRICT tables and keeps existing interventions', () => {
    const db = new Database(join(tempDir(), 'm6.db'));
    configureConnection(db);
    const before = migrations.filter((m) => m.version < 6);
    migrate(db, before);
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    db.prepare(
      `INSERT INTO interventions (intervention_id, account_id, trigger_id, channel, status, created_at, updated_at)
       VALUES ('i1', 'acc_1', 'usage_drop', 'email', 'sent', 't', 't')`,
    ).run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 6),
    );
    expect(schemaVersion(db)).toBe(6);
    const tables = db
      .prepare<[], { name: string; strict: number }>("SELECT name, strict FROM pragma_table_list WHERE schema = 'main'")
      .all();
    for (const name of ['intervention_outcomes', 'control_outcomes', 'imported_outcomes', 'trigger_outcome_settings']) {
      expect(tables.find((t) => t.name === name)).toMatchObject({ strict: 1 });
    }
    expect(db.prepare('SELECT intervention_id FROM interventions').pluck().all()).toEqual(['i1']);
  });

  it('refuses a manual override without a note and a holdout share outside 0 to 1', () => {
    const db = new Database(join(tempDir(), 'm6b.db'));
    configureConnection(db);
    migrate(
      db,
      migrations.filter((m) => m.version <= 6),
    );
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    db.prepare(
      `INSERT INTO interventions (intervention_id, account_id, trigger_id, channel, status, created_at, updated_at) VALUES ('i1', 'acc_1', 'usage_drop', 'email', 'failed', 't', 't')`,
    ).run();
    const insert = db.prepare(
      `INSERT INTO intervention_outcomes (intervention_id, start_on, evidence, manual, manual_note, evaluated_on, updated_at) VALUES ('i1', '2026-01-01', 'e', 1, ?, 'd', 't')`,
    );
    expect(() => insert.run('  ')).toThrow(/CHECK/);
    expect(() => insert.run('Customer confirmed.')).not.toThrow();
    expect(() =>
      db
        .prepare(
          "INSERT INTO trigger_outcome_settings (trigger_id, holdout_share, updated_at) VALUES ('detractor', 1.5, 't')",
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
