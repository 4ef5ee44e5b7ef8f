/** `foresight activity add` and `foresight activities` through the real CLI on a real database file. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/domain/db/open.ts';
import type { ActivityRow } from '../../src/shared/dto/activities.ts';
import { runCli } from '../support/cli.ts';
import { sampleAccount, tempDir } from '../support/temp.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';

function book(): string {
  const path = join(tempDir(), 'book.db');
  const { db } = openDatabase(path, { create: true });
  accountsRepo(db).upsert(sampleAccount());
  db.close();
  return path;
}

describe('foresight activity', () => {
  it('logs a call and lists it as JSON', () => {
    const db = book();
    const add = runCli([
      'activity',
      'add',
      'acc_1',
      '--type',
      'call',
      '--at',
      '2026-01-05',
      '--summary',
      'Renewal call',
      '--db',
      db,
      '--json',
    ]);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.json<ActivityRow>()).toMatchObject({
      type: 'call',
      occurred_at: '2026-01-05T00:00:00.000Z',
      is_touch: true,
    });

    const list = runCli(['activities', 'acc_1', '--db', db, '--json']).json<{ activities: ActivityRow[] }>();
    expect(list.activities.map((a) => a.summary)).toEqual(['Renewal call']);
    expect(runCli(['activities', 'acc_1', '--db', db]).stdout).toContain('2026-01-05  call    Renewal call');
  });

  it('refuses an unknown type and an unknown account with one sentence', () => {
    const db = book();
    const badType = runCli(['activity', 'add', 'acc_1', '--type', 'lunch', '--summary', 'x', '--db', db]);
    expect(badType.code).not.toBe(0);
    expect(badType.stderr.trim()).toMatch(/^.*--type must be one of call, meeting, email, note, not "lunch"\.$/);
    const missing = runCli(['activity', 'add', 'nope', '--type', 'note', '--summary', 'x', '--db', db]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('There is no account with the id "nope".');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
