/**
 * The event history of one account: lifecycle milestones at their real dates, plus up to a year
 * of payments, tickets, CSM touches and NPS answers. Nothing lands on the as-of day itself or
 * later, so an as-of of today never produces events in the future.
 */
import { withEventId } from '../contract/event-id.ts';
import type { EventRecord } from '../contract/records.ts';
import type { Calendar } from './calendar.ts';
import {
  PAYMENT_FAILURES,
  PLAN_ORDER,
  SURGE_SUBJECTS,
  SYNC_FAILURES,
  TICKET_SUBJECTS,
  TOUCH_KINDS,
  WITHHELD_PAYMENTS,
} from './catalog.ts';
import type { AccountPlan, ContactPlan } from './plan.ts';
import type { Rng } from './random.ts';

const HISTORY_DAYS = 365;
const YEAR = 365;
/** Payments fall every 30.4375 days: a calendar month on average. */
const MONTH = 30.4375;

interface Draft {
  on: number;
  type: string;
  value: number | null;
  contactId: string | null;
  detail: string | null;
}

export function buildEvents(plan: AccountPlan, rng: Rng, cal: Calendar): EventRecord[] {
  const drafts: Draft[] = [];
  const add = (
    on: number,
    type: string,
    value: number | null = null,
    contactId: string | null = null,
    detail: string | null = null,
  ) => {
    drafts.push({ on, type, value, contactId, detail });
  };
  const churn = plan.churn;
  const end = churn ? churn.on : -1;
  const historyStart = Math.max(plan.createdOn, -HISTORY_DAYS);
  const contacts = plan.contacts;
  const current = contacts[0] as ContactPlan;
  const swap = plan.championSwap;
  const presentOn = (contact: ContactPlan, on: number) => contact.leftOn === null || on < contact.leftOn;
  const championOn = (on: number): ContactPlan | null => {
    if (swap && on < swap.assignedOn) return on < swap.leftOn ? (contacts[swap.former] as ContactPlan) : null;
    if (plan.championLeftOn !== null && on >= plan.championLeftOn) return null;
    return current;
  };
  const anyContactOn = (on: number): ContactPlan => {
    const present = contacts.filter((c) => presentOn(c, on));
    return rng.pick(present.length > 0 ? present : contacts);
  };
  const stalled = plan.profile === 'onboarding_stalled';

  // Lifecycle milestones.
  const kickoffChampion = swap ? (contacts[swap.former] as ContactPlan) : current;
  if (plan.createdOn + 1 <= end)
    add(plan.createdOn + 1, 'champion_assigned', null, kickoffChampion.id, 'Named champion at kickoff');
  let setupOn: number | null = null;
  if (plan.profile !== 'setup_incomplete') {
    setupOn = plan.createdOn + (stalled ? rng.int(2, 4) : rng.int(1, 3));
    if (setupOn <= end)
      add(setupOn, 'setup_completed', null, kickoffChampion.id, 'Workspace, SSO and data import configured');
  }
  if (stalled) {
    add(-rng.int(10, 20), 'onboarding_completed', null, kickoffChampion.id, 'Onboarding sessions finished');
  } else if (setupOn !== null) {
    const onboardedOn = plan.createdOn + rng.int(14, 35);
    if (onboardedOn <= end)
      add(onboardedOn, 'onboarding_completed', null, kickoffChampion.id, 'Onboarding sessions finished');
  }
  if (swap) {
    const former = contacts[swap.former] as ContactPlan;
    if (swap.leftOn <= end) add(swap.leftOn, 'champion_left', null, former.id, `${former.name} left the company`);
    if (swap.assignedOn <= end)
      add(swap.assignedOn, 'champion_assigned', null, current.id, `${current.name} took over as champion`);
  }
  if (plan.championLeftOn !== null && plan.championLeftOn <= end) {
    add(plan.championLeftOn, 'champion_left', null, current.id, `${current.name} left the company`);
  }
  const planRank = PLAN_ORDER.indexOf(plan.plan as (typeof PLAN_ORDER)[number]);
  if (plan.upgradeOn !== null && plan.upgradeOn >= historyStart && planRank > 0) {
    add(plan.upgradeOn, 'plan_upgraded', plan.arr, null, `${PLAN_ORDER[planRank - 1]} → ${plan.plan}`);
  }
  if (plan.downgradeOn !== null && plan.downgradeOn >= historyStart && planRank < PLAN_ORDER.length - 1) {
    add(plan.downgradeOn, 'plan_downgraded', plan.arr, null, `${PLAN_ORDER[planRank + 1]} → ${plan.plan}`);
  }
  for (let year = 1; plan.createdOn + year * YEAR <= end; year++) {
    const on = plan.createdOn + year * YEAR;
    if (on < historyStart || (plan.renewalPending && on === plan.renewalOn) || (churn && on === churn.on)) continue;
    add(on, 'renewed', plan.arr, championOn(on)?.id ?? null, 'Renewed for 12 months');
  }
  if (churn) add(churn.on, 'churned', plan.arr, null, churn.reason);

  // Payments: monthly, with the odd failed card that a retry fixes two days later.
  const amount = Math.round((plan.arr / 12) * 100) / 100;
  const failingFrom = plan.patterns.includes('payment_failing') ? -30 : churn?.paymentFailing ? churn.on - 28 : null;
  for (let k = 0; ; k++) {
    const on = plan.createdOn + Math.round(k * MONTH);
    if (on > end) break;
    if (on < historyStart || (failingFrom !== null && on >= failingFrom)) continue;
    if (rng.chance(0.04) && on + 2 <= end && (failingFrom === null || on + 2 < failingFrom)) {
      add(on, 'payment_failed', amount, null, rng.pick(PAYMENT_FAILURES));
      add(on + 2, 'payment_succeeded', amount, null, 'Retry succeeded');
    } else {
      add(on, 'payment_succeeded', amount, null, 'Monthly invoice paid');
    }
  }
  if (plan.patterns.includes('payment_failing')) {
    // A renewal being lost stops paying on purpose; anyone else has a card problem.
    const reasons = plan.profile === 'renewal_at_risk' ? WITHHELD_PAYMENTS : PAYMENT_FAILURES;
    for (const on of [-rng.int(24, 27), -rng.int(16, 19), -rng.int(9, 12), -rng.int(2, 5)])
      add(on, 'payment_failed', amount, null, rng.pick(reasons));
  } else if (churn?.paymentFailing) {
    for (const back of [rng.int(20, 24), rng.int(12, 15), rng.int(4, 7)]) {
      if (churn.on - back > plan.createdOn)
        add(churn.on - back, 'payment_failed', amount, null, rng.pick(PAYMENT_FAILURES));
    }
  }

  // Support tickets.
  let ticketNumber = 0;
  const ticket = (on: number, subjects: readonly string[], escalate: boolean) => {
    ticketNumber++;
    const detail = `#${plan.id.slice(4)}-${ticketNumber} ${rng.pick(subjects)}`;
    add(on, 'ticket_opened', null, anyContactOn(on).id, detail);
    if (escalate && on + 1 <= end) add(on + 1, 'ticket_escalated', null, null, detail);
    const closedOn = on + (escalate ? rng.int(3, 10) : rng.int(1, 6));
    if (closedOn <= end) add(closedOn, 'ticket_closed', null, null, detail);
  };
  const surgeAnchor = plan.patterns.includes('support_surge') ? 0 : churn?.surge ? churn.on : null;
  const quietFrom = plan.patterns.includes('silent_churn') ? -75 : churn?.silent ? churn.on - 70 : null;
  const [ticketMin, ticketMax] = plan.segment.ticketGap;
  for (let on = historyStart + rng.int(0, ticketMax); on <= end; on += rng.int(ticketMin, ticketMax)) {
    if (surgeAnchor !== null && on >= surgeAnchor - 120) continue;
    if (quietFrom !== null && on >= quietFrom) continue;
    // Escalations stay well clear of the last fortnight on a healthy account.
    ticket(on, TICKET_SUBJECTS, on <= end - 35 && rng.chance(0.08));
  }
  if (surgeAnchor !== null) {
    // A quiet quarter, then a burst: 4–6 tickets in the last four weeks, sometimes escalated.
    const quietTickets = rng.int(0, 2);
    for (let i = 0; i < quietTickets; i++) ticket(surgeAnchor - rng.int(35, 115), TICKET_SUBJECTS, false);
    const burst = new Set<number>();
    const size = rng.int(4, 6);
    while (burst.size < size) burst.add(surgeAnchor - rng.int(1, 27));
    const escalateOn = rng.chance(0.5) || plan.profile === 'renewal_at_risk' ? surgeAnchor - rng.int(3, 10) : null;
    if (escalateOn !== null) burst.add(escalateOn);
    for (const on of [...burst].sort((a, b) => a - b)) ticket(on, SURGE_SUBJECTS, on === escalateOn);
  }

  // CSM touches: a kickoff call for new accounts, then a steady cadence (never 60 days apart).
  // A renewal being lost was neglected: nobody from the CSM team has spoken to them for six weeks
  // or more (but tickets keep coming, so it is not silent churn).
  const [touchMin, touchMax] = plan.segment.touchGap;
  const untouchedFrom = plan.profile === 'renewal_at_risk' ? -rng.int(42, 56) : null;
  let touchOn = plan.createdOn >= historyStart ? plan.createdOn + 1 : historyStart + rng.int(0, touchMax);
  for (; touchOn <= end; touchOn += rng.int(touchMin, touchMax)) {
    if (quietFrom !== null && touchOn >= quietFrom) continue;
    if (untouchedFrom !== null && touchOn >= untouchedFrom) continue;
    const who = championOn(touchOn) ?? anyContactOn(touchOn);
    add(touchOn, 'csm_touch', null, who.id, touchOn === plan.createdOn + 1 ? 'Kickoff call' : rng.pick(TOUCH_KINDS));
  }

  // NPS: a survey about every quarter, answered about 70% of the time; healthy answers are 7–10.
  const detractorAnchor = plan.patterns.includes('detractor') ? 0 : churn?.detractor ? churn.on : null;
  for (let on = historyStart + rng.int(0, 90); on <= end; on += rng.int(80, 100)) {
    if (!rng.chance(0.7)) continue;
    if (detractorAnchor !== null && on >= detractorAnchor - 60) continue;
    add(
      on,
      'nps_response',
      rng.weighted([
        [7, 0.1],
        [8, 0.2],
        [9, 0.35],
        [10, 0.35],
      ] as const),
      anyContactOn(on).id,
      null,
    );
  }
  if (detractorAnchor !== null) {
    const on = detractorAnchor - rng.int(5, 40);
    if (on > plan.createdOn) {
      const score = rng.weighted([
        [1, 0.05],
        [2, 0.1],
        [3, 0.15],
        [4, 0.2],
        [5, 0.25],
        [6, 0.25],
      ] as const);
      add(
        on,
        'nps_response',
        score,
        anyContactOn(on).id,
        rng.pick([
          'Too many outages lately',
          'Hard to get value for the price',
          'Support is slow to respond',
          'Missing features we were promised',
        ]),
      );
    }
  }

  if (plan.patterns.includes('integration_failing')) plantSyncFailures(add, rng);

  return finalise(plan, drafts, rng, cal);
}

/**
 * A connector that broke a few days ago and keeps failing on every retry: 3–5 failures in the
 * last six days, plus one failure a month back that a retry fixed (so a fix is on record).
 */
function plantSyncFailures(
  add: (on: number, type: string, value?: null, contactId?: null, detail?: string) => void,
  rng: Rng,
) {
  const earlier = -rng.int(30, 40);
  add(earlier, 'sync_failed', null, null, rng.pick(SYNC_FAILURES));
  add(earlier + 1, 'sync_succeeded', null, null, 'Reconnected');
  const days = new Set<number>();
  const size = rng.int(3, 5);
  while (days.size < size) days.add(-rng.int(1, 6));
  for (const on of [...days].sort((a, b) => a - b))
    add(on, rng.chance(0.5) ? 'sync_failed' : 'integration_error', null, null, rng.pick(SYNC_FAILURES));
}

/** Gives every event a distinct working-hours timestamp, sorts them, and derives their ids. */
function finalise(plan: AccountPlan, drafts: Draft[], rng: Rng, cal: Calendar): EventRecord[] {
  const start = plan.market.workdayStartUtc * 3600;
  const taken = new Set<string>();
  const timed: { at: string; draft: Draft }[] = [];
  for (const draft of drafts) {
    let second = (start + rng.int(0, 8 * 3600 - 1)) % 86_400;
    let at = cal.instant(draft.on, second);
    while (taken.has(at)) {
      second = (second + 1) % 86_400;
      at = cal.instant(draft.on, second);
    }
    taken.add(at);
    timed.push({ at, draft });
  }
  timed.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return timed.map(({ at, draft }) =>
    withEventId({
      event_id: null,
      account_id: plan.id,
      occurred_at: at,
      type: draft.type,
      value: draft.value,
      contact_id: draft.contactId,
      detail: draft.detail,
    }),
  );
}
