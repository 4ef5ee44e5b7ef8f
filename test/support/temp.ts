import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase, type Db } from '../../src/domain/db/open.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

/**
 * A fresh folder removed after the test. The removal is retried a few times (Node's own retry on
 * ENOTEMPTY and EBUSY): a worker thread the test started may still be closing a database in it.
 */
export function tempDir(prefix = 'foresight-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
  return dir;
}

/** A real SQLite file with the current schema, closed after the test. */
export function tempDb(): { db: Db; path: string } {
  const path = join(tempDir(), 'foresight.db');
  const { db } = openDatabase(path, { create: true });
  cleanups.push(() => db.open && db.close());
  return { db, path };
}

export const sampleAccount = (overrides: Record<string, unknown> = {}) => ({
  account_id: 'acc_1',
  name: 'Acme Corp',
  owner_email: 'csm@example.com',
  segment: 'SMB',
  plan: 'Pro',
  arr: 12000,
  currency: 'USD',
  seats_purchased: 20,
  usage_limit: 1000,
  renewal_date: '2027-01-31',
  created_at: '2025-01-01',
  lifecycle_stage: 'adopted',
  status: 'active' as const,
  churned_at: null,
  timezone: 'Europe/Berlin',
  locale: 'de-DE',
  updated_at: null,
  ...overrides,
});
