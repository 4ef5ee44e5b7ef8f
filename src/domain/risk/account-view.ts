/**
 * One account, fully explained, as of a day: the score with every component's inputs and
 * thresholds, what moved it since the comparison day, the money at stake, the trigger checks
 * (fired and not), the score history, the risk items with their time in each status, the contacts
 * and a timeline of events, risk items and interventions. Computed on the fly from the same code
 * as the whole-book run, so it always agrees with the ranked list for the same day and data.
 */
import type { AccountRisk, RiskItemDto, TimelineEntry } from '../../shared/dto/risk.ts';
import { eventTitle, isMoneyEvent } from '../../shared/event-labels.ts';
import type { Db } from '../db/open.ts';
import { accountsRepo } from '../db/repos/accounts.ts';
import { contactsRepo } from '../db/repos/contacts.ts';
import { UserFacingError } from '../errors.ts';
import { DEFAULT_TRIGGERS, isTriggerId } from './catalog.ts';
import { componentsFor, effectiveTriggers, fxRate } from './config.ts';
import { dayNumber, dayString, endOfDayInstant, startOfDayInstant } from './days.ts';
import {
  churnProbability,
  describeMoney,
  evaluateAccount,
  expectedArrAtRisk,
  scoreDay,
  urgencyFactor,
} from './evaluate.ts';
import { snoozedByColleague } from '../item-actions/fold.ts';
import { isSnoozed, statusStays, type RiskItemRow } from './items.ts';
import { newestByKind } from './data-age.ts';
import { dataGapOf, unlessGap } from './data-gap.ts';
import { dataAgeRepo } from './data-age-repo.ts';
import { bundleReader } from './load.ts';
import { rankedOn } from './model/agreement.ts';
import { historyWeightsCurrent, scoringConfig } from './weights-in-use.ts';
import { historyCoverageRepo } from './history-coverage.ts';
import { modelInWords } from './model/words.ts';
import { forecastCaveat } from './forecast-caveat.ts';
import { lookbacks, statusOn } from './score-plan.ts';
import { riskStore } from './store.ts';
import { pChurnText } from '../../shared/p-churn.ts';

export const HISTORY_DAYS = 90;

/**
 * The account's rank in the day's at-risk list (list.ts's order: expected ARR at risk, ARR, score,
 * account id), or no row when it is not at risk: one plus the entries ranked above it, counted on
 * risk_snapshots_rank from the top down to its own entry. Numbering the whole day's list with
 * row_number() cost 6 ms at 50,000 accounts and grew with the list (issue 16); the count stops at
 * the account's own place and reads no table rows (test/integration/account-rank.test.ts).
 */
export const RANK_SQL = `SELECT 1 + (
    SELECT count(*) FROM risk_snapshots o
    WHERE o.as_of = me.as_of AND o.at_risk = 1 AND o.ear_usd >= me.ear_usd
      AND (o.ear_usd > me.ear_usd OR o.arr_usd > me.arr_usd
        OR (o.arr_usd = me.arr_usd AND (o.score_key < me.score_key
          OR (o.score_key = me.score_key AND o.account_id < me.account_id))))
  ) AS rank
  FROM risk_snapshots me WHERE me.as_of = @asOf AND me.account_id = @accountId AND me.at_risk = 1`;

export function itemDto(db: Db, item: RiskItemRow, asOf: string, now: string): RiskItemDto {
  return {
    itemId: item.item_id,
    accountId: item.account_id,
    triggerId: item.trigger_id,
    label: isTriggerId(item.trigger_id) ? DEFAULT_TRIGGERS[item.trigger_id].label : item.trigger_id,
    status: item.status,
    priority: item.priority,
    tier: item.tier,
    evidence: item.evidence,
    control: item.is_control === 1,
    firstFiredOn: item.first_fired_on,
    lastFiredOn: item.last_fired_on,
    snoozedUntil: item.snoozed_until,
    snoozeReason: item.snooze_reason,
    snoozed: isSnoozed(item, asOf),
    snoozedBy: snoozedByColleague(db, item),
    closedOn: item.closed_on,
    closeReason: item.close_reason,
    stays: statusStays(db, item.item_id, now),
  };
}

export function accountRisk(db: Db, accountId: string, asOf: string, now: string): AccountRisk {
  const account = accountsRepo(db).get(accountId);
  if (!account) throw new UserFacingError('ACCOUNT_NOT_FOUND', `There is no account ${accountId}.`);
  // The weights of the model in use on the day, as the ranking scored with (weights-in-use.ts).
  const { version, config, weights, model: inUse } = scoringConfig(db, asOf);
  const triggers = effectiveTriggers(config);
  const store = riskStore(db);
  const day = dayNumber(asOf);
  const reach = lookbacks(config, triggers);
  const historyFrom = day - HISTORY_DAYS + 1;
  const earliest = Math.min(historyFrom, day - config.trend.compareDays);
  const bundle = bundleReader(db).one(accountId, {
    metricsFrom: earliest - reach.metrics,
    eventsFrom: earliest - reach.events,
    to: day,
  });
  if (!bundle) throw new UserFacingError('ACCOUNT_NOT_FOUND', `There is no account ${accountId}.`);

  // The same facts as the whole-book run: the book's coverage, and the data age when the loaded
  // windows hold no data.
  const ages = dataAgeRepo(db);
  bundle.book = ages.bookCoverage(earliest, day);
  const through = ages.throughOf(bundle, day, earliest - Math.min(reach.metrics, reach.events));
  const params = componentsFor(config, account.segment);
  const scored = scoreDay(bundle, day, config, params, through);
  const evaluation = evaluateAccount(bundle, asOf, config, triggers, { now: scored }, 'full');
  const calibration = store.calibrationAtOrBefore(asOf, version);
  const curve = calibration && calibration.method === 'logistic' ? calibration : config.churnCurve;
  // As in the ranking (its stored P(churn) from the churn model, else the curve; a score from stale
  // data counts as no score), and the band the model agreed to (model/agreement.ts).
  const ranked = rankedOn(db, asOf, accountId, version);
  // A customer lost by the day is no live account with a data problem: it has no score, band or
  // forecast because it churned, and the page says that instead of diagnosing its data.
  const churnedOn = account.churned_at ?? (account.status === 'churned' ? ages.firstChurnEvent(accountId) : null);
  const status = statusOn(account, asOf, churnedOn);
  const lost = status === 'churned' ? (churnedOn?.slice(0, 10) ?? asOf) : null;
  // Stale data or no data: no score to show and no forecast (data-gap.ts), as every list says.
  const gap = lost === null ? dataGapOf(evaluation) : null;
  const probability =
    lost === null ? unlessGap(gap, ranked?.p_churn ?? churnProbability(evaluation.score, curve)) : null;
  const overruled = ranked?.band === 'yellow' && evaluation.band === 'green' && !evaluation.stale && lost === null;
  const model = ranked ? inUse : null;
  const curveText = model
    ? modelInWords(model.method)
    : calibration?.method === 'logistic'
      ? 'curve calibrated from this book'
      : 'default curve';
  const urgency = urgencyFactor(evaluation.daysToRenewal, config.urgency);
  const ear = probability === null ? null : expectedArrAtRisk(account.arr, probability, urgency);
  const { rate } = fxRate(config, account.currency);

  // History: what was stored each day, and for days never stored, computed now from the same data.
  // A stored day counts only inside the account's history coverage (history-coverage.ts): days
  // whose data changed since, or scored under other weights, wait for the fill (history-fill.ts)
  // and are computed here meanwhile. The as-of day's row is the day's own run's.
  const stored = new Map(store.history(accountId, dayString(historyFrom), asOf).map((r) => [r.as_of, r]));
  const covered = historyWeightsCurrent(db, weights)
    ? historyCoverageRepo(db).of([accountId]).get(accountId)
    : undefined;
  const trusted = (iso: string) =>
    iso === asOf ||
    (covered !== undefined &&
      covered.config_version === version &&
      iso >= covered.from_day &&
      iso <= covered.through_day);
  const created = account.created_at ? dayNumber(account.created_at) : null;
  const history: AccountRisk['history'] = [];
  for (let d = historyFrom; d <= day; d++) {
    if (created !== null && d < created) continue;
    if (account.churned_at && dayString(d) > account.churned_at) break;
    const iso = dayString(d);
    const row = trusted(iso) ? stored.get(iso) : undefined;
    if (row) history.push({ asOf: iso, score: row.score, band: row.band });
    else {
      const s = scoreDay(bundle, d, config, params);
      history.push({ asOf: iso, score: s.score, band: s.band });
    }
  }

  const rankRow = db.prepare<{ asOf: string; accountId: string }, { rank: number }>(RANK_SQL).get({ asOf, accountId });

  // Time in status runs to the as-of day when looking at the past, to now otherwise.
  const statusEnd = now < endOfDayInstant(day) ? now : endOfDayInstant(day);
  const itemRows = db
    .prepare<[string], RiskItemRow>(
      "SELECT * FROM risk_items WHERE account_id = ? ORDER BY (status IN ('open', 'in_progress')) DESC, item_id DESC LIMIT 100",
    )
    .all(accountId);
  const items = itemRows.map((i) => itemDto(db, i, asOf, statusEnd));

  const contacts = contactsRepo(db)
    .forAccount(accountId)
    .map((c) => ({
      contactId: c.contact_id,
      name: c.name,
      email: c.email,
      role: c.role,
      isChampion: c.is_champion,
      active: c.active,
      lastSeenAt: c.last_seen_at,
    }));

  return {
    asOf,
    account: {
      accountId,
      name: account.name,
      owner: account.owner_email,
      segment: account.segment,
      plan: account.plan,
      arr: account.arr,
      currency: account.currency,
      arrUsd: account.arr * rate,
      locale: account.locale,
      seatsPurchased: account.seats_purchased,
      usageLimit: account.usage_limit,
      renewalDate: account.renewal_date,
      createdAt: account.created_at,
      lifecycleStage: account.lifecycle_stage,
      status: account.status,
      churnedAt: account.churned_at,
    },
    active: status === 'active',
    churnedOn: lost,
    score: lost === null ? unlessGap(gap, evaluation.score) : null,
    dataGap: gap,
    band: lost === null ? (overruled ? 'yellow' : evaluation.band) : null,
    // No trend from stale data either: its change is as little evidence as its score.
    trend: lost === null ? unlessGap(gap, evaluation.trend) : null,
    delta: lost === null ? unlessGap(gap, evaluation.delta) : null,
    previous: evaluation.previous,
    summary:
      lost !== null
        ? `Churned on ${lost}: a lost customer has no health score, band or P(churn).`
        : overruled && probability !== null
          ? overruledSummary(evaluation.summary, probability)
          : evaluation.summary,
    stale: lost === null && evaluation.stale,
    dataThrough: evaluation.dataThrough,
    dataAgeDays: evaluation.dataAgeDays,
    staleAfterDays: config.dataQuality.staleAfterDays,
    dataByKind: Object.fromEntries(
      Object.entries(newestByKind(bundle, day)).map(([kind, d]) => [kind, d === null ? null : dayString(d)]),
    ),
    insufficientData: evaluation.insufficientData,
    renewalOverdue: lost === null && evaluation.renewalOverdue,
    change: lost === null ? unlessGap(gap, evaluation.change) : null,
    movers: evaluation.movers,
    components: evaluation.components,
    money: {
      pChurn: probability,
      urgency,
      expectedArrAtRisk: ear,
      expectedArrAtRiskUsd: ear === null ? null : ear * rate,
      horizonDays: calibration?.horizon_days ?? config.churnCurve.horizonDays,
      curve: calibration?.method ?? 'default',
      // Only beside a forecast: no P(churn) shown needs no caveat about it.
      caveat: probability === null ? null : forecastCaveat(inUse, 'app'),
      explanation:
        lost !== null
          ? `No P(churn) forecast: the account churned on ${lost}.`
          : probability === null
            ? `No P(churn) forecast: ${gap === 'stale' ? 'the data is stale, and a forecast from data that stopped arriving would read as health' : 'there is no usage or engagement data to forecast from'}.`
            : `${describeMoney(probability, urgency, calibration?.horizon_days ?? config.churnCurve.horizonDays)} (${curveText}).`,
    },
    rank: rankRow?.rank ?? null,
    reasons: lost !== null ? [] : overruled ? (JSON.parse(ranked.reasons_json) as string[]) : evaluation.reasons,
    triggers: evaluation.checks.map((c) => ({
      id: c.id,
      label: DEFAULT_TRIGGERS[c.id].label,
      fired: c.fired,
      text: c.text,
      priority: triggers[c.id].priority,
      tier: triggers[c.id].tier,
      description: DEFAULT_TRIGGERS[c.id].description,
    })),
    history,
    items,
    contacts,
    timeline: timeline(db, accountId, day, itemRows),
    bands: config.bands,
    configVersion: version,
    weights: { source: weights.source, values: weights.values },
  };
}

function timeline(db: Db, accountId: string, day: number, items: readonly RiskItemRow[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const events = db
    .prepare<
      [string, string, string],
      { occurred_at: string; type: string; value: number | null; detail: string | null }
    >(
      'SELECT occurred_at, type, value, detail FROM events WHERE account_id = ? AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at DESC LIMIT 200',
    )
    .all(accountId, startOfDayInstant(day - 180), endOfDayInstant(day));
  for (const e of events) {
    // Money is left to the screen (Intl, the user's locale); other values, such as an NPS score, read as they are.
    const amount = e.value !== null && isMoneyEvent(e.type) ? e.value : null;
    const title = `${eventTitle(e.type)}${e.value !== null && amount === null ? ` ${e.value}` : ''}`;
    entries.push({ at: e.occurred_at, kind: 'event', type: e.type, title, amount, detail: e.detail });
  }
  const asOf = dayString(day);
  for (const item of items) {
    const label = isTriggerId(item.trigger_id) ? DEFAULT_TRIGGERS[item.trigger_id].label : item.trigger_id;
    if (item.first_fired_on <= asOf)
      entries.push({
        at: item.first_fired_on,
        kind: 'risk_item',
        type: 'opened',
        title: `Risk item opened: ${label}${item.is_control ? ' (control group)' : ''}`,
        amount: null,
        detail: item.evidence,
      });
    if (item.closed_on && item.closed_on <= asOf)
      entries.push({
        at: item.closed_on,
        kind: 'risk_item',
        type: item.status,
        title: `Risk item ${item.status}: ${label}`,
        amount: null,
        detail: item.close_reason,
      });
  }
  const interventions = db
    .prepare<
      [string],
      {
        trigger_id: string;
        channel: string;
        status: string;
        planned_at: string | null;
        sent_at: string | null;
        created_at: string;
        notes: string | null;
      }
    >(
      'SELECT trigger_id, channel, status, planned_at, sent_at, created_at, notes FROM interventions WHERE account_id = ? ORDER BY created_at DESC LIMIT 100',
    )
    .all(accountId);
  for (const i of interventions) {
    const at = i.sent_at ?? i.planned_at ?? i.created_at;
    if (at.slice(0, 10) > asOf) continue;
    const label = isTriggerId(i.trigger_id) ? DEFAULT_TRIGGERS[i.trigger_id].label : i.trigger_id;
    entries.push({
      at,
      kind: 'intervention',
      type: i.status,
      title: `Intervention (${i.channel.replace('_', '-')}, ${i.status}): ${label}`,
      amount: null,
      detail: i.notes,
    });
  }
  // Newest first; a day-only date sorts as the start of its day. ISO instants in UTC sort by their
  // characters: compared as plain strings, not with localeCompare, whose first call starts ICU's
  // collator (about 10 ms of a one-shot `foresight account`, issue 16).
  const key = (at: string) => (at.length === 10 ? `${at}T00` : at);
  return entries.sort((a, b) => compareDesc(key(a.at), key(b.at))).slice(0, 250);
}

const compareDesc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/**
 * The summary of an account the churn model moved from green to yellow (model/agreement.ts): the
 * health score is green on its own and the page's band is yellow, so the sentence says both, not
 * "Score 99 (green)" beside a yellow badge.
 */
function overruledSummary(summary: string, probability: number): string {
  return summary.replace(
    /^Score (\d+) \(green\) from/,
    (_all, score: string) =>
      `Health score ${score}, green on its own; the churn model's P(churn) of ${pChurnText(probability)} puts it at yellow. Scored from`,
  );
}
