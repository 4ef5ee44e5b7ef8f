/**
 * The seven health components. Each turns raw inputs into 0–100 with thresholds from the
 * configuration, or reports that it has no data (and is then left out of the score). Computing a
 * component returns numbers only; `describeComponent` writes the sentence, so the history backfill
 * (millions of evaluations) never builds strings it would throw away.
 */
import { countBetween, eventsOf, lastIndexOnOrBefore, type AccountBundle, type Series } from './bundle.ts';
import type { ComponentId, ComponentParams } from './config.ts';
import { bookHas } from './data-age.ts';
import { unpaidFailures } from './unpaid.ts';
import { day as dayText, dayAgo, num, outOf100, percent, plural, signedPercent } from './explain.ts';

export type Inputs = Record<string, number | string | null>;

export interface ComponentValue {
  id: ComponentId;
  /** 0–100, or null when the component has no data. */
  score: number | null;
  inputs: Inputs;
}

/** Linear from 0 at `zeroAt` to 100 at `fullAt` (either direction), clamped. */
export function ramp(x: number, zeroAt: number, fullAt: number): number {
  if (fullAt === zeroAt) return x >= fullAt ? 100 : 0;
  const t = (x - zeroAt) / (fullAt - zeroAt);
  return Math.max(0, Math.min(100, t * 100));
}

const METRIC_LABELS: Record<string, string> = { active_users: 'active users', usage: 'usage' };

/** active_users when it has data around `day`, else usage. Shared with the usage_drop trigger. */
export function usageSeries(
  bundle: AccountBundle,
  from: number,
  to: number,
): { metric: string; series: Series } | null {
  for (const metric of ['active_users', 'usage']) {
    const series = bundle.metrics.get(metric);
    if (series && series.hasDataBetween(from, to)) return { metric, series };
  }
  return null;
}

function usageTrend(bundle: AccountBundle, day: number, p: ComponentParams['usage_trend']): ComponentValue {
  const recentFrom = day - p.recentDays + 1;
  const baseTo = recentFrom - 1;
  const baseFrom = baseTo - p.baselineDays + 1;
  const found = usageSeries(bundle, baseFrom, day);
  if (!found) return { id: 'usage_trend', score: null, inputs: { missing: 'no active-user or usage data' } };
  const recent = found.series.mean(recentFrom, day, 1);
  const baseline = found.series.mean(baseFrom, baseTo, p.minBaselineDays);
  if (!recent || !baseline) {
    const have = found.series.window(baseFrom, baseTo).n;
    return {
      id: 'usage_trend',
      score: null,
      inputs: {
        missing: `only ${plural(have, 'day')} of ${METRIC_LABELS[found.metric]} in the ${p.baselineDays}-day baseline (needs ${p.minBaselineDays})`,
      },
    };
  }
  // A tiny baseline makes any ratio meaningless ("0 vs 0 (−100%)"): no trend to judge.
  if (baseline.mean < p.minBaselineMean || baseline.mean <= 0) {
    return {
      id: 'usage_trend',
      score: null,
      inputs: {
        missing: `the ${p.baselineDays}-day baseline of ${METRIC_LABELS[found.metric]} is ${num(baseline.mean)}, below the floor of ${num(p.minBaselineMean)}, too small to compare`,
      },
    };
  }
  const ratio = recent.mean / baseline.mean;
  const score = ramp(ratio, p.zeroAtRatio, p.fullAtRatio);
  return {
    id: 'usage_trend',
    score,
    inputs: { metric: found.metric, recent: recent.mean, baseline: baseline.mean, ratio },
  };
}

function adoption(bundle: AccountBundle, day: number, p: ComponentParams['adoption']): ComponentValue {
  const purchased = bundle.account.seats_purchased;
  if (!purchased || purchased <= 0)
    return { id: 'adoption', score: null, inputs: { missing: 'no seats purchased on record' } };
  const used = bundle.metrics.get('seats_used')?.mean(day - p.recentDays + 1, day, 1);
  if (!used)
    return { id: 'adoption', score: null, inputs: { missing: `no seats_used data in the last ${p.recentDays} days` } };
  const utilisation = used.mean / purchased;
  return {
    id: 'adoption',
    score: ramp(utilisation, p.zeroAtUtilisation, p.fullAtUtilisation),
    inputs: { used: used.mean, purchased, utilisation },
  };
}

function billing(bundle: AccountBundle, day: number, p: ComponentParams['billing']): ComponentValue {
  const failed = eventsOf(bundle, 'payment_failed');
  const succeeded = eventsOf(bundle, 'payment_succeeded');
  const lookbackFrom = day - p.lookbackDays + 1;
  if (countBetween(failed, lookbackFrom, day) + countBetween(succeeded, lookbackFrom, day) === 0) {
    return { id: 'billing', score: null, inputs: { missing: `no payment events in the last ${p.lookbackDays} days` } };
  }
  const unpaid = unpaidFailures(bundle, day, p.windowDays);
  return {
    id: 'billing',
    score: Math.max(0, 100 - p.penaltyPerFailure * unpaid.count),
    inputs: {
      unresolved: unpaid.count,
      latestFailedOn: unpaid.latestFailedOn,
      lastSucceededOn: unpaid.lastSucceededOn,
    },
  };
}

/** The last day with any activity: a login (account or contact level) or an active user. */
export function lastActiveDay(
  bundle: AccountBundle,
  day: number,
  horizon: number,
): { last: number | null; tracked: boolean } {
  let last: number | null = null;
  let tracked = false;
  const consider = (series: Series | undefined) => {
    if (!series || series.start > day) return;
    tracked = true;
    const found = series.lastPositive(day, horizon);
    if (found !== null && (last === null || found > last)) last = found;
  };
  consider(bundle.metrics.get('logins'));
  consider(bundle.metrics.get('active_users'));
  for (const series of bundle.contactLogins.values()) consider(series);
  return { last, tracked };
}

function engagement(bundle: AccountBundle, day: number, p: ComponentParams['engagement']): ComponentValue {
  const { last, tracked } = lastActiveDay(bundle, day, p.zeroAfterDays);
  if (!tracked) return { id: 'engagement', score: null, inputs: { missing: 'no login or active-user data' } };
  if (last === null) return { id: 'engagement', score: 0, inputs: { lastActiveOn: null, daysSince: null } };
  const daysSince = day - last;
  return {
    id: 'engagement',
    score: ramp(daysSince, p.zeroAfterDays, p.fullWithinDays),
    inputs: { lastActiveOn: last, daysSince },
  };
}

function support(bundle: AccountBundle, day: number, p: ComponentParams['support']): ComponentValue {
  // Zero tickets is health only in a book that records tickets at all.
  if (!bookHas(bundle.book, 'tickets', day))
    return { id: 'support', score: null, inputs: { missing: 'the book holds no ticket data' } };
  const opened = eventsOf(bundle, 'ticket_opened');
  const recentFrom = day - p.windowDays + 1;
  const tickets = countBetween(opened, recentFrom, day);
  const baselineTickets = countBetween(opened, recentFrom - p.baselineDays, recentFrom - 1);
  const monthly = (baselineTickets * p.windowDays) / p.baselineDays;
  const multiple = tickets / Math.max(monthly, 1);
  const escalations = countBetween(eventsOf(bundle, 'ticket_escalated'), day - p.escalationDays + 1, day);
  const score = Math.max(
    0,
    (tickets === 0 ? 100 : ramp(multiple, p.zeroAtMultiple, p.fullAtMultiple)) - escalations * p.escalationPenalty,
  );
  return { id: 'support', score, inputs: { tickets, monthly, multiple, escalations } };
}

/** Detractors (0…detractorMax) fall in 0…detractorTop; passives and promoters rise from passiveFloor to 100 at 10. */
export function npsScore(value: number, p: ComponentParams['sentiment']): number {
  if (value <= p.detractorMax)
    return p.detractorMax > 0 ? Math.max(0, (value / p.detractorMax) * p.detractorTop) : p.detractorTop;
  const span = 10 - (p.detractorMax + 1);
  return Math.min(
    100,
    span > 0 ? p.passiveFloor + ((value - p.detractorMax - 1) / span) * (100 - p.passiveFloor) : 100,
  );
}

function sentiment(bundle: AccountBundle, day: number, p: ComponentParams['sentiment']): ComponentValue {
  const nps = eventsOf(bundle, 'nps_response');
  const i = lastIndexOnOrBefore(nps, day);
  if (i < 0 || (nps.days[i] as number) < day - p.windowDays + 1 || nps.values[i] === null) {
    return { id: 'sentiment', score: null, inputs: { missing: `no NPS response in the last ${p.windowDays} days` } };
  }
  const value = nps.values[i] as number;
  return { id: 'sentiment', score: npsScore(value, p), inputs: { nps: value, respondedOn: nps.days[i] as number } };
}

export interface ChampionState {
  present: boolean;
  /** Name of the current champion, or of the one who left. */
  name: string | null;
  contactId: string | null;
  leftOn: number | null;
}

/**
 * Whether a champion is in place on `day`: the latest champion_left / champion_assigned event up to
 * that day decides; without one, the contacts as they are now do.
 */
export function championState(bundle: AccountBundle, day: number): ChampionState {
  const left = eventsOf(bundle, 'champion_left');
  const assigned = eventsOf(bundle, 'champion_assigned');
  const l = lastIndexOnOrBefore(left, day);
  const a = lastIndexOnOrBefore(assigned, day);
  const current = bundle.contacts.find((c) => c.is_champion && c.active) ?? null;
  const nameOf = (id: string | null) => (id ? (bundle.contacts.find((c) => c.contact_id === id)?.name ?? null) : null);
  if (l >= 0 && (a < 0 || (left.at[l] as string) > (assigned.at[a] as string))) {
    const contactId = left.contacts[l] ?? null;
    return { present: false, name: nameOf(contactId), contactId, leftOn: left.days[l] as number };
  }
  if (a >= 0) {
    const contactId = assigned.contacts[a] ?? current?.contact_id ?? null;
    return { present: true, name: nameOf(contactId) ?? current?.name ?? null, contactId, leftOn: null };
  }
  return {
    present: current !== null,
    name: current?.name ?? null,
    contactId: current?.contact_id ?? null,
    leftOn: null,
  };
}

function relationship(bundle: AccountBundle, day: number, p: ComponentParams['relationship']): ComponentValue {
  const touches = eventsOf(bundle, 'csm_touch');
  const t = lastIndexOnOrBefore(touches, day);
  const hasChampionEvents =
    lastIndexOnOrBefore(eventsOf(bundle, 'champion_left'), day) >= 0 ||
    lastIndexOnOrBefore(eventsOf(bundle, 'champion_assigned'), day) >= 0;
  if (bundle.contacts.length === 0 && t < 0 && !hasChampionEvents) {
    return { id: 'relationship', score: null, inputs: { missing: 'no contacts and no CSM touches on record' } };
  }
  const champion = championState(bundle, day);
  const daysSinceTouch = t >= 0 ? day - (touches.days[t] as number) : null;
  // A book without CSM touch records cannot say a touch is overdue: the champion alone decides.
  const touchesKnown = bookHas(bundle.book, 'touches', day);
  const touchPoints =
    daysSinceTouch === null
      ? 0
      : (ramp(daysSinceTouch, p.touchZeroAfterDays, p.touchFullWithinDays) * (100 - p.championPoints)) / 100;
  const score = touchesKnown ? (champion.present ? p.championPoints : 0) + touchPoints : champion.present ? 100 : 0;
  return {
    id: 'relationship',
    score,
    inputs: {
      champion: champion.present ? 1 : 0,
      championName: champion.name,
      championLeftOn: champion.leftOn,
      lastTouchOn: t >= 0 ? (touches.days[t] as number) : null,
      daysSinceTouch,
      touchesKnown: touchesKnown ? 1 : 0,
    },
  };
}

export function computeComponent(
  id: ComponentId,
  bundle: AccountBundle,
  day: number,
  params: ComponentParams,
): ComponentValue {
  switch (id) {
    case 'usage_trend':
      return usageTrend(bundle, day, params.usage_trend);
    case 'adoption':
      return adoption(bundle, day, params.adoption);
    case 'billing':
      return billing(bundle, day, params.billing);
    case 'engagement':
      return engagement(bundle, day, params.engagement);
    case 'support':
      return support(bundle, day, params.support);
    case 'sentiment':
      return sentiment(bundle, day, params.sentiment);
    case 'relationship':
      return relationship(bundle, day, params.relationship);
  }
}

const n = (inputs: Inputs, key: string) => inputs[key] as number;

/** The rule a component applies, in words, with its thresholds. */
export function describeRule(id: ComponentId, params: ComponentParams): string {
  switch (id) {
    case 'usage_trend': {
      const p = params.usage_trend;
      return `${p.recentDays}-day mean of active users (or usage) against the ${p.baselineDays} days before: 0 at ≤${percent(p.zeroAtRatio)} of the baseline, 100 at ≥${percent(p.fullAtRatio)}; no data when the baseline is below ${num(p.minBaselineMean)}`;
    }
    case 'adoption': {
      const p = params.adoption;
      return `${p.recentDays}-day mean of seats used ÷ seats purchased: 0 at ≤${percent(p.zeroAtUtilisation)}, 100 at ≥${percent(p.fullAtUtilisation)}`;
    }
    case 'billing': {
      const p = params.billing;
      return `100 minus ${p.penaltyPerFailure} per failed payment in ${p.windowDays} days with no successful payment after it`;
    }
    case 'engagement': {
      const p = params.engagement;
      return `days since the last login or active user: 100 within ${p.fullWithinDays} days, 0 after ${p.zeroAfterDays}`;
    }
    case 'support': {
      const p = params.support;
      return `tickets in ${p.windowDays} days against the monthly mean of the ${p.baselineDays} days before (at least 1): 100 at ≤${num(p.fullAtMultiple)}×, 0 at ≥${num(p.zeroAtMultiple)}×; minus ${p.escalationPenalty} per escalation in ${p.escalationDays} days`;
    }
    case 'sentiment': {
      const p = params.sentiment;
      return `latest NPS answer in ${p.windowDays} days: detractors (0–${p.detractorMax}) score 0–${p.detractorTop}, ${p.detractorMax + 1} scores ${p.passiveFloor}, rising to 100 at 10`;
    }
    case 'relationship': {
      const p = params.relationship;
      return `${p.championPoints} for an active champion, plus up to ${100 - p.championPoints} for CSM touch recency (full within ${p.touchFullWithinDays} days, none after ${p.touchZeroAfterDays})`;
    }
  }
}

/** One sentence: the raw inputs and the resulting score, e.g. "active users 14-day mean 12 vs 28-day baseline 31 (−61%) → 18/100". */
export function describeComponent(value: ComponentValue, day: number, params: ComponentParams): string {
  const { inputs, score } = value;
  if (score === null) return `No data: ${inputs.missing ?? 'nothing to measure'}; left out of the score.`;
  const result = ` → ${outOf100(score)}`;
  switch (value.id) {
    case 'usage_trend': {
      const p = params.usage_trend;
      const label = METRIC_LABELS[inputs.metric as string] ?? String(inputs.metric);
      const change = signedPercent(n(inputs, 'ratio') - 1);
      return `${label} ${p.recentDays}-day mean ${num(n(inputs, 'recent'))} vs ${p.baselineDays}-day baseline ${num(n(inputs, 'baseline'))} (${change})${result}`;
    }
    case 'adoption':
      return `seats used ${params.adoption.recentDays}-day mean ${num(n(inputs, 'used'))} of ${num(n(inputs, 'purchased'))} purchased (${percent(n(inputs, 'utilisation'))})${result}`;
    case 'billing': {
      const windowDays = params.billing.windowDays;
      const unresolved = n(inputs, 'unresolved');
      const lastOk = inputs.lastSucceededOn as number | null;
      if (unresolved === 0) {
        return `no unresolved failed payments in ${windowDays} days${lastOk !== null ? `; last payment succeeded ${dayAgo(lastOk, day)}` : ''}${result}`;
      }
      return `${plural(unresolved, 'failed payment')} in ${windowDays} days with none succeeding since (latest failed ${dayText(n(inputs, 'latestFailedOn'))})${result}`;
    }
    case 'engagement': {
      const last = inputs.lastActiveOn as number | null;
      return last === null
        ? `no logins or active users in the last ${params.engagement.zeroAfterDays} days${result}`
        : `last login or active user ${dayAgo(last, day)}${result}`;
    }
    case 'support': {
      const p = params.support;
      const escalations = n(inputs, 'escalations');
      const esc = escalations > 0 ? `; ${plural(escalations, 'escalation')} in ${p.escalationDays} days` : '';
      return `${plural(n(inputs, 'tickets'), 'ticket')} opened in ${p.windowDays} days vs ${num(n(inputs, 'monthly'))}/month over the prior ${p.baselineDays} days (${num(n(inputs, 'multiple'))}×)${esc}${result}`;
    }
    case 'sentiment': {
      const nps = n(inputs, 'nps');
      const kind = nps <= params.sentiment.detractorMax ? 'detractor' : nps >= 9 ? 'promoter' : 'passive';
      return `latest NPS ${num(nps)} (${kind}) on ${dayAgo(n(inputs, 'respondedOn'), day)}${result}`;
    }
    case 'relationship': {
      const name = inputs.championName as string | null;
      const leftOn = inputs.championLeftOn as number | null;
      const champion = n(inputs, 'champion')
        ? `champion ${name ?? '(unnamed)'} in place`
        : leftOn !== null
          ? `no champion since ${name ?? 'the champion'} left ${dayAgo(leftOn, day)}`
          : 'no active champion';
      const lastTouch = inputs.lastTouchOn as number | null;
      const touch =
        inputs.touchesKnown === 0
          ? 'touch recency left out (the book holds no CSM touches)'
          : lastTouch === null
            ? 'no CSM touch on record'
            : `last CSM touch ${dayAgo(lastTouch, day)}`;
      return `${champion}; ${touch}${result}`;
    }
  }
}
