/**
 * The story of one account, decided before any record is written: who they are, when things
 * happen (as day offsets from the as-of day, 0 = as-of, negative = past) and which levers the
 * metric and event builders pull. Everything is drawn from the account's own random stream.
 */
import { CHURN_REASONS, CSM_TEAM, MARKETS, PLAN_ORDER, SEGMENTS, SURPRISE_CHURN_REASONS } from './catalog.ts';
import type { Market, SegmentSpec } from './catalog.ts';
import { CHAMPION_ROLES, CONTACT_ROLES, FIRST_NAMES, LAST_NAMES, companyName, emailLocalPart } from './names.ts';
import type { DemoPattern, ProfileName } from './profiles.ts';
import { demoAccountId, patternsOf } from './profiles.ts';
import type { Rng } from './random.ts';

export interface ContactPlan {
  id: string;
  name: string;
  email: string;
  role: string;
  /** Champion today. */
  isChampion: boolean;
  active: boolean;
  /** Has per-contact daily login metrics. */
  powerUser: boolean;
  /** This power user stops logging in 11 days before the as-of day. */
  dormantFrom: number | null;
  /** Day the contact left (for a departed champion). */
  leftOn: number | null;
}

export interface ChurnStory {
  on: number;
  /** Healthy right up to the end: the cases a model cannot see coming. */
  surprise: boolean;
  decline: boolean;
  detractor: boolean;
  championLeft: boolean;
  surge: boolean;
  paymentFailing: boolean;
  silent: boolean;
  seatDrop: boolean;
  downgrade: boolean;
  reason: string;
}

export interface AccountPlan {
  index: number;
  id: string;
  profile: ProfileName;
  patterns: readonly DemoPattern[];
  name: string;
  domain: string;
  segment: SegmentSpec;
  market: Market;
  plan: string;
  arr: number;
  seats: number;
  usageLimit: number;
  owner: string;
  createdOn: number;
  renewalOn: number;
  /** The last anniversary passed without a renewal yet (paperwork pending). */
  renewalPending: boolean;
  churn: ChurnStory | null;
  contacts: ContactPlan[];
  /** Index into contacts of today's champion, or null when there is none. */
  champion: number | null;
  /** A past champion hand-over that completed (healthy history): left, then assigned. */
  championSwap: { former: number; leftOn: number; assignedOn: number } | null;
  /** The champion walked out recently (or before churn) and nobody took over. */
  championLeftOn: number | null;
  upgradeOn: number | null;
  downgradeOn: number | null;

  // Metric levers.
  utilisation: number;
  dauRatio: number;
  loginsPerUser: number;
  corePerUser: number;
  usageRatio: number;
  latencyBase: number;
  errorRate: number;
  /** Relative growth per day of activity. */
  growth: number;
  /** Activity drop (usage_drop): from 1 at `start` to `floor` at `start + length`. */
  drop: { start: number; length: number; floor: number } | null;
  /**
   * Seats fall to `floor` of their level from this day, but never below `minShare` of the seats
   * purchased (seat_drop; and the licences a customer releases before a renewal it means to lose).
   */
  seatDrop: { on: number; floor: number; minShare: number } | null;
  /** Latency multiplies by `factor` from this day (performance_degradation). */
  slowdown: { on: number; factor: number } | null;
  /** Usage climbs towards the plan limit (approaching_limit). */
  climb: { from: number; to: number; start: number; end: number } | null;
}

const DAYS_PER_YEAR = 365;

function drawSegment(rng: Rng, profile: ProfileName): SegmentSpec {
  const [, mid, ent] = SEGMENTS as [SegmentSpec, SegmentSpec, SegmentSpec];
  if (profile === 'renewal_at_risk') return ent;
  // Drop stories need enough users for a baseline of five or more.
  if (profile === 'usage_drop' || profile === 'silent_churn' || profile === 'seat_drop')
    return rng.weighted([
      [mid, 0.7],
      [ent, 0.3],
    ]);
  return rng.weighted(SEGMENTS.map((s) => [s, s.share] as const));
}

function drawArr(rng: Rng, median: number, sigma: number, min: number, max: number): number {
  for (let attempt = 0; attempt < 12; attempt++) {
    const value = rng.lognormal(Math.log(median), sigma);
    if (value >= min && value <= max) return value;
  }
  return Math.min(max, Math.max(min, median));
}

/** Created `years` whole years before the renewal, so the renewal is an anniversary. */
function anniversaryTimeline(rng: Rng, renewalOn: number, minAge: number): { createdOn: number; renewalOn: number } {
  let years = rng.int(1, 3);
  while (years * DAYS_PER_YEAR - renewalOn < minAge) years++;
  return { createdOn: renewalOn - years * DAYS_PER_YEAR, renewalOn };
}

function drawTimeline(
  rng: Rng,
  profile: ProfileName,
  days: number,
): { createdOn: number; renewalOn: number; renewalPending: boolean; churnOn: number | null } {
  switch (profile) {
    case 'setup_incomplete': {
      const age = rng.int(6, 45);
      return { createdOn: -age, renewalOn: DAYS_PER_YEAR - age, renewalPending: false, churnOn: null };
    }
    case 'onboarding_stalled': {
      const age = rng.int(26, 58);
      return { createdOn: -age, renewalOn: DAYS_PER_YEAR - age, renewalPending: false, churnOn: null };
    }
    case 'renewal_at_risk':
      return { ...anniversaryTimeline(rng, rng.int(14, 80), 200), renewalPending: false, churnOn: null };
    case 'seat_underuse':
      return { ...anniversaryTimeline(rng, rng.int(100, 360), 150), renewalPending: false, churnOn: null };
    case 'milestone_reached':
      // Old enough that the climb is a milestone, not the ramp-up of a new account.
      return { ...anniversaryTimeline(rng, rng.int(100, 360), 200), renewalPending: false, churnOn: null };
    case 'churned': {
      // Churn inside the metric window, leaving 45 days of history before it where possible.
      const latest = Math.max(3, days - 45);
      const churnOn = -rng.int(3, Math.max(3, latest));
      const atRenewal = rng.chance(0.7);
      const renewalOn = atRenewal ? churnOn : churnOn + rng.int(20, 200);
      const years = rng.int(1, 3);
      return { createdOn: renewalOn - years * DAYS_PER_YEAR, renewalOn, renewalPending: false, churnOn };
    }
    case 'healthy': {
      const age = rng.chance(0.07) ? rng.int(5, 59) : rng.int(60, 3 * DAYS_PER_YEAR);
      const sinceAnniversary = age % DAYS_PER_YEAR;
      if (age >= DAYS_PER_YEAR && sinceAnniversary >= 1 && sinceAnniversary <= 20 && rng.chance(0.5)) {
        return { createdOn: -age, renewalOn: -sinceAnniversary, renewalPending: true, churnOn: null };
      }
      return {
        createdOn: -age,
        renewalOn: Math.ceil(age / DAYS_PER_YEAR) * DAYS_PER_YEAR - age,
        renewalPending: false,
        churnOn: null,
      };
    }
    default:
      // Single-signal stories: an established account whose renewal is more than 90 days away.
      return { ...anniversaryTimeline(rng, rng.int(100, 360), 120), renewalPending: false, churnOn: null };
  }
}

function drawChurn(rng: Rng, on: number): ChurnStory {
  const surprise = rng.chance(0.15);
  if (surprise) {
    return {
      on,
      surprise,
      decline: false,
      detractor: false,
      championLeft: false,
      surge: false,
      paymentFailing: false,
      silent: false,
      seatDrop: false,
      downgrade: false,
      reason: rng.pick(SURPRISE_CHURN_REASONS),
    };
  }
  const story: ChurnStory = {
    on,
    surprise,
    decline: true,
    detractor: rng.chance(0.5),
    championLeft: rng.chance(0.35),
    surge: rng.chance(0.3),
    paymentFailing: rng.chance(0.2),
    silent: rng.chance(0.45),
    seatDrop: rng.chance(0.5),
    downgrade: rng.chance(0.3),
    reason: '',
  };
  if (story.silent) story.surge = false;
  const [competitor, budget, adoption, championGone, gaps, reliability] = CHURN_REASONS;
  story.reason = story.championLeft
    ? championGone
    : story.surge
      ? reliability
      : story.detractor
        ? competitor
        : rng.pick([adoption, budget, gaps]);
  return story;
}

function drawContacts(
  rng: Rng,
  accountId: string,
  domain: string,
  segment: SegmentSpec,
  profile: ProfileName,
): ContactPlan[] {
  const count = rng.int(segment.contacts[0], segment.contacts[1]);
  const used = new Set<string>();
  const contacts: ContactPlan[] = [];
  const number = accountId.slice(4);
  for (let i = 0; i < count; i++) {
    let first = rng.pick(FIRST_NAMES) as string;
    let last = rng.pick(LAST_NAMES) as string;
    while (used.has(emailLocalPart(first, last))) {
      first = rng.pick(FIRST_NAMES);
      last = rng.pick(LAST_NAMES);
    }
    used.add(emailLocalPart(first, last));
    contacts.push({
      id: `con_${number}_${String(i + 1).padStart(2, '0')}`,
      name: `${first} ${last}`,
      email: `${emailLocalPart(first, last)}@${domain}`,
      role: i === 0 ? rng.pick(CHAMPION_ROLES) : rng.pick(CONTACT_ROLES),
      isChampion: i === 0,
      active: true,
      powerUser: false,
      dormantFrom: null,
      leftOn: null,
    });
  }
  // Power users come from the non-champions, so a champion leaving never looks like a dormant user.
  const wanted = Math.min(count - 1, rng.int(segment.powerUsers[0], segment.powerUsers[1]));
  for (let i = 1; i <= wanted; i++) (contacts[i] as ContactPlan).powerUser = true;
  if (profile === 'power_user_dormant') (contacts[1] as ContactPlan).dormantFrom = -11;
  return contacts;
}

export interface PlanContext {
  seed: number;
  days: number;
}

export function planAccount(
  index: number,
  profile: ProfileName,
  rank: number,
  rng: Rng,
  ctx: PlanContext,
): AccountPlan {
  const id = demoAccountId(index);
  const { name, domain } = companyName(index, ctx.seed);
  const segment = drawSegment(rng, profile);
  const market = rng.weighted(MARKETS);
  const arrUsd =
    profile === 'renewal_at_risk'
      ? drawArr(rng, 600_000, 0.4, 300_000, segment.arrMax)
      : drawArr(rng, segment.arrMedian, segment.arrSigma, segment.arrMin, segment.arrMax);
  const needsUsers =
    profile === 'usage_drop' || profile === 'silent_churn' || profile === 'seat_drop' || profile === 'renewal_at_risk';
  const seats = Math.max(
    needsUsers ? 25 : 3,
    Math.round(arrUsd / rng.range(segment.seatPrice[0], segment.seatPrice[1])),
  );
  const plan = rng.weighted(segment.plans);
  const allowance = { Starter: 100, Team: 150, Business: 200, Enterprise: 300 }[plan] ?? 150;
  const usageLimit = Math.ceil((seats * allowance) / 500) * 500;
  const localArr = arrUsd * market.fx;
  const arr = localArr >= 10_000 ? Math.round(localArr / 100) * 100 : Math.round(localArr / 10) * 10;
  const owner = CSM_TEAM[rng.pick(segment.owners)] as string;

  const timeline = drawTimeline(rng, profile, ctx.days);
  const churn = timeline.churnOn === null ? null : drawChurn(rng, timeline.churnOn);
  const contacts = drawContacts(rng, id, domain, segment, profile);
  const patterns = patternsOf(profile, rank);
  const lastDay = churn ? churn.on : 0;

  let champion: number | null = 0;
  let championSwap: AccountPlan['championSwap'] = null;
  let championLeftOn: number | null = null;
  const loses = patterns.includes('champion_left') || churn?.championLeft === true;
  if (loses) {
    championLeftOn = churn ? churn.on - rng.int(20, 50) : -rng.int(4, 22);
    if (championLeftOn <= timeline.createdOn + 14) championLeftOn = null;
  }
  if (championLeftOn !== null) {
    const left = contacts[0] as ContactPlan;
    left.isChampion = false;
    left.active = false;
    left.leftOn = championLeftOn;
    champion = null;
  } else if (contacts.length >= 3 && !contacts[contacts.length - 1]?.powerUser && rng.chance(0.12)) {
    // An old hand-over, long settled: the former champion left and the current one took over.
    const leftOn = Math.max(timeline.createdOn + 30, lastDay - rng.int(60, 300));
    if (leftOn < lastDay - 50) {
      const formerIndex = contacts.length - 1;
      const former = contacts[formerIndex] as ContactPlan;
      former.active = false;
      former.leftOn = leftOn;
      former.role = rng.pick(CHAMPION_ROLES);
      championSwap = { former: formerIndex, leftOn, assignedOn: leftOn + rng.int(1, 10) };
    }
  }

  let upgradeOn: number | null = null;
  let downgradeOn: number | null = null;
  const planRank = PLAN_ORDER.indexOf(plan as (typeof PLAN_ORDER)[number]);
  if (churn?.downgrade && planRank < PLAN_ORDER.length - 1) {
    downgradeOn = churn.on - rng.int(10, 40);
    if (downgradeOn <= timeline.createdOn) downgradeOn = null;
  } else if (!churn && planRank > 0 && rng.chance(0.08)) {
    upgradeOn = -rng.int(30, 330);
    if (upgradeOn <= timeline.createdOn + 60) upgradeOn = null;
  } else if (!churn && profile === 'healthy' && planRank < PLAN_ORDER.length - 1 && rng.chance(0.02)) {
    downgradeOn = -rng.int(60, 300);
    if (downgradeOn <= timeline.createdOn + 60) downgradeOn = null;
  }

  const dropping = patterns.includes('usage_drop');
  const dropStart = -rng.int(24, 27);
  // The levers are drawn in this order for every profile, so a change to one story leaves the others alone.
  const utilisation =
    profile === 'seat_underuse'
      ? rng.range(0.25, 0.42)
      : profile === 'seat_drop'
        ? rng.range(0.9, 0.98)
        : rng.range(0.66, 0.95);
  const dauRatio = rng.range(0.45, 0.7);
  const loginsPerUser = rng.range(1.3, 2.4);
  const corePerUser = rng.range(2, 7);
  const usageRatio = rng.range(0.25, 0.55);
  const latencyBase = Math.min(600, Math.max(90, rng.lognormal(Math.log(220), 0.3)));
  const errorRate = rng.range(0.0005, 0.003);
  const growth = rng.range(-0.0003, 0.0008);
  // A renewal being lost is a collapse, not a dip: most of the users are gone.
  const drop = dropping
    ? {
        start: dropStart,
        length: rng.int(6, 9),
        floor: profile === 'renewal_at_risk' ? rng.range(0.1, 0.2) : rng.range(0.3, 0.5),
      }
    : null;
  let seatDrop: AccountPlan['seatDrop'] = null;
  if (profile === 'seat_drop') seatDrop = { on: -rng.int(9, 10), floor: rng.range(0.58, 0.64), minShare: 0.52 };
  else if (profile === 'renewal_at_risk') {
    // About two weeks ago they started releasing licences: 22–30% of the purchased seats are still in use.
    const on = -rng.int(12, 16);
    seatDrop = { on, floor: rng.range(0.22, 0.3) / utilisation, minShare: 0.15 };
  }
  return {
    index,
    id,
    profile,
    patterns,
    name,
    domain,
    segment,
    market,
    plan,
    arr,
    seats,
    usageLimit,
    owner,
    createdOn: timeline.createdOn,
    renewalOn: timeline.renewalOn,
    renewalPending: timeline.renewalPending,
    churn,
    contacts,
    champion,
    championSwap,
    championLeftOn,
    upgradeOn,
    downgradeOn,
    utilisation,
    dauRatio,
    loginsPerUser,
    corePerUser,
    usageRatio,
    latencyBase,
    errorRate,
    growth,
    drop,
    seatDrop,
    slowdown: profile === 'performance_degradation' ? { on: -3, factor: rng.range(1.5, 2.1) } : null,
    climb:
      profile === 'approaching_limit'
        ? { from: rng.range(0.5, 0.6), to: rng.range(0.92, 0.97), start: -40, end: -12 }
        : null,
  };
}
