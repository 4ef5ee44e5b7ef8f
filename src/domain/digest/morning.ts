/**
 * The morning digest, for cron (`foresight digest --json`): accounts the day could not judge (stale
 * or no data), accounts newly at risk since yesterday, tasks due (snoozes ending, scheduled sends, playbook steps), and renewals this month. Read-only over the stored
 * risk items, interventions and the renewals report, as of a day.
 */
import { addDays } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { tasksRepo } from '../playbooks/repo.ts';
import { renewalsReport } from '../renewals/renewals.ts';
import { DEFAULT_TRIGGERS, isOpportunity, isTriggerId } from '../risk/catalog.ts';
import { configRepo } from '../risk/config-repo.ts';
import { fxRate } from '../risk/config.ts';
import { staleGroup } from '../risk/stale-group.ts';
import type { MorningDigest } from '../../shared/dto/digest.ts';

const label = (triggerId: string) => (isTriggerId(triggerId) ? DEFAULT_TRIGGERS[triggerId].label : triggerId);

function statements(db: Db) {
  return {
    newItems: db.prepare<
      { since: string; asOf: string; owner: string | null },
      {
        account_id: string;
        name: string;
        owner_email: string | null;
        arr: number;
        currency: string;
        trigger_id: string;
      }
    >(
      `SELECT a.account_id, a.name, a.owner_email, a.arr, a.currency, r.trigger_id FROM risk_items r JOIN accounts a USING (account_id)
       WHERE r.first_fired_on >= @since AND r.first_fired_on <= @asOf AND r.is_control = 0 AND r.status IN ('open', 'in_progress')
         AND a.status = 'active'
         AND (@owner IS NULL OR a.owner_email = @owner COLLATE NOCASE)
       ORDER BY a.account_id, r.priority, r.trigger_id`,
    ),
    snoozesEnding: db.prepare<
      { asOf: string; owner: string | null },
      { account_id: string; name: string; snoozed_until: string; trigger_id: string }
    >(
      `SELECT a.account_id, a.name, r.snoozed_until, r.trigger_id FROM risk_items r JOIN accounts a USING (account_id)
       WHERE r.snoozed_until IS NOT NULL AND r.snoozed_until <= @asOf AND r.status IN ('open', 'in_progress')
         AND (@owner IS NULL OR a.owner_email = @owner COLLATE NOCASE)
       ORDER BY r.snoozed_until, a.account_id`,
    ),
    scheduled: db.prepare<
      { until: string; owner: string | null },
      { account_id: string; name: string; planned_at: string; trigger_id: string; channel: string }
    >(
      `SELECT a.account_id, a.name, i.planned_at, i.trigger_id, i.channel FROM interventions i JOIN accounts a USING (account_id)
       WHERE i.status = 'planned' AND i.planned_at < @until AND (@owner IS NULL OR a.owner_email = @owner COLLATE NOCASE)
       ORDER BY i.planned_at`,
    ),
  };
}

/** Checklist steps of live, unsnoozed risk items due on or before the day (migration 18). */
function playbookTasksDue(
  db: Db,
  asOf: string,
  owner: string | null,
): { listed: MorningDigest['tasksDue']; total: number } {
  const repo = tasksRepo(db);
  const filter = { dueBy: asOf, accountOwner: owner };
  const listed = repo.list(filter).map((t) => ({
    accountId: t.account_id,
    name: t.account_name,
    kind: 'playbook_task' as const,
    due: t.due_on,
    what: `${label(t.trigger_id)}, step ${t.step_no} (tier ${t.tier}): ${t.title}`,
  }));
  // The list is capped (TASK_LIST_LIMIT); the count is not.
  return { listed, total: repo.count(filter).total };
}

/**
 * `since` is the first day whose newly fired items count as new (default yesterday); the desktop
 * notification passes the day after its last digest, so days the app was closed are not lost.
 */
export function morningDigest(db: Db, options: { asOf: string; owner?: string | null; since?: string }): MorningDigest {
  const owner = options.owner ?? null;
  const s = statements(db);
  const { config } = configRepo(db).active();
  const newAtRisk = new Map<string, MorningDigest['newAtRisk'][number]>();
  for (const r of s.newItems.all({ since: options.since ?? addDays(options.asOf, -1), asOf: options.asOf, owner })) {
    // An upgrade or a milestone is good news: it never makes an account "newly at risk".
    if (isOpportunity(r.trigger_id)) continue;
    const entry = newAtRisk.get(r.account_id) ?? {
      accountId: r.account_id,
      name: r.name,
      owner: r.owner_email,
      arr: r.arr,
      currency: r.currency,
      arrUsd: r.arr * fxRate(config, r.currency).rate,
      items: [],
    };
    entry.items.push(label(r.trigger_id));
    newAtRisk.set(r.account_id, entry);
  }
  const steps = playbookTasksDue(db, options.asOf, owner);
  const tasksDue: MorningDigest['tasksDue'] = [
    ...s.snoozesEnding.all({ asOf: options.asOf, owner }).map((r) => ({
      accountId: r.account_id,
      name: r.name,
      kind: 'snooze_ends' as const,
      due: r.snoozed_until,
      what: `Snooze ends: ${label(r.trigger_id)}`,
    })),
    ...s.scheduled.all({ until: `${addDays(options.asOf, 1)}T00:00:00.000Z`, owner }).map((r) => ({
      accountId: r.account_id,
      name: r.name,
      kind: 'scheduled_send' as const,
      due: r.planned_at.slice(0, 10),
      what: `Scheduled ${r.channel.replace('_', '-')}: ${label(r.trigger_id)}`,
    })),
    ...steps.listed,
  ];
  const gaps = staleGroup(db, options.asOf, { owner, segment: null }, 0);
  const month = options.asOf.slice(0, 7);
  const renewals = renewalsReport(db, { asOf: options.asOf, withinDays: 31, owner });
  return {
    asOf: options.asOf,
    dataGaps: { stale: gaps.count - gaps.noData, noData: gaps.noData, dataThrough: gaps.dataThrough },
    newAtRisk: [...newAtRisk.values()].sort((a, b) => b.arrUsd - a.arrUsd),
    tasksDue,
    tasksDueTotal: tasksDue.length - steps.listed.length + steps.total,
    renewalsThisMonth: renewals.rows
      .filter((r) => !r.overdue && r.renewalDate.startsWith(month))
      .map((r) => ({
        accountId: r.accountId,
        name: r.name,
        renewalDate: r.renewalDate,
        arr: r.arr,
        currency: r.currency,
        arrUsd: r.arrUsd,
        expectedRenewUsd: r.expectedRenewUsd,
      })),
    overdueRenewals: renewals.totals.overdue,
  };
}
