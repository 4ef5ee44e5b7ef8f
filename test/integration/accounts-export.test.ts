/**
 * Exporting the Accounts grid: the whole view is read in one sorted pass (the same rows, in the
 * same order, as paging the grid), and the export runs as a job that reports its progress, so the
 * app's thread answers other requests meanwhile (in the app a job is a worker thread).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import { inlineJobRunner, type JobRunner } from '../../src/app/jobs/runner.ts';
import { accountsGrid, allGridRows } from '../../src/domain/accounts/grid.ts';
import { openDatabase } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import type { ProgressEvent } from '../../src/shared/events.ts';
import { tempDir } from '../support/temp.ts';

const AS_OF = '2026-03-10';
const NOW = new Date(`${AS_OF}T10:00:00Z`);

function book(accounts: number): string {
  const dbPath = join(tempDir(), 'book.db');
  const { db } = openDatabase(dbPath, { create: true });
  loadDemoBook(db, { accounts, seed: 3, asOf: AS_OF });
  scoreAll(db, { asOf: AS_OF, now: `${AS_OF}T09:00:00Z`, historyDays: 0 });
  db.close();
  return dbPath;
}

describe('exporting the accounts grid', () => {
  it('reads every row once, in the order paging the grid gives, reporting rows read', () => {
    const { db } = openDatabase(book(45));
    try {
      const view = { asOf: AS_OF, search: '', sort: 'data_age', direction: 'desc' } as const;
      const paged = [0, 10, 20, 30, 40].flatMap(
        (offset) => accountsGrid(db, { ...view, offset, limit: 10, history: false }).rows,
      );
      const reports: [number, number][] = [];
      const all = allGridRows(db, view, (read, total) => reports.push([read, total]), 10);
      expect(all.map((r) => r.accountId)).toEqual(paged.map((r) => r.accountId));
      expect(all).toEqual(paged);
      expect(reports).toEqual([
        [0, 45],
        [10, 45],
        [20, 45],
        [30, 45],
        [40, 45],
        [45, 45],
      ]);
    } finally {
      db.close();
    }
  }, 60_000);

  it('runs as a job with progress, not inside the request', async () => {
    const dbPath = book(30);
    const inline = inlineJobRunner(dbPath);
    const ran: string[] = [];
    const jobs: JobRunner = {
      run: (name, payload, options) => {
        ran.push(name);
        return inline.run(name, payload, options);
      },
    };
    const app = createApp({ dbPath, now: () => NOW, jobs });
    const progress: ProgressEvent[] = [];
    app.subscribe((event) => {
      if (event.type === 'progress') progress.push(event);
    });
    const result = await app.dispatch('accounts.export', {
      asOf: AS_OF,
      search: '',
      owner: 'all',
      sort: 'arr',
      direction: 'desc',
      format: 'csv',
      columns: ['name', 'arr'],
    });
    if (!result.ok) throw new Error(result.error.message);
    const file = result.value as { rows: number; base64: string | null };
    expect(ran).toContain('accounts.export');
    expect(file.rows).toBe(30);
    const csv = Buffer.from(file.base64!, 'base64').toString('utf8');
    expect(csv.trim().split(/\r?\n/)).toHaveLength(31);
    expect(progress.every((p) => p.title === 'Exporting accounts as CSV')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ processed: 30, total: 30, done: true });
  }, 60_000);
});
