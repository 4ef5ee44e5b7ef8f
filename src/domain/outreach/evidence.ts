/**
 * The evidence behind a risk item, told the way the customer sees it. The risk engine stores
 * internal facts (metric names, ratios, counts) in risk_items.facts_json; a customer must never
 * read those names, so each trigger has a sentence here that turns the facts it has into plain
 * words, and a fallback sentence for when a fact is missing.
 */
import type { TriggerId } from '../risk/catalog.ts';
import { formatDay, formatInteger, formatPercent } from './format.ts';

export interface CustomerEvidence {
  summary: string;
  count: string;
  date: string;
  percent: string;
  person: string;
}

export const NO_EVIDENCE: CustomerEvidence = { summary: '', count: '', date: '', percent: '', person: '' };

export interface EvidenceContext {
  locale: string | null;
  seatsPurchased: number | null;
  renewalDate: string | null;
  createdAt: string | null;
  /** Contact ids to first names, to name a person the facts refer to by id. */
  contactNames: ReadonlyMap<string, string>;
}

type Facts = Record<string, unknown>;

export function parseFacts(json: string | null | undefined): Facts {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Facts) : {};
  } catch {
    return {};
  }
}

/** The first of `keys` that holds a finite number. */
function num(facts: Facts, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = facts[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

/** The first of `keys` that holds a day or an instant, as YYYY-MM-DD. */
function day(facts: Facts, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = facts[key];
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  }
  return null;
}

function text(facts: Facts, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = facts[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}

/** A drop as a positive share: {share: 0.6} (60% of normal) → 0.4; {drop: 0.4} → 0.4. */
function dropShare(facts: Facts): number | null {
  const drop = num(facts, 'dropShare', 'drop', 'drop_share', 'decline');
  if (drop !== null) return Math.abs(drop) <= 1 ? Math.abs(drop) : Math.abs(drop) / 100;
  const share = num(facts, 'share', 'ratio', 'recentShare', 'recent_share');
  if (share !== null && share > 0 && share < 1) return 1 - share;
  const recent = num(facts, 'recent', 'recentMean', 'recent_mean');
  const baseline = num(facts, 'baseline', 'baselineMean', 'baseline_mean');
  if (recent !== null && baseline !== null && baseline > 0 && recent < baseline) return 1 - recent / baseline;
  return null;
}

function person(facts: Facts, ctx: EvidenceContext): string | null {
  const name = text(facts, 'contactName', 'contact_name', 'championName', 'champion_name', 'name');
  if (name) return name.split(/\s+/)[0] ?? null;
  const id = text(facts, 'contactId', 'contact_id', 'championId', 'champion_id');
  return id ? (ctx.contactNames.get(id) ?? null) : null;
}

/** Percentages in customer text are rounded; "0%" or "100%" would read as nonsense. */
function percentText(share: number | null, locale: string | null): string {
  if (share === null || share <= 0.005) return '';
  return formatPercent(Math.min(share, 0.99), locale);
}

export function customerEvidence(
  triggerId: TriggerId | null,
  factsJson: string | null | undefined,
  ctx: EvidenceContext,
): CustomerEvidence {
  if (!triggerId) return NO_EVIDENCE;
  const facts = parseFacts(factsJson);
  const L = ctx.locale;
  const fmtDay = (d: string | null) => (d ? formatDay(d, L) : '');

  switch (triggerId) {
    case 'setup_incomplete': {
      const since = day(facts, 'createdAt', 'created_at', 'startedOn', 'started_on') ?? ctx.createdAt;
      return {
        ...NO_EVIDENCE,
        date: fmtDay(since),
        summary: since
          ? `Your workspace has been open since ${fmtDay(since)}, but setup isn't finished yet, so your team isn't getting the full benefit.`
          : "Setup of your workspace isn't finished yet, so your team isn't getting the full benefit.",
      };
    }
    case 'onboarding_stalled': {
      const on = day(
        facts,
        'onboardedOn',
        'onboarded_on',
        'onboardingCompletedOn',
        'onboarding_completed_on',
        'completedOn',
      );
      return {
        ...NO_EVIDENCE,
        date: fmtDay(on),
        summary: on
          ? `Your team finished onboarding on ${fmtDay(on)}, but hasn't put the main workflow to use since.`
          : "Your team finished onboarding, but hasn't put the main workflow to use since.",
      };
    }
    case 'payment_failing': {
      const failures = num(facts, 'failures', 'failedPayments', 'failed_payments', 'count');
      const last = day(
        facts,
        'lastFailedOn',
        'last_failed_on',
        'lastFailureOn',
        'last_failure_on',
        'lastFailedAt',
        'last_failed_at',
      );
      const count = failures !== null && failures >= 2 ? formatInteger(failures, L) : '';
      const lead = count
        ? `The last ${count} attempts to charge the card on file didn't go through`
        : "Recent attempts to charge the card on file didn't go through";
      return {
        ...NO_EVIDENCE,
        count,
        date: fmtDay(last),
        summary: `${lead}${last ? `, most recently on ${fmtDay(last)}` : ''}.`,
      };
    }
    case 'power_user_dormant': {
      const who = person(facts, ctx);
      const since = day(
        facts,
        'lastSeenOn',
        'last_seen_on',
        'lastLoginOn',
        'last_login_on',
        'lastActiveOn',
        'last_active_on',
      );
      const subject = who ?? 'One of your most active teammates';
      return {
        ...NO_EVIDENCE,
        person: who ?? '',
        date: fmtDay(since),
        summary: `${subject} used to sign in almost every day, but hasn't ${since ? `since ${fmtDay(since)}` : 'for the last couple of weeks'}.`,
      };
    }
    case 'usage_drop':
    case 'silent_churn': {
      const percent = percentText(dropShare(facts), L);
      const usage = percent
        ? `about ${percent} fewer people on your team have been signing in than usual`
        : 'fewer people on your team have been signing in than usual';
      return {
        ...NO_EVIDENCE,
        percent,
        summary:
          triggerId === 'silent_churn'
            ? `It's been a while since we last spoke, and over the last two weeks ${usage}.`
            : `Over the last two weeks, ${usage}.`,
      };
    }
    case 'seat_drop': {
      const percent = percentText(dropShare(facts), L);
      return {
        ...NO_EVIDENCE,
        percent,
        summary: percent
          ? `The number of people using their seats has fallen by about ${percent} compared with last month.`
          : 'Fewer people are using their seats than last month.',
      };
    }
    case 'seat_underuse': {
      const used = num(facts, 'seatsUsed', 'seats_used', 'used', 'inUse');
      const seats = num(facts, 'seatsPurchased', 'seats_purchased', 'seats', 'purchased') ?? ctx.seatsPurchased;
      const ratio = num(facts, 'utilisation', 'utilization', 'share');
      const inUse = used ?? (ratio !== null && seats !== null ? Math.round(ratio * seats) : null);
      return {
        ...NO_EVIDENCE,
        count: inUse !== null ? formatInteger(inUse, L) : '',
        summary:
          inUse !== null && seats !== null && seats > 0
            ? `${formatInteger(inUse, L)} of your ${formatInteger(seats, L)} seats are in use, so part of your subscription isn't working for you yet.`
            : "Fewer than half of your seats are in use, so part of your subscription isn't working for you yet.",
      };
    }
    case 'approaching_limit': {
      const share = num(facts, 'shareOfLimit', 'share_of_limit', 'share', 'ratio');
      const percent = share !== null && share > 0 ? formatPercent(Math.min(share, 9.99), L) : '';
      return {
        ...NO_EVIDENCE,
        percent,
        summary: percent
          ? `Your team has been using about ${percent} of your plan's limit this week.`
          : "Your team is getting close to your plan's limit.",
      };
    }
    case 'renewal_at_risk': {
      const renewal = day(facts, 'renewalDate', 'renewal_date') ?? ctx.renewalDate;
      return {
        ...NO_EVIDENCE,
        date: fmtDay(renewal),
        summary: renewal
          ? `Your subscription renews on ${fmtDay(renewal)}, and the next year should deliver more than this one.`
          : 'Your renewal is coming up, and the next year should deliver more than this one.',
      };
    }
    case 'champion_left': {
      const who = person(facts, ctx);
      return {
        ...NO_EVIDENCE,
        person: who ?? '',
        summary: `${who ?? 'Your main point of contact with us'} has moved on, and nobody has picked up their role with us yet.`,
      };
    }
    case 'support_surge': {
      const tickets = num(facts, 'tickets', 'ticketCount', 'ticket_count', 'recentTickets', 'recent_tickets', 'count');
      const count = tickets !== null && tickets >= 2 ? formatInteger(tickets, L) : '';
      return {
        ...NO_EVIDENCE,
        count,
        summary: count
          ? `Your team has asked our support team for help ${count} times in the last 30 days.`
          : 'Your team has needed our support team more than usual lately.',
      };
    }
    case 'detractor': {
      const score = num(facts, 'score', 'nps', 'value', 'latestScore', 'latest_score');
      return {
        ...NO_EVIDENCE,
        count: score !== null ? formatInteger(score, L) : '',
        summary:
          score !== null
            ? `You told us recently that we aren't living up to what you need (you gave us ${formatInteger(score, L)} out of 10).`
            : "You told us recently that we aren't living up to what you need.",
      };
    }
    case 'performance_degradation': {
      const ratio = num(facts, 'ratio', 'share', 'slowdown');
      const percent = ratio !== null && ratio > 1 ? formatPercent(Math.min(ratio - 1, 9.99), L) : '';
      const since = day(facts, 'since', 'startedOn', 'started_on');
      return {
        ...NO_EVIDENCE,
        percent,
        date: fmtDay(since),
        summary: `Pages have been loading ${percent ? `about ${percent} more slowly` : 'more slowly'} for your team ${since ? `since ${fmtDay(since)}` : 'over the last few days'}.`,
      };
    }
  }
}
