/**
 * Judges one episode (an intervention, or a held-out firing) against its trigger's success
 * criterion as of a date. Pure over the reads in OutcomeData: the same data and date always give
 * the same verdict, so re-evaluating after a late sync simply corrects the result.
 *
 * Windows are whole days: day 0 is the start (the day the intervention was sent, or the day the
 * trigger fired for the control group) and "within N days" means by the end of day N. Data
 * for a day is complete only once the day is over, so a window is decided the day after it ends.
 *
 * Evidence counts only strictly after the observation that fired the trigger. The engine scores
 * whole days, so that observation lies on or before the firing day: events count from the later of
 * the start instant and the end of the firing day, metric days from the later of the start day and
 * the day after the firing. Without this a control detractor would be judged by the very answer
 * that fired it (and always fail), which made outreach look better than it is.
 */
import { addDays, daysBetween } from '../contract/dates.ts';
import type { SuccessCriterion } from '../risk/catalog.ts';
import { buildCheck, dayCount } from './criterion-checks.ts';
import type { OutcomeData } from './outcome-data.ts';

export type Verdict = 'pending' | 'succeeded' | 'failed' | 'expired';

export interface Episode {
  accountId: string;
  triggerId: string;
  /** The instant the window opens (sent_at, or midnight of the firing day). */
  startAt: string;
  /** The day the trigger fired: baselines are measured before it. */
  firedOn: string;
  /** What started it, for the evidence sentence: "the intervention" or "the firing". */
  startedBy: string;
  /** The risk item's facts (may name the contact a power-user criterion is about). */
  facts: Record<string, unknown>;
  /** The trigger's detection parameters (baseline lengths). */
  params: Record<string, number>;
}

export interface Judgement {
  verdict: Verdict;
  startOn: string;
  /** The last day of the window; null when it cannot be known (no renewal date). */
  dueOn: string | null;
  /** The day the verdict was reached (success, churn, failing answer, or the end of the window). */
  outcomeOn: string | null;
  daysToSuccess: number | null;
  evidence: string;
  /** Not churned within 90 days of the start: 1/0, or null until known. */
  retained90d: 0 | 1 | null;
  /** ticket_opened events in the 30 days after the start, or null until the 30 days have passed. */
  tickets30d: number | null;
  /**
   * Inbound tickets in days 31–60 and 61–90 after the start, each null until the period has passed
   * or when the account churned before it began (it is no longer an active account then).
   */
  ticketsLater: [number | null, number | null];
}

/** Where evidence starts counting: strictly after the firing observation, and not before the start. */
export interface Opening {
  /** The first instant an event counts. */
  at: string;
  /** The first day a metric value counts. */
  on: string;
}

export function openingOf(episode: Pick<Episode, 'startAt' | 'firedOn'>): Opening {
  const at = later(episode.startAt, dayAfter(episode.firedOn));
  return { at, on: dayOf(at) };
}

const dayStart = (day: string) => `${day}T00:00:00.000Z`;
const dayAfter = (day: string) => dayStart(addDays(day, 1));
const dayOf = (instant: string) => instant.slice(0, 10);
const earlier = (a: string, b: string) => (a < b ? a : b);
const later = (a: string, b: string) => (a > b ? a : b);

export function judge(criterion: SuccessCriterion, episode: Episode, asOf: string, data: OutcomeData): Judgement {
  const startOn = dayOf(episode.startAt);
  const side = sideMeasures(episode, startOn, asOf, data);
  const base = { startOn, ...side };
  if (asOf < startOn)
    return {
      ...base,
      verdict: 'pending',
      dueOn: null,
      outcomeOn: null,
      daysToSuccess: null,
      evidence: 'Not started yet.',
    };

  const open = openingOf(episode);
  const check = buildCheck(criterion, episode, startOn, open, data);
  const until = check.dueOn ? earlier(check.dueOn, asOf) : asOf;
  const churnOn = churnDate(episode, data, until);
  const limit = churnOn ? earlier(until, addDays(churnOn, -1)) : until;

  const success = limit >= open.on ? check.success(limit) : null;
  if (success) {
    return {
      ...base,
      verdict: 'succeeded',
      dueOn: check.dueOn,
      outcomeOn: success.on,
      daysToSuccess: daysBetween(startOn, success.on),
      evidence: success.evidence,
    };
  }
  const early = limit >= open.on ? (check.earlyFailure?.(limit) ?? null) : null;
  if (churnOn && (!early || churnOn <= early.on)) {
    return {
      ...base,
      verdict: 'failed',
      dueOn: check.dueOn,
      outcomeOn: churnOn,
      daysToSuccess: null,
      evidence: `The account churned on ${churnOn}, ${dayCount(daysBetween(startOn, churnOn))} after ${episode.startedBy}.`,
    };
  }
  if (early)
    return {
      ...base,
      verdict: 'failed',
      dueOn: check.dueOn,
      outcomeOn: early.on,
      daysToSuccess: null,
      evidence: early.evidence,
    };

  if (check.dueOn !== null && asOf > check.dueOn) {
    const missing = check.missing(check.dueOn);
    return missing
      ? {
          ...base,
          verdict: 'expired',
          dueOn: check.dueOn,
          outcomeOn: check.dueOn,
          daysToSuccess: null,
          evidence: missing,
        }
      : {
          ...base,
          verdict: 'failed',
          dueOn: check.dueOn,
          outcomeOn: check.dueOn,
          daysToSuccess: null,
          evidence: check.failureEvidence,
        };
  }
  return {
    ...base,
    verdict: 'pending',
    dueOn: check.dueOn,
    outcomeOn: null,
    daysToSuccess: null,
    evidence: check.pendingEvidence,
  };
}

/** The first churn (a `churned` event, or the account's churned_at) from the start to `until`. */
function churnDate(episode: Episode, data: OutcomeData, until: string): string | null {
  const startOn = dayOf(episode.startAt);
  const event = data.events(episode.accountId, 'churned', episode.startAt, dayAfter(until))[0];
  const candidates = [event ? dayOf(event.occurred_at) : null];
  const account = data.account(episode.accountId);
  if (
    account?.status === 'churned' &&
    account.churned_at &&
    account.churned_at >= startOn &&
    account.churned_at <= until
  )
    candidates.push(account.churned_at);
  const found = candidates.filter((c): c is string => c !== null).sort();
  return found[0] ?? null;
}

function sideMeasures(
  episode: Episode,
  startOn: string,
  asOf: string,
  data: OutcomeData,
): Pick<Judgement, 'retained90d' | 'tickets30d' | 'ticketsLater'> {
  const retentionEnd = addDays(startOn, 90);
  const churned = churnDate(episode, data, earlier(retentionEnd, asOf));
  const retained90d = churned ? 0 : asOf >= retentionEnd ? 1 : null;
  const ticketsEnd = addDays(startOn, 30);
  const tickets30d =
    asOf >= ticketsEnd
      ? data.events(episode.accountId, 'ticket_opened', openingOf(episode).at, dayAfter(ticketsEnd)).length
      : null;
  const period = (from: number, to: number): number | null => {
    const first = addDays(startOn, from);
    const last = addDays(startOn, to);
    if (asOf < last || (churned !== null && churned < first)) return null;
    return data.events(episode.accountId, 'ticket_opened', dayStart(first), dayAfter(last)).length;
  };
  return { retained90d, tickets30d, ticketsLater: [period(31, 60), period(61, 90)] };
}
