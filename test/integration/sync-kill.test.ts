/**
 * Killing an import midway never corrupts the database or leaves half a file: in 20 trials a child
 * process importing a large file is killed (SIGKILL) at a random point; each time
 * PRAGMA integrity_check is "ok" and the data is exactly the state before the import or after it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../src/domain/db/open.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { tempDir } from '../support/temp.ts';

const CHILD = join(import.meta.dirname, 'sync-kill-child.ts');
const TRIALS = 20;
const ACCOUNTS = 200;
const DAYS = 30;
const METRICS = ['active_users', 'seats_used', 'logins', 'usage'];

/** Everything an import writes, minus timestamps: equal hashes mean equal states. */
function stateHash(db: Db): string {
  const hash = createHash('sha256');
  for (const sql of [
    'SELECT * FROM accounts ORDER BY account_id',
    'SELECT * FROM metrics ORDER BY account_id, metric, contact_id, date',
    'SELECT kind, origin, line, field, reason FROM quarantine ORDER BY quarantine_id',
    'SELECT type, origin, status, accepted_metrics, unchanged, rejected FROM sync_runs ORDER BY run_id',
  ]) {
    for (const row of db.prepare(sql).raw().iterate()) hash.update(JSON.stringify(row));
  }
  return hash.digest('hex');
}

function withDb<T>(path: string, work: (db: Db) => T): T {
  const { db } = openDatabase(path, { create: true });
  try {
    return work(db);
  } finally {
    closeDatabase(db);
  }
}

// Deterministic "random" kill points, so a failure can be replayed.
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2 ** 31;
    return a / 2 ** 31;
  };
}

function runAndKill(
  dbPath: string,
  file: string,
  killAtProgress: number | null,
  inWorker: boolean,
): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dbPath, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORESIGHT_TEST_PARSE_IN_WORKER: inWorker ? '1' : '0' },
    });
    let output = '';
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const seen = output.match(/progress \d+/g)?.length ?? 0;
      if (!killed && killAtProgress !== null && seen >= killAtProgress) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' || code === 0) resolve(signal === 'SIGKILL' ? 'killed' : 'finished');
      else reject(new Error(`the import child failed (${code}): ${stderr}`));
    });
  });
}

describe('killing an import', () => {
  it(`leaves the database intact and entirely before or after the file (${TRIALS} trials)`, async () => {
    const dir = tempDir();
    const base = join(dir, 'base.db');
    const accounts = join(dir, 'accounts.csv');
    const before = join(dir, 'metrics-1.csv');
    const update = join(dir, 'metrics-2.csv');
    writeFileSync(
      accounts,
      ['account_id,name,arr', ...Array.from({ length: ACCOUNTS }, (_, i) => `acc_${i},Account ${i},${i * 10}`)].join(
        '\n',
      ),
    );
    const metricRows = (shift: number, months: string[]) => {
      const lines = ['account_id,date,metric,value'];
      for (const month of months)
        for (let a = 0; a < ACCOUNTS; a++)
          for (let d = 1; d <= DAYS; d++)
            for (const metric of METRICS)
              lines.push(
                `acc_${a},2026-${month}-${String(d).padStart(2, '0')},${metric},${(a * 7 + d * 3 + shift) % 997}`,
              );
      // A bad row too, so the quarantine is part of the state.
      lines.push(`acc_1,2026-02-30,logins,${shift}`);
      return `${lines.join('\n')}\n`;
    };
    writeFileSync(before, metricRows(0, ['01']));
    // The second file changes every existing value and adds a new month: 48,000 rows.
    writeFileSync(update, metricRows(1, ['01', '03']));

    withDb(base, (db) => importFiles(db, [accounts, before]));
    const beforeHash = withDb(base, stateHash);
    const reference = join(dir, 'reference.db');
    copyFileSync(base, reference);
    withDb(reference, (db) => importFiles(db, [update]));
    const afterHash = withDb(reference, stateHash);
    expect(afterHash).not.toBe(beforeHash);

    const next = random(20260301);
    const outcomes: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const path = join(dir, `trial-${trial}.db`);
      copyFileSync(base, path);
      // Most trials die after a random progress report (mid-transaction); a few are let finish.
      // Every third reads the file in the CSV worker, which reports progress once a MiB (the
      // file is about 1.2 MiB), so it dies after the first: its rows are in the transaction then.
      const inWorker = trial % 3 === 1;
      const killAt = trial % 7 === 6 ? null : inWorker ? 1 : 1 + Math.floor(next() * 6);
      const how = await runAndKill(path, update, killAt, inWorker);
      const { integrity, hash } = withDb(path, (db) => ({
        integrity: db.pragma('integrity_check', { simple: true }),
        hash: stateHash(db),
      }));
      expect(integrity, `trial ${trial}`).toBe('ok');
      expect([beforeHash, afterHash], `trial ${trial} (${how} at progress ${killAt}, worker ${inWorker})`).toContain(
        hash,
      );
      outcomes.push(hash === beforeHash ? 'before' : 'after');
    }
    // Both outcomes must have occurred, or the trials did not test what they claim.
    expect(outcomes).toContain('before');
    expect(outcomes).toContain('after');
  }, 120_000);
});
