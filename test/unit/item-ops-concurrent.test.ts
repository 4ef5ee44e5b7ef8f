/**
 * Two rescores at once (an import beside a sync, the CLI beside the app) plan their item writes
 * from the items they read before their write transactions: the second to write found the item
 * the first had just opened and failed on the unique live item (QA 5 #3: "reported a problem
 * (SQLITE_CONSTRAINT_UNIQUE); nothing was changed" while the import's rows were stored).
 */
import { describe, expect, it } from 'vitest';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { applyItemOps, itemsRepo, type ItemOp } from '../../src/domain/risk/items.ts';
import { toUserFacing } from '../../src/domain/failure-sentence.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

const AT = '2026-03-10T06:00:00.000Z';
const row = (evidence: string) => ({
  account_id: 'acc_1',
  trigger_id: 'payment_failing',
  priority: 2,
  tier: 'human' as const,
  evidence,
  facts_json: '{}',
  is_control: 0 as const,
  first_fired_on: '2026-03-10',
  last_fired_on: '2026-03-10',
  status_changed_at: AT,
  created_at: AT,
  updated_at: AT,
});
const counts = () => ({ opened: 0, updated: 0, resolved: 0, suppressed: 0 });

describe('item writes planned before another rescore wrote', () => {
  it('refresh the item the other rescore opened instead of opening it twice', () => {
    const { db } = tempDb();
    accountsRepo(db).upsert(sampleAccount());
    const repo = itemsRepo(db);
    const theirs = repo.open(row('2 failed payments'), 'Fired');
    const mine: ItemOp[] = [{ kind: 'open', row: row('3 failed payments'), reason: 'Fired' }];
    const changes = counts();
    db.transaction(() => applyItemOps(repo, mine, '2026-03-10', AT, changes))();
    expect(changes).toEqual({ opened: 0, updated: 1, resolved: 0, suppressed: 0 });
    const items = db.prepare('SELECT item_id, evidence, status FROM risk_items').all();
    expect(items).toEqual([{ item_id: theirs, evidence: '3 failed payments', status: 'open' }]);
  });

  it('leave an item the other rescore already resolved as it is', () => {
    const { db } = tempDb();
    accountsRepo(db).upsert(sampleAccount());
    const repo = itemsRepo(db);
    const id = repo.open(row('2 failed payments'), 'Fired');
    const item = repo.get(id)!;
    repo.changeStatus(item, 'resolved', AT, { closedOn: '2026-03-10', reason: 'Cleared', clearedOn: '2026-03-10' });
    const changes = counts();
    applyItemOps(repo, [{ kind: 'resolve', item, reason: 'Cleared' }], '2026-03-10', AT, changes);
    expect(changes.resolved).toBe(0);
    expect(repo.stays(id).map((s) => s.status)).toEqual(['open', 'resolved']);
  });

  it('a conflicting write is never reported with a raw SQLite code', () => {
    const error = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(toUserFacing(error, { dbPath: '/tmp/x.db' })?.message).not.toMatch(/SQLITE|nothing was changed/);
  });
});
