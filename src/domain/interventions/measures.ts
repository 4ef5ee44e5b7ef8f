/**
 * The other measures of proactive support, beside the success-criterion uplift (the seeds'
 * "deflection", responsiveness and resolution measures): inbound tickets per active account over
 * the 90 days after the start, treated against control; the response rate to proactive messages;
 * and how long triggered outreach takes to work against how long an inbound ticket takes to close.
 */
import type { Db } from '../db/open.ts';
import type { DeflectionPeriod, ResolutionTimes, ResponseRate } from '../../shared/dto/interventions.ts';
import { episodes } from './comparison.ts';
import { addDays } from '../contract/dates.ts';
import { REPLY_WINDOW_DAYS, type OutcomeFact } from './facts.ts';
import { median } from './stats.ts';

const PERIODS = [
  { label: 'days 1–30', value: (f: OutcomeFact) => f.tickets_30d },
  { label: 'days 31–60', value: (f: OutcomeFact) => f.tickets_31_60d },
  { label: 'days 61–90', value: (f: OutcomeFact) => f.tickets_61_90d },
] as const;

/**
 * Tickets per active account in each 30-day period after the start. The control figure is
 * standardised to the treated group's mix of plays (each play's control rate weighted by its
 * treated accounts), so a play that brings many tickets cannot make outreach look better or worse
 * just by being more common on one side.
 */
export function deflection(
  treatedFacts: readonly OutcomeFact[],
  controlFacts: readonly OutcomeFact[],
): DeflectionPeriod[] {
  const treated = episodes(treatedFacts.filter((f) => !f.excluded_from_uplift));
  const control = episodes(controlFacts);
  return PERIODS.map(({ label, value }) => {
    const known = (facts: OutcomeFact[]) => facts.filter((f) => value(f) !== null);
    const byPlay = new Map<string, { n1: number; t1: number; n0: number; t0: number }>();
    for (const f of known(treated)) {
      const s = byPlay.get(f.trigger_id) ?? { n1: 0, t1: 0, n0: 0, t0: 0 };
      s.n1++;
      s.t1 += value(f)!;
      byPlay.set(f.trigger_id, s);
    }
    for (const f of known(control)) {
      const s = byPlay.get(f.trigger_id);
      if (!s) continue;
      s.n0++;
      s.t0 += value(f)!;
    }
    const compared = [...byPlay.values()].filter((s) => s.n1 > 0 && s.n0 > 0);
    const n1 = compared.reduce((sum, s) => sum + s.n1, 0);
    const n0 = compared.reduce((sum, s) => sum + s.n0, 0);
    return {
      period: label,
      treated: { accounts: n1, per_account: n1 ? compared.reduce((sum, s) => sum + s.t1, 0) / n1 : null },
      control: {
        accounts: n0,
        per_account: n1 ? compared.reduce((sum, s) => sum + (s.n1 * s.t0) / s.n0, 0) / n1 : null,
      },
    };
  });
}

/** Sent proactive messages that got a reply (logged on the intervention, or a reply_received event). */
/**
 * Replies to proactive messages whose reply window has passed by `asOf`. A touch sent today has had
 * no time to be answered: counting it (or counting only those already answered) would pull the
 * rate down (or up) for reasons that are only a matter of days.
 */
export function responseRate(treatedFacts: readonly OutcomeFact[], asOf: string): ResponseRate {
  const sent = treatedFacts.filter((f) => f.replied !== null);
  const known = sent.filter((f) => addDays(f.start_on, REPLY_WINDOW_DAYS) < asOf);
  const replied = known.filter((f) => f.replied).length;
  return {
    sent: known.length,
    replied,
    rate: known.length ? replied / known.length : null,
    waiting: sent.length - known.length,
  };
}

/**
 * Days from the start to success of triggered outreach, against days from ticket_opened to its
 * ticket_closed for the same accounts' inbound tickets opened in the report's period.
 */
export function resolutionTimes(
  db: Db,
  treatedFacts: readonly OutcomeFact[],
  window: { from: string; asOf: string },
): ResolutionTimes {
  const outreach = treatedFacts
    .filter((f) => f.status === 'succeeded')
    .map((f) => f.days_to_success)
    .filter((d): d is number => d !== null);
  const accounts = [...new Set(treatedFacts.map((f) => f.account_id))];
  const tickets = ticketDurations(db, accounts, window.from, window.asOf);
  return {
    outreach: { n: outreach.length, median_days: median(outreach) },
    tickets: { n: tickets.length, median_days: median(tickets) },
  };
}

const cache = new WeakMap<Db, ReturnType<typeof statements>>();

function statements(db: Db) {
  // Per account, by the (account_id, type, occurred_at) index.
  return db.prepare<{ ids: string; from: string; until: string }, { account_id: string; type: string; at: string }>(
    `SELECT e.account_id, e.type, e.occurred_at AS at FROM json_each(@ids) j
     JOIN events e ON e.account_id = j.value AND e.type IN ('ticket_opened', 'ticket_closed')
     WHERE e.occurred_at >= @from AND e.occurred_at < @until ORDER BY e.account_id, e.occurred_at`,
  );
}

/**
 * Events carry no ticket id, so each close is matched with the account's oldest ticket still open
 * (first in, first out); tickets never closed are left out.
 */
function ticketDurations(db: Db, accountIds: readonly string[], from: string, asOf: string): number[] {
  let statement = cache.get(db);
  if (!statement) {
    statement = statements(db);
    cache.set(db, statement);
  }
  const until = new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000).toISOString();
  const durations: number[] = [];
  const open = new Map<string, string[]>();
  for (const e of statement.all({ ids: JSON.stringify(accountIds), from: `${from}T00:00:00.000Z`, until })) {
    const queue = open.get(e.account_id) ?? [];
    if (e.type === 'ticket_opened') queue.push(e.at);
    else {
      const opened = queue.shift();
      if (opened) durations.push((Date.parse(e.at) - Date.parse(opened)) / 86_400_000);
    }
    open.set(e.account_id, queue);
  }
  return durations;
}
