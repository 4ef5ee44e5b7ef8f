/**
 * "Tasks due today" counts are true counts: the task list is capped at its first 1,000 (soonest
 * due), but Today's button, the dialog, `foresight tasks --due today`, the digest and its desktop
 * notification say how many are due in all (a 50k book has 8,289 due; every count read 1,000).
 */
import { describe, expect, it } from 'vitest';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { morningDigest } from '../../src/domain/digest/morning.ts';
import { buildDigestNotification } from '../../src/domain/desktop/digest.ts';
import { TASK_LIST_LIMIT } from '../../src/domain/playbooks/repo.ts';
import { listTaskPage } from '../../src/domain/playbooks/tasks.ts';
import { digestText } from '../../src/cli/commands/digest.ts';
import { runCli } from '../support/cli.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

const AS_OF = '2026-12-08';
const NOW = `${AS_OF}T09:00:00.000Z`;

/** One live item per account with `steps` due tasks (every third a tier-2 step). */
function dueTasks(db: Db, accountId: string, owner: string, steps: number): void {
  accountsRepo(db).upsert(sampleAccount({ account_id: accountId, name: `Account ${accountId}`, owner_email: owner }));
  const itemId = db
    .prepare(
      `INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, first_fired_on, last_fired_on, status_changed_at, created_at, updated_at)
       VALUES (?, 'usage_drop', 'open', 2, 'human', 'x', '2026-11-01', ?, ?, ?, ?) RETURNING item_id`,
    )
    .pluck()
    .get(accountId, AS_OF, NOW, NOW, NOW) as number;
  const task = db.prepare(
    `INSERT INTO playbook_tasks (item_id, step_no, tier, title, owner, template_id, due_on, created_at)
     VALUES (?, ?, ?, 'Step', ?, NULL, '2026-12-01', ?)`,
  );
  db.transaction(() => {
    for (let step = 1; step <= steps; step++) task.run(itemId, step, step % 3 === 0 ? 2 : 3, owner, NOW);
  })();
}

describe('tasks due: counts never stop at the list cap', () => {
  it('lists the first 1,000 and counts every due task, for the book and for one owner', () => {
    const { db, path } = tempDb();
    dueTasks(db, 'acc_a', 'ana@example.com', 1_200);
    dueTasks(db, 'acc_b', 'ben@example.com', 30);

    const page = listTaskPage(db, { asOf: AS_OF, due: 'today' }, NOW);
    expect(page.tasks).toHaveLength(TASK_LIST_LIMIT);
    expect(page.total).toBe(1_230);
    expect(page.tier2Total).toBe(400 + 10);

    // One owner's count is counted before the cap, not filtered out of the first 1,000.
    const ben = listTaskPage(db, { asOf: AS_OF, due: 'today', owner: 'BEN@example.com' }, NOW);
    expect(ben.total).toBe(30);
    expect(ben.tasks).toHaveLength(30);

    const digest = morningDigest(db, { asOf: AS_OF });
    expect(digest.tasksDueTotal).toBe(1_230);
    expect(digestText(digest)).toContain('Tasks due: 1,230 (the first 1,000 listed)');
    expect(buildDigestNotification(digest)?.body).toContain('1,230 tasks due');
    expect(morningDigest(db, { asOf: AS_OF, owner: 'ben@example.com' }).tasksDueTotal).toBe(30);
    db.close();

    const cli = runCli(['tasks', '--due', 'today', '--as-of', AS_OF, '--db', path]);
    expect(cli.stdout.split('\n')[0]).toBe('1,230 tasks (the first 1,000, soonest due, are listed)');
    const json = runCli(['tasks', '--due', 'today', '--as-of', AS_OF, '--db', path, '--json']).json<{
      total: number;
      tasks: unknown[];
    }>();
    expect([json.total, json.tasks.length]).toEqual([1_230, 1_000]);
  });
});
