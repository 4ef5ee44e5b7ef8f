/**
 * One account in the pass of a scoring run (score-all.ts): its as-of day scored and explained, the
 * item operations it calls for, its history kept contiguous and, on a fitting run, its calibration
 * samples; what the day's write needs of it (PendingAccount) collected in the pass.
 */
import type { AccountBundle } from './bundle.ts';
import type { TriggerId } from './catalog.ts';
import { componentsFor, fxRate, type ComponentParams } from './config.ts';
import { dayNumber } from './days.ts';
import { evaluateAccount, packComponents, scoreDay, type DayScore, type Evaluation } from './evaluate.ts';
import type { Coverage } from './history-coverage.ts';
import { actionableTriggers, isLive, isListedAtRisk, planAccountItems } from './items.ts';
import { backfillAccount, sampleForCalibration } from './score-account-days.ts';
import { statusOn } from './score-plan.ts';
import type { Pass, PendingAccount, Run } from './score-run.ts';
import { idList } from './store.ts';

function pendingOf(
  run: Run,
  bundle: AccountBundle,
  evaluation: Evaluation,
  now: DayScore,
  before: DayScore,
  actionable: string[],
): PendingAccount {
  const account = bundle.account;
  const created = account.created_at ? dayNumber(account.created_at) : null;
  const existedBefore = created === null || created <= run.compareDay;
  return {
    id: account.account_id,
    arr: account.arr,
    rate: fxRate(run.config, account.currency).rate,
    score: evaluation.score,
    band: evaluation.band,
    previousScore: evaluation.previous?.score ?? null,
    delta: evaluation.delta,
    trend: evaluation.trend,
    daysToRenewal: evaluation.daysToRenewal,
    lastTouchOn: evaluation.lastTouchOn,
    triggerIds: idList(evaluation.fired.map((f) => f.id)),
    triggersJson: JSON.stringify(
      evaluation.fired.map((f) => ({
        id: f.id,
        label: f.label,
        priority: f.priority,
        tier: f.tier,
        evidence: f.evidence,
      })),
    ),
    reasonsJson: JSON.stringify(evaluation.reasons),
    topReason: evaluation.topReason,
    actionable: idList(actionable),
    // A stale account is listed in its own group, not ranked on old data.
    atRisk: isListedAtRisk({
      stale: evaluation.stale,
      band: evaluation.band,
      fired: evaluation.fired.map((f) => f.id),
      actionable,
    }),
    dataThrough: evaluation.dataThrough,
    stale: evaluation.stale,
    nowPacked: packComponents(now),
    before: existedBefore ? { score: before.score, band: before.band, packed: packComponents(before) } : null,
  };
}

/** The as-of day of an active account: its evaluation, and the item operations when items are live. */
function scoreActive(run: Run, pass: Pass, bundle: AccountBundle, params: ComponentParams): void {
  const id = bundle.account.account_id;
  // Only an account whose newest data lies before the loaded windows needs the database for its age.
  const loadedFrom = Math.max(run.window.metricsFrom, run.window.eventsFrom);
  const through = run.ages.throughOf(bundle, run.asOfDay, loadedFrom);
  const now = scoreDay(bundle, run.asOfDay, run.config, params, through);
  const before = scoreDay(bundle, run.compareDay, run.config, params);
  const existing = run.existingItems.get(id) ?? [];
  // The current state of a trigger that did not fire is only read as the reason a live item resolves.
  const wantText = (trigger: TriggerId) => existing.some((item) => item.trigger_id === trigger && isLive(item));
  const evaluation = evaluateAccount(bundle, run.asOf, run.config, run.triggers, { now, before, wantText }, 'summary');
  let actionable: string[];
  // Stale data says nothing new: its items stay as they are rather than resolve for lack of data.
  if (run.sync.live && !evaluation.stale) {
    const planned = planAccountItems(
      { accountId: id, fired: evaluation.fired, checks: evaluation.checks },
      existing,
      run.itemContext,
    );
    for (const op of planned.ops) pass.itemOps.push(op);
    actionable = planned.actionable;
  } else {
    actionable = actionableTriggers(
      evaluation.fired.map((f) => f.id),
      existing,
      run.asOf,
    );
  }
  pass.results.push(pendingOf(run, bundle, evaluation, now, before, actionable));
}

export function scoreAccount(run: Run, pass: Pass, bundle: AccountBundle, stored: Coverage | undefined): void {
  const account = bundle.account;
  pass.seen.add(account.account_id);
  bundle.book = run.book;
  const churnedOn =
    account.status === 'churned' ? (account.churned_at ?? run.ages.firstChurnEvent(account.account_id)) : null;
  const status = statusOn(account, run.asOf, churnedOn);
  if (status === 'not_yet') return;
  const params = componentsFor(run.config, account.segment);
  if (status === 'active') scoreActive(run, pass, bundle, params);
  backfillAccount(run, pass, bundle, params, stored, churnedOn);
  if (run.fitting) sampleForCalibration(run, pass, bundle, params, status);
  if (run.sync.live && status === 'churned') {
    // Live items of an account that is no longer active close, with the reason.
    for (const item of run.existingItems.get(account.account_id) ?? []) {
      if (isLive(item))
        pass.itemOps.push({
          kind: 'resolve',
          item,
          reason: `Resolved automatically on ${run.asOf}: the account is no longer active.`,
        });
    }
  }
}
