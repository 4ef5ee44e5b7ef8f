/**
 * Which accounts carry which story. Every account gets one profile: healthy, churned (historical),
 * or an at-risk profile planted so that certain risk rules fire as of the as-of day. The
 * assignment depends only on the seed and the number of accounts, so it can be recomputed
 * without generating any data (demoPatternsFor).
 */
import { TRIGGER_IDS, type TriggerId } from '../risk/catalog.ts';
import { createRng, hashSeed } from './random.ts';

/** The risk rules the generator plants: every trigger the risk engine knows. */
export const DEMO_PATTERNS = TRIGGER_IDS;

export type DemoPattern = TriggerId;

export const PROFILE_NAMES = [
  'healthy',
  'churned',
  'setup_incomplete',
  'onboarding_stalled',
  'payment_failing',
  'power_user_dormant',
  'usage_drop',
  'seat_drop',
  'seat_underuse',
  'approaching_limit',
  'champion_left',
  'support_surge',
  'detractor',
  'silent_churn',
  'performance_degradation',
  'renewal_at_risk',
  'integration_failing',
  'milestone_reached',
] as const;

export type ProfileName = (typeof PROFILE_NAMES)[number];

interface ProfileSpec {
  name: ProfileName;
  /** Share of the book. Healthy takes whatever is left. */
  share: number;
}

/**
 * At 400 accounts: 42 churned, 4 of each single-signal profile (3 for usage_drop and
 * silent_churn, which also overlap) and 5 renewals at risk, so every rule fires on at least 3
 * accounts and about 14% of the book is at risk.
 */
const SPECS: readonly ProfileSpec[] = [
  { name: 'churned', share: 0.105 },
  { name: 'setup_incomplete', share: 0.009 },
  { name: 'onboarding_stalled', share: 0.009 },
  { name: 'payment_failing', share: 0.009 },
  { name: 'power_user_dormant', share: 0.009 },
  { name: 'usage_drop', share: 0.0075 },
  { name: 'seat_drop', share: 0.009 },
  { name: 'seat_underuse', share: 0.009 },
  { name: 'approaching_limit', share: 0.009 },
  { name: 'champion_left', share: 0.009 },
  { name: 'support_surge', share: 0.009 },
  { name: 'detractor', share: 0.009 },
  { name: 'silent_churn', share: 0.0075 },
  { name: 'performance_degradation', share: 0.009 },
  { name: 'renewal_at_risk', share: 0.0125 },
  // Added after the others, so the books of earlier releases keep their stories.
  { name: 'integration_failing', share: 0.009 },
  { name: 'milestone_reached', share: 0.009 },
];

/** The risk rules an account of this profile satisfies as of the as-of day. */
export function patternsOf(profile: ProfileName, rankInProfile: number): readonly DemoPattern[] {
  switch (profile) {
    case 'healthy':
    case 'churned':
      return [];
    case 'silent_churn':
      return ['usage_drop', 'silent_churn'];
    case 'renewal_at_risk':
      // A large renewal being lost, clearly red: users collapse, licences are released (below half
      // the seats), invoices are withheld, the sponsor is a detractor, the CSM has not been in touch
      // for six weeks or more, and one more blow: a support surge or the champion leaving.
      return rankInProfile % 2 === 0
        ? [
            'renewal_at_risk',
            'payment_failing',
            'usage_drop',
            'seat_drop',
            'seat_underuse',
            'support_surge',
            'detractor',
          ]
        : [
            'renewal_at_risk',
            'payment_failing',
            'usage_drop',
            'seat_drop',
            'seat_underuse',
            'champion_left',
            'detractor',
          ];
    default:
      return [profile];
  }
}

export interface ProfileAssignment {
  accounts: number;
  /** Index into PROFILE_NAMES, per account index. */
  profile: Uint8Array;
  /** 0-based position of the account among the accounts of its profile. */
  rank: Int32Array;
  counts: Record<ProfileName, number>;
}

/** How many accounts get each planted profile for a book of this size. */
export function profileCounts(accounts: number): Record<ProfileName, number> {
  const counts = Object.fromEntries(PROFILE_NAMES.map((name) => [name, 0])) as Record<ProfileName, number>;
  let left = accounts;
  for (const spec of SPECS) {
    // Books of 60+ accounts carry at least one of every story; smaller ones scale to nothing.
    const wanted = Math.max(accounts >= 60 ? 1 : 0, Math.round(accounts * spec.share));
    const n = Math.min(left, wanted);
    counts[spec.name] = n;
    left -= n;
  }
  counts.healthy = left;
  return counts;
}

const cache = new Map<string, ProfileAssignment>();

export function assignProfiles(accounts: number, seed: number): ProfileAssignment {
  const key = `${seed}:${accounts}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const counts = profileCounts(accounts);
  const order = new Int32Array(accounts);
  for (let i = 0; i < accounts; i++) order[i] = i;
  const rng = createRng(hashSeed(seed, 0x0b00c, accounts));
  for (let i = accounts - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const held = order[i] as number;
    order[i] = order[j] as number;
    order[j] = held;
  }

  const profile = new Uint8Array(accounts);
  const rank = new Int32Array(accounts);
  let cursor = 0;
  PROFILE_NAMES.forEach((name, code) => {
    if (name === 'healthy') return;
    for (let r = 0; r < counts[name]; r++) {
      const index = order[cursor++] as number;
      profile[index] = code;
      rank[index] = r;
    }
  });
  // Healthy (code 0) is the default; number the healthy accounts in id order.
  let healthyRank = 0;
  for (let i = 0; i < accounts; i++) if (profile[i] === 0) rank[i] = healthyRank++;

  const assignment: ProfileAssignment = { accounts, profile, rank, counts };
  if (cache.size > 8) cache.clear();
  cache.set(key, assignment);
  return assignment;
}

export function demoAccountId(index: number): string {
  return `acc_${String(index + 1).padStart(5, '0')}`;
}

export function demoAccountIndex(accountId: string): number | null {
  const match = /^acc_(\d{5,})$/.exec(accountId);
  if (!match) return null;
  const index = Number(match[1]) - 1;
  return index >= 0 ? index : null;
}

/** The profile an account of the demo book was generated with, or null if the id is not one of them. */
export function demoProfileFor(accountId: string, seed: number, accounts: number): ProfileName | null {
  const index = demoAccountIndex(accountId);
  if (index === null || index >= accounts) return null;
  return PROFILE_NAMES[assignProfiles(accounts, seed).profile[index] as number] as ProfileName;
}

/**
 * The risk rules the generator planted on this account (empty for healthy and churned accounts),
 * given the seed and size the book was generated with. Independent of the as-of day.
 */
export function demoPatternsFor(accountId: string, seed: number, accounts: number): readonly DemoPattern[] {
  const index = demoAccountIndex(accountId);
  if (index === null || index >= accounts) return [];
  const assignment = assignProfiles(accounts, seed);
  return patternsOf(
    PROFILE_NAMES[assignment.profile[index] as number] as ProfileName,
    assignment.rank[index] as number,
  );
}

/** How many accounts carry each planted rule, for a book of this size and seed. */
export function demoPatternCounts(seed: number, accounts: number): Record<DemoPattern, number> {
  const assignment = assignProfiles(accounts, seed);
  const counts = Object.fromEntries(DEMO_PATTERNS.map((name) => [name, 0])) as Record<DemoPattern, number>;
  for (let i = 0; i < accounts; i++) {
    for (const pattern of patternsOf(
      PROFILE_NAMES[assignment.profile[i] as number] as ProfileName,
      assignment.rank[i] as number,
    ))
      counts[pattern]++;
  }
  return counts;
}
