/**
 * The demo book, one account at a time. Pure and deterministic: the same options always give
 * byte-identical records, and nothing but the current account is held in memory, so a book of
 * 50,000 accounts streams through in constant space.
 */
import type { AccountRecord, ContactRecord, EventRecord, MetricRecord } from '../contract/records.ts';
import { isIsoDay, todayIso } from '../contract/dates.ts';
import { UserFacingError } from '../errors.ts';
import { createCalendar } from './calendar.ts';
import type { Calendar } from './calendar.ts';
import { buildEvents } from './events.ts';
import { buildMetrics } from './metrics.ts';
import type { AccountPlan } from './plan.ts';
import { planAccount } from './plan.ts';
import type { DemoPattern, ProfileName } from './profiles.ts';
import { PROFILE_NAMES, assignProfiles } from './profiles.ts';
import { createRng, hashSeed } from './random.ts';
import type { Rng } from './random.ts';

export interface DemoOptions {
  /** Number of accounts, 1 to 100,000. Default 400. */
  accounts?: number;
  /** Any integer. Default 42. */
  seed?: number;
  /** The last day of history (YYYY-MM-DD). Default today (UTC). */
  asOf?: string;
  /** Days of daily metrics ending at asOf. Default 120; the risk rules need at least 45. */
  days?: number;
}

export interface ResolvedDemoOptions {
  accounts: number;
  seed: number;
  asOf: string;
  days: number;
}

export interface DemoAccountBundle {
  account: AccountRecord;
  contacts: ContactRecord[];
  metrics: MetricRecord[];
  events: EventRecord[];
  profile: ProfileName;
  /** The risk rules this account was planted to satisfy as of asOf (empty when healthy or churned). */
  plantedPatterns: readonly DemoPattern[];
}

export const DEMO_DEFAULTS = { accounts: 400, seed: 42, days: 120 } as const;
export const MAX_DEMO_ACCOUNTS = 100_000;

export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const accounts = options.accounts ?? DEMO_DEFAULTS.accounts;
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const asOf = options.asOf ?? todayIso();
  const days = options.days ?? DEMO_DEFAULTS.days;
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > MAX_DEMO_ACCOUNTS) {
    throw new UserFacingError(
      'DEMO_BAD_OPTIONS',
      `The demo book needs between 1 and ${MAX_DEMO_ACCOUNTS.toLocaleString('en')} accounts, not ${accounts}.`,
    );
  }
  if (!Number.isSafeInteger(seed))
    throw new UserFacingError('DEMO_BAD_OPTIONS', `The demo seed must be a whole number, not ${seed}.`);
  if (!isIsoDay(asOf))
    throw new UserFacingError('DEMO_BAD_OPTIONS', `The demo as-of day must be a date (YYYY-MM-DD), not '${asOf}'.`);
  if (!Number.isInteger(days) || days < 1 || days > 1_000) {
    throw new UserFacingError('DEMO_BAD_OPTIONS', `The demo history must be between 1 and 1,000 days, not ${days}.`);
  }
  return { accounts, seed, asOf, days };
}

/** Streams the demo book account by account. */
export function* generateDemoBook(options: DemoOptions = {}): Generator<DemoAccountBundle, void, undefined> {
  const resolved = resolveDemoOptions(options);
  const assignment = assignProfiles(resolved.accounts, resolved.seed);
  const cal = createCalendar(resolved.asOf);
  for (let index = 0; index < resolved.accounts; index++) {
    const profile = PROFILE_NAMES[assignment.profile[index] as number] as ProfileName;
    yield buildAccount(index, profile, assignment.rank[index] as number, resolved, cal);
  }
}

/** One account of the book, on its own (the same bundle generateDemoBook yields at this index). */
export function generateDemoAccount(index: number, options: DemoOptions = {}): DemoAccountBundle {
  const resolved = resolveDemoOptions(options);
  if (!Number.isInteger(index) || index < 0 || index >= resolved.accounts)
    throw new RangeError(`No demo account at index ${index}.`);
  const assignment = assignProfiles(resolved.accounts, resolved.seed);
  const profile = PROFILE_NAMES[assignment.profile[index] as number] as ProfileName;
  return buildAccount(index, profile, assignment.rank[index] as number, resolved, createCalendar(resolved.asOf));
}

function buildAccount(
  index: number,
  profile: ProfileName,
  rank: number,
  options: ResolvedDemoOptions,
  cal: Calendar,
): DemoAccountBundle {
  // Separate streams per concern, so that a change to how events are drawn leaves metrics alone.
  const plan = planAccount(index, profile, rank, createRng(hashSeed(options.seed, index, 1)), {
    seed: options.seed,
    days: options.days,
  });
  const { metrics, lastLoginOn } = buildMetrics(plan, createRng(hashSeed(options.seed, index, 2)), cal, options.days);
  const events = buildEvents(plan, createRng(hashSeed(options.seed, index, 3)), cal);
  const contacts = buildContacts(plan, lastLoginOn, createRng(hashSeed(options.seed, index, 4)), cal);
  return { account: accountRecord(plan, cal), contacts, metrics, events, profile, plantedPatterns: plan.patterns };
}

function lifecycleStage(plan: AccountPlan): string {
  if (plan.churn) return 'churned';
  const age = -plan.createdOn;
  if (age < 60 || plan.profile === 'setup_incomplete') return 'onboarding';
  if (plan.renewalOn <= 90) return 'renewal';
  return age < 180 ? 'adoption' : 'mature';
}

function accountRecord(plan: AccountPlan, cal: Calendar): AccountRecord {
  return {
    account_id: plan.id,
    name: plan.name,
    owner_email: plan.owner,
    segment: plan.segment.segment,
    plan: plan.plan,
    arr: plan.arr,
    currency: plan.market.currency,
    seats_purchased: plan.seats,
    usage_limit: plan.usageLimit,
    renewal_date: cal.day(plan.renewalOn),
    created_at: cal.day(plan.createdOn),
    lifecycle_stage: lifecycleStage(plan),
    status: plan.churn ? 'churned' : 'active',
    churned_at: plan.churn ? cal.day(plan.churn.on) : null,
    timezone: plan.market.timezone,
    locale: plan.market.locale,
    updated_at: cal.instant(plan.churn ? plan.churn.on : 0, 0),
  };
}

function buildContacts(plan: AccountPlan, lastLoginOn: (number | null)[], rng: Rng, cal: Calendar): ContactRecord[] {
  const end = plan.churn ? plan.churn.on : -1;
  const workday = plan.market.workdayStartUtc * 3600;
  return plan.contacts.map((contact, index) => {
    let seenOn: number | null;
    if (contact.powerUser) seenOn = lastLoginOn[index] ?? null;
    else if (contact.leftOn !== null) seenOn = Math.max(plan.createdOn, contact.leftOn - rng.int(0, 3));
    else seenOn = Math.max(plan.createdOn + 1, end - rng.int(0, 20));
    // A login on the as-of day itself is stamped at its first instant, which is never in the future.
    const seenAt =
      seenOn === null
        ? null
        : seenOn > end
          ? cal.instant(seenOn, 0)
          : cal.instant(seenOn, (workday + rng.int(0, 8 * 3600 - 1)) % 86_400);
    return {
      contact_id: contact.id,
      account_id: plan.id,
      name: contact.name,
      email: contact.email,
      // Every other contact has a mobile number, from the range reserved for fiction (555-0100–0199).
      phone: index % 2 === 0 ? `+1202555${String(100 + (index % 100)).padStart(4, '0')}` : null,
      role: contact.role,
      is_champion: contact.isChampion,
      active: contact.active,
      last_seen_at: seenAt,
    };
  });
}
