/** `foresight playbooks`, `tasks`, `task` and the digest's playbook steps, through the real CLI on one demo book. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MorningDigest } from '../../src/shared/dto/digest.ts';
import type { PlaybookTask, PlaybookView } from '../../src/shared/dto/playbooks.ts';
import { runCli } from '../support/cli.ts';

const AS_OF = '2026-03-10';
let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-playbooks-cli-'));
  db = join(dir, 'book.db');
  const init = runCli(['init', '--demo', '--accounts', '60', '--as-of', AS_OF, '--db', db]);
  if (init.code !== 0) throw new Error(init.stderr);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('foresight playbooks and tasks', () => {
  it('lists every playbook with its tiers, and the tasks due on a day', () => {
    const playbooks = runCli(['playbooks', '--db', db, '--json']).json<PlaybookView[]>();
    expect(playbooks.find((p) => p.triggerId === 'payment_failing')?.steps.map((s) => s.tier)).toEqual([1, 2, 3]);

    const due = runCli(['tasks', '--due', 'today', '--as-of', AS_OF, '--db', db, '--json']).json<{
      tasks: PlaybookTask[];
    }>().tasks;
    expect(due.length).toBeGreaterThan(0);
    expect(due.every((t) => t.status === 'pending' && t.dueOn <= AS_OF)).toBe(true);
    const account = due[0]!.accountId;
    const mine = runCli(['tasks', '--account', account, '--db', db, '--json']).json<{ tasks: PlaybookTask[] }>().tasks;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((t) => t.accountId === account)).toBe(true);

    // Sending by rule needs an SMTP server first; it says so in one sentence and sends nothing.
    const runDue = runCli(['tasks', 'run-due', '--db', db]);
    expect(runDue.code).toBe(0);
    expect(runDue.stdout.trim()).toBe(
      'Set up your SMTP server in Settings → Email (SMTP) before steps can be sent by rule.',
    );

    // The kill switch, from the CLI too: off, the run says so before anything else.
    expect(runCli(['playbooks', '--send-by-rule', 'off', '--db', db]).stdout).toMatch(/^Sending by rule: off/);
    expect(runCli(['tasks', 'run-due', '--db', db]).stdout.trim()).toBe(
      'Sending by rule is switched off in Settings → Playbooks; those steps wait for approval.',
    );

    const bad = runCli(['tasks', '--due', 'tomorrow', '--db', db]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe('--due takes "today", not "tomorrow".');
  });

  it('the digest counts the steps due; a task is marked done once', () => {
    const digest = runCli(['digest', '--as-of', AS_OF, '--db', db, '--json']).json<MorningDigest>();
    const steps = digest.tasksDue.filter((t) => t.kind === 'playbook_task');
    const due = runCli(['tasks', '--due', 'today', '--as-of', AS_OF, '--db', db, '--json']).json<{
      tasks: PlaybookTask[];
    }>().tasks;
    expect(steps).toHaveLength(due.length);

    const task = due.find((t) => t.tier === 3) ?? due[0]!;
    const done = runCli(['task', 'done', String(task.taskId), '--note', 'Called them', '--db', db, '--json']);
    expect(done.code).toBe(0);
    expect(done.json<PlaybookTask>()).toMatchObject({ status: 'done', note: 'Called them' });
    const again = runCli(['task', 'done', String(task.taskId), '--db', db]);
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim()).toBe(`Task ${task.taskId} (“${task.title}”) is already done.`);
  });
});
