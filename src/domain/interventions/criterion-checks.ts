/**
 * One check per kind of success criterion: when it is due, the first day it is met, what fails it
 * early, and why it cannot be judged when its data never arrived. Every read starts at the
 * episode's opening (strictly after the firing observation; see criteria.ts).
 */
import { addDays, daysBetween } from '../contract/dates.ts';
import { metricWords } from '../contract/metric-words.ts';
import { eventPhrase, eventTitle } from '../../shared/event-labels.ts';
import type { SuccessCriterion } from '../risk/catalog.ts';
import type { Episode, Opening } from './criteria.ts';
import type { MetricPoint, OutcomeData } from './outcome-data.ts';

/** A sentence that starts with a metric's words. */
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export type Found = { on: string; evidence: string } | null;

export interface Check {
  dueOn: string | null;
  /** The first day the criterion is met, looking no further than `until`. */
  success(until: string): Found;
  /** A result that fails the episode before the window ends (a detractor answering again). */
  earlyFailure?(until: string): Found;
  /** Why the outcome cannot be judged, when the data it needs never arrived; null if it can. */
  missing(until: string): string | null;
  failureEvidence: string;
  pendingEvidence: string;
}

const dayStart = (day: string) => `${day}T00:00:00.000Z`;
const dayAfter = (day: string) => dayStart(addDays(day, 1));
const dayOf = (instant: string) => instant.slice(0, 10);
export const dayCount = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

type Criterion<K extends SuccessCriterion['kind']> = Extract<SuccessCriterion, { kind: K }>;

/** What every check reads: the episode, where its evidence opens, and the shared helpers. */
interface CheckContext {
  id: string;
  episode: Episode;
  startOn: string;
  open: Opening;
  data: OutcomeData;
  /** "after the intervention" or "after the firing", for the evidence sentence. */
  after: string;
  /** Why an event criterion cannot be judged (no data at all arrived), or null. */
  noData(until: string): string | null;
  /** The first event of a type after the opening, with its sentence. */
  firstEvent(type: string, until: string): Found;
}

export function buildCheck(
  criterion: SuccessCriterion,
  episode: Episode,
  startOn: string,
  open: Opening,
  data: OutcomeData,
): Check {
  const id = episode.accountId;
  const after = `after ${episode.startedBy}`;
  const ctx: CheckContext = {
    id,
    episode,
    startOn,
    open,
    data,
    after,
    noData: (until) =>
      data.anyData(id, open.on, until)
        ? null
        : `No data arrived for this account between ${open.on} and ${until}, so the outcome cannot be judged.`,
    firstEvent(type, until) {
      const hit = data.events(id, type, open.at, dayAfter(until))[0];
      if (!hit) return null;
      const on = dayOf(hit.occurred_at);
      return { on, evidence: `${eventTitle(type)} on ${on}, ${dayCount(daysBetween(startOn, on))} ${after}.` };
    },
  };
  switch (criterion.kind) {
    case 'event_within':
      return eventWithinCheck(criterion, ctx);
    case 'metric_positive_within':
      return metricPositiveWithinCheck(criterion, ctx);
    case 'contact_login_within':
      return contactLoginWithinCheck(criterion, ctx);
    case 'metric_recovers':
      return metricRecoversCheck(criterion, ctx);
    case 'utilisation_at_least':
      return utilisationAtLeastCheck(criterion, ctx);
    case 'event_by_renewal':
      return eventByRenewalCheck(criterion, ctx);
    case 'tickets_back_to_baseline':
      return ticketsBackToBaselineCheck(criterion, ctx);
    case 'nps_at_least':
      return npsAtLeastCheck(criterion, ctx);
    case 'latency_back_to_norm':
      return latencyBackToNormCheck(criterion, ctx);
  }
}

function eventWithinCheck(criterion: Criterion<'event_within'>, ctx: CheckContext): Check {
  const { startOn, noData, firstEvent } = ctx;
  const dueOn = addDays(startOn, criterion.days);
  return {
    dueOn,
    success: (until) => firstEvent(criterion.event, until),
    missing: noData,
    failureEvidence: `Did not see ${eventPhrase(criterion.event)} within ${dayCount(criterion.days)} (by ${dueOn}).`,
    pendingEvidence: `Waiting for ${eventPhrase(criterion.event)} until ${dueOn}.`,
  };
}

function metricPositiveWithinCheck(criterion: Criterion<'metric_positive_within'>, ctx: CheckContext): Check {
  const { id, startOn, open, data, after } = ctx;
  const dueOn = addDays(startOn, criterion.days);
  return {
    dueOn,
    success(until) {
      const hit = data.metric(id, criterion.metric, '', open.on, until).find((p) => p.value > 0);
      return hit
        ? {
            on: hit.date,
            evidence: `${capitalised(metricWords(criterion.metric))} was ${formatNumber(hit.value)} on ${hit.date}, ${dayCount(daysBetween(startOn, hit.date))} ${after}.`,
          }
        : null;
    },
    missing: (until) =>
      data.metric(id, criterion.metric, '', open.on, until).length === 0
        ? `No ${metricWords(criterion.metric)} values arrived between ${open.on} and ${until}, so the outcome cannot be judged.`
        : null,
    failureEvidence: `${capitalised(metricWords(criterion.metric))} stayed at 0 for ${dayCount(criterion.days)} (to ${dueOn}).`,
    pendingEvidence: `Waiting for ${metricWords(criterion.metric)} above 0 until ${dueOn}.`,
  };
}

function contactLoginWithinCheck(criterion: Criterion<'contact_login_within'>, ctx: CheckContext): Check {
  const { episode, startOn, open, data, after } = ctx;
  const dueOn = addDays(startOn, criterion.days);
  const contacts = (until: string) => loginSeries(episode, open.on, until, data);
  return {
    dueOn,
    success(until) {
      let best: { contact: string; point: MetricPoint } | null = null;
      for (const [contact, points] of contacts(until).inWindow) {
        const hit = points.find((p) => p.value > 0);
        if (hit && (!best || hit.date < best.point.date)) best = { contact, point: hit };
      }
      return best
        ? {
            on: best.point.date,
            evidence: `Contact ${best.contact} logged in on ${best.point.date}, ${dayCount(daysBetween(startOn, best.point.date))} ${after}.`,
          }
        : null;
    },
    missing(until) {
      const { inWindow, who } = contacts(until);
      if (who.length === 0) return 'The quiet contact could not be identified, so the outcome cannot be judged.';
      return [...inWindow.values()].some((points) => points.length > 0)
        ? null
        : `No login data arrived for ${who.join(', ')} between ${open.on} and ${until}, so the outcome cannot be judged.`;
    },
    failureEvidence: `The contact did not log in within ${dayCount(criterion.days)} (by ${dueOn}).`,
    pendingEvidence: `Waiting for the contact to log in until ${dueOn}.`,
  };
}

function metricRecoversCheck(criterion: Criterion<'metric_recovers'>, ctx: CheckContext): Check {
  const { id, episode, startOn, open, data, after } = ctx;
  const dueOn = addDays(startOn, criterion.days);
  const recent = episode.params.recentDays ?? criterion.windowDays;
  const baselineDays = episode.params.baselineDays ?? 28;
  const baselineTo = addDays(episode.firedOn, -recent);
  const baselineFrom = addDays(baselineTo, -(baselineDays - 1));
  const pick = () => {
    for (const name of [criterion.metric, criterion.fallbackMetric].filter((m): m is string => !!m)) {
      const points = data.metric(id, name, '', baselineFrom, baselineTo);
      const mean = meanOf(points, baselineDays);
      if (mean !== null && mean > 0) return { name, baseline: mean };
    }
    return null;
  };
  const chosen = pick();
  const target = chosen ? chosen.baseline * criterion.share : null;
  return {
    dueOn,
    success(until) {
      if (!chosen || target === null) return null;
      const hit = firstRollingDay(
        data.metric(id, chosen.name, '', open.on, until),
        open.on,
        until,
        criterion.windowDays,
        (mean) => mean >= target,
      );
      return hit
        ? {
            on: hit.on,
            evidence: `The ${criterion.windowDays}-day mean of ${metricWords(chosen.name)} reached ${formatNumber(hit.mean)} on ${hit.on} (${Math.round((hit.mean / chosen.baseline) * 100)}% of the baseline ${formatNumber(chosen.baseline)}), ${dayCount(daysBetween(startOn, hit.on))} ${after}.`,
          }
        : null;
    },
    missing(until) {
      if (!chosen)
        return `There is no ${metricWords(criterion.metric)} baseline before ${episode.firedOn}, so recovery cannot be judged.`;
      return data.metric(id, chosen.name, '', open.on, until).length === 0
        ? `No ${metricWords(chosen.name)} values arrived between ${open.on} and ${until}, so the outcome cannot be judged.`
        : null;
    },
    failureEvidence: chosen
      ? `The ${criterion.windowDays}-day mean of ${metricWords(chosen.name)} did not get back to ${Math.round(criterion.share * 100)}% of the baseline ${formatNumber(chosen.baseline)} by ${dueOn}.`
      : `No recovery by ${dueOn}.`,
    pendingEvidence: chosen
      ? `Waiting for the ${criterion.windowDays}-day mean of ${metricWords(chosen.name)} to reach ${formatNumber(target ?? 0)} until ${dueOn}.`
      : `Waiting until ${dueOn}.`,
  };
}

function utilisationAtLeastCheck(criterion: Criterion<'utilisation_at_least'>, ctx: CheckContext): Check {
  const { id, startOn, open, data, after } = ctx;
  const dueOn = addDays(startOn, criterion.days);
  const seats = data.account(id)?.seats_purchased ?? null;
  return {
    dueOn,
    success(until) {
      if (!seats) return null;
      const hit = data.metric(id, 'seats_used', '', open.on, until).find((p) => p.value / seats >= criterion.share);
      return hit
        ? {
            on: hit.date,
            evidence: `${formatNumber(hit.value)} of ${seats} seats were in use on ${hit.date} (${Math.round((hit.value / seats) * 100)}%), ${dayCount(daysBetween(startOn, hit.date))} ${after}.`,
          }
        : null;
    },
    missing(until) {
      if (!seats) return 'The account has no purchased seats on record, so utilisation cannot be judged.';
      return data.metric(id, 'seats_used', '', open.on, until).length === 0
        ? `No ${metricWords('seats_used')} values arrived between ${open.on} and ${until}, so the outcome cannot be judged.`
        : null;
    },
    failureEvidence: `Seat utilisation stayed below ${Math.round(criterion.share * 100)}% until ${dueOn}.`,
    pendingEvidence: `Waiting for seat utilisation to reach ${Math.round(criterion.share * 100)}% until ${dueOn}.`,
  };
}

function eventByRenewalCheck(criterion: Criterion<'event_by_renewal'>, ctx: CheckContext): Check {
  const { id, startOn, data, noData, firstEvent } = ctx;
  const renewal = data.account(id)?.renewal_date ?? null;
  const dueOn = addDays(renewal && renewal > startOn ? renewal : startOn, criterion.graceDays);
  return {
    dueOn,
    success: (until) => firstEvent(criterion.event, until),
    missing: (until) => (renewal ? noData(until) : `The account has no renewal date, so renewal cannot be judged.`),
    failureEvidence: `Did not see ${eventPhrase(criterion.event)} by ${dueOn} (the renewal date ${renewal ?? 'unknown'} plus ${dayCount(criterion.graceDays)}).`,
    pendingEvidence: `Waiting for ${eventPhrase(criterion.event)} until ${dueOn}.`,
  };
}

function ticketsBackToBaselineCheck(criterion: Criterion<'tickets_back_to_baseline'>, ctx: CheckContext): Check {
  const { id, episode, startOn, open, data, after, noData } = ctx;
  const dueOn = addDays(startOn, criterion.days);
  const windowDays = episode.params.windowDays ?? 30;
  const baselineDays = episode.params.baselineDays ?? 90;
  const baselineTo = addDays(episode.firedOn, -windowDays);
  const baselineFrom = addDays(baselineTo, -baselineDays);
  const before = data.events(id, 'ticket_opened', dayStart(baselineFrom), dayStart(baselineTo)).length;
  const monthly = (before * 30) / baselineDays;
  // A month's count is whole tickets: "back to baseline" is at most the baseline rounded up.
  const allowed = Math.ceil(monthly);
  return {
    dueOn,
    success(until) {
      const opened = data
        .events(id, 'ticket_opened', dayStart(addDays(open.on, -29)), dayAfter(until))
        .map((e) => dayOf(e.occurred_at));
      for (let day = open.on; day <= until; day = addDays(day, 1)) {
        const from = addDays(day, -29);
        const count = opened.filter((d) => d >= from && d <= day).length;
        if (count <= allowed) {
          return {
            on: day,
            evidence: `${count} tickets in the 30 days to ${day}, back to the baseline of ${formatNumber(monthly)} a month, ${dayCount(daysBetween(startOn, day))} ${after}.`,
          };
        }
      }
      return null;
    },
    missing: noData,
    failureEvidence: `Monthly tickets stayed above the baseline of ${formatNumber(monthly)} until ${dueOn}.`,
    pendingEvidence: `Waiting for monthly tickets to fall to ${formatNumber(monthly)} until ${dueOn}.`,
  };
}

function npsAtLeastCheck(criterion: Criterion<'nps_at_least'>, ctx: CheckContext): Check {
  const { id, startOn, open, data, after } = ctx;
  const dueOn = addDays(startOn, criterion.days);
  const next = (until: string) =>
    data.events(id, 'nps_response', open.at, dayAfter(until)).find((e) => e.value !== null);
  return {
    dueOn,
    success(until) {
      const hit = next(until);
      return hit && (hit.value ?? 0) >= criterion.score
        ? {
            on: dayOf(hit.occurred_at),
            evidence: `The next NPS answer was ${hit.value} on ${dayOf(hit.occurred_at)}, ${dayCount(daysBetween(startOn, hit.occurred_at))} ${after}.`,
          }
        : null;
    },
    earlyFailure(until) {
      const hit = next(until);
      return hit && (hit.value ?? 0) < criterion.score
        ? {
            on: dayOf(hit.occurred_at),
            evidence: `The next NPS answer was ${hit.value} on ${dayOf(hit.occurred_at)}, below ${criterion.score}.`,
          }
        : null;
    },
    missing: () => `No NPS answer arrived between ${open.on} and ${dueOn}, so the outcome cannot be judged.`,
    failureEvidence: `No NPS answer of ${criterion.score} or more by ${dueOn}.`,
    pendingEvidence: `Waiting for the next NPS answer until ${dueOn}.`,
  };
}

function latencyBackToNormCheck(criterion: Criterion<'latency_back_to_norm'>, ctx: CheckContext): Check {
  const { id, episode, startOn, open, data, after } = ctx;
  const dueOn = addDays(startOn, criterion.days);
  const recent = episode.params.recentDays ?? 3;
  const baselineDays = episode.params.baselineDays ?? 28;
  const normTo = addDays(episode.firedOn, -recent);
  const norm = meanOf(data.metric(id, 'latency_ms', '', addDays(normTo, -(baselineDays - 1)), normTo), baselineDays);
  const limit = norm !== null ? norm * criterion.share : null;
  return {
    dueOn,
    success(until) {
      if (limit === null || norm === null) return null;
      const hit = firstRollingDay(
        data.metric(id, 'latency_ms', '', open.on, until),
        open.on,
        until,
        recent,
        (mean) => mean <= limit,
      );
      return hit
        ? {
            on: hit.on,
            evidence: `The ${recent}-day mean latency was ${formatNumber(hit.mean)} ms on ${hit.on}, within ${Math.round(criterion.share * 100)}% of the norm ${formatNumber(norm)} ms, ${dayCount(daysBetween(startOn, hit.on))} ${after}.`,
          }
        : null;
    },
    missing(until) {
      if (norm === null) return `There is no latency norm before ${episode.firedOn}, so recovery cannot be judged.`;
      return data.metric(id, 'latency_ms', '', open.on, until).length === 0
        ? `No ${metricWords('latency_ms')} values arrived between ${open.on} and ${until}, so the outcome cannot be judged.`
        : null;
    },
    failureEvidence: `Latency stayed above ${Math.round(criterion.share * 100)}% of the norm${norm !== null ? ` (${formatNumber(norm)} ms)` : ''} until ${dueOn}.`,
    pendingEvidence: `Waiting for latency to fall within ${Math.round(criterion.share * 100)}% of the norm until ${dueOn}.`,
  };
}

/** Mean of a series, or null when fewer than half the expected days have a value. */
function meanOf(points: MetricPoint[], expectedDays: number): number | null {
  if (points.length === 0 || points.length < Math.ceil(expectedDays / 2)) return null;
  return points.reduce((sum, p) => sum + p.value, 0) / points.length;
}

/**
 * The first day whose trailing `window`-day mean passes the test, counting only windows that lie
 * wholly after the start (the mean then measures the time since the touch, not the drop before it).
 */
function firstRollingDay(
  points: MetricPoint[],
  startOn: string,
  until: string,
  window: number,
  test: (mean: number) => boolean,
): { on: string; mean: number } | null {
  const byDay = new Map(points.map((p) => [p.date, p.value]));
  for (let day = addDays(startOn, window - 1); day <= until; day = addDays(day, 1)) {
    let sum = 0;
    let count = 0;
    for (let k = 0; k < window; k++) {
      const value = byDay.get(addDays(day, -k));
      if (value !== undefined) {
        sum += value;
        count++;
      }
    }
    if (count >= Math.ceil(window / 2) && test(sum / count)) return { on: day, mean: sum / count };
  }
  return null;
}

/**
 * The per-contact login series to watch: the contact named in the risk item's facts, else the
 * contacts whose logins stopped before the firing (no login in the quiet period, some before).
 */
function loginSeries(
  episode: Episode,
  startOn: string,
  until: string,
  data: OutcomeData,
): { who: string[]; inWindow: Map<string, MetricPoint[]> } {
  const named = [episode.facts.contact_id, episode.facts.contactId].find(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  let who: string[];
  if (named) who = [named];
  else {
    const quiet = episode.params.quietDays ?? 10;
    const baseline = episode.params.baselineDays ?? 28;
    const quietFrom = addDays(episode.firedOn, -(quiet - 1));
    const history = data.metricByContact(episode.accountId, 'logins', addDays(quietFrom, -baseline), episode.firedOn);
    who = [...history.entries()]
      .filter(
        ([, points]) =>
          points.some((p) => p.date < quietFrom && p.value > 0) &&
          !points.some((p) => p.date >= quietFrom && p.value > 0),
      )
      .map(([contact]) => contact);
  }
  const all = data.metricByContact(episode.accountId, 'logins', startOn, until);
  return { who, inWindow: new Map(who.map((c) => [c, all.get(c) ?? []])) };
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value >= 100 ? 0 : 1);
}
