/**
 * The built-in plays. Everything a team might tune (thresholds, priority, tier, the success
 * criterion, the holdout share) is data here, so Settings can override it and no screen or
 * engine hard-codes a number. The risk engine reads `params`; interventions read `success` and
 * `holdoutShare`; outreach keys its templates by `id`.
 */

export const TRIGGER_IDS = [
  'setup_incomplete',
  'onboarding_stalled',
  'payment_failing',
  'power_user_dormant',
  'usage_drop',
  'seat_drop',
  'seat_underuse',
  'approaching_limit',
  'renewal_at_risk',
  'champion_left',
  'support_surge',
  'detractor',
  'silent_churn',
  'performance_degradation',
] as const;

export type TriggerId = (typeof TRIGGER_IDS)[number];
export type Tier = 'automated' | 'human';
/** 1 is the most urgent. */
export type Priority = 1 | 2 | 3 | 4 | 5;

/** How an intervention on this trigger is judged. Windows are in days from the firing or the touch. */
export type SuccessCriterion =
  | { kind: 'event_within'; event: string; days: number }
  | { kind: 'metric_positive_within'; metric: string; days: number }
  | { kind: 'contact_login_within'; days: number }
  | {
      kind: 'metric_recovers';
      metric: string;
      fallbackMetric?: string;
      windowDays: number;
      share: number;
      days: number;
    }
  | { kind: 'utilisation_at_least'; share: number; days: number }
  | { kind: 'event_by_renewal'; event: string; graceDays: number }
  | { kind: 'tickets_back_to_baseline'; days: number }
  | { kind: 'nps_at_least'; score: number; days: number }
  | { kind: 'latency_back_to_norm'; share: number; days: number };

export interface TriggerDefinition {
  id: TriggerId;
  label: string;
  /** One line a CSM reads in a tooltip. */
  description: string;
  priority: Priority;
  tier: Tier;
  params: Record<string, number>;
  success: SuccessCriterion;
  successDescription: string;
  /** Share of firings held out as the control group, 0 to 1. */
  holdoutShare: number;
  /**
   * 'opportunity' for plays that are not a risk of loss (an upgrade conversation): they open items
   * but do not by themselves put an account on the at-risk list. Absent means 'risk'.
   */
  kind?: 'risk' | 'opportunity';
}

const HOLDOUT = 0.1;

export const DEFAULT_TRIGGERS: Record<TriggerId, TriggerDefinition> = {
  setup_incomplete: {
    id: 'setup_incomplete',
    label: 'Setup incomplete',
    description: 'A new account has not finished setup.',
    priority: 2,
    tier: 'automated',
    params: { minAgeDays: 3, maxAgeDays: 60 },
    success: { kind: 'event_within', event: 'setup_completed', days: 7 },
    successDescription: 'setup_completed within 7 days',
    holdoutShare: HOLDOUT,
  },
  onboarding_stalled: {
    id: 'onboarding_stalled',
    label: 'Onboarding stalled',
    description: 'Onboarding finished but the core feature has not been used since.',
    priority: 2,
    tier: 'automated',
    params: { daysSinceOnboarding: 7 },
    success: { kind: 'metric_positive_within', metric: 'core_feature_uses', days: 14 },
    successDescription: 'core_feature_uses above 0 within 14 days',
    holdoutShare: HOLDOUT,
  },
  payment_failing: {
    id: 'payment_failing',
    label: 'Payment failing',
    description: 'Several payments failed recently and none has succeeded since.',
    priority: 1,
    tier: 'automated',
    params: { failures: 3, windowDays: 30 },
    success: { kind: 'event_within', event: 'payment_succeeded', days: 7 },
    successDescription: 'payment_succeeded within 7 days',
    holdoutShare: HOLDOUT,
  },
  power_user_dormant: {
    id: 'power_user_dormant',
    label: 'Power user gone quiet',
    description: 'A contact who logged in almost daily has stopped.',
    priority: 2,
    tier: 'human',
    params: { quietDays: 10, baselineDays: 28, activeDaysInBaseline: 20 },
    success: { kind: 'contact_login_within', days: 14 },
    successDescription: 'the same contact logs in within 14 days',
    holdoutShare: HOLDOUT,
  },
  usage_drop: {
    id: 'usage_drop',
    label: 'Usage drop',
    description: 'Active users fell well below their usual level.',
    priority: 2,
    tier: 'human',
    params: { recentDays: 14, baselineDays: 28, maxShare: 0.7, minBaseline: 5 },
    success: {
      kind: 'metric_recovers',
      metric: 'active_users',
      fallbackMetric: 'usage',
      windowDays: 14,
      share: 0.8,
      days: 30,
    },
    successDescription: 'the 14-day mean is back to at least 80% of the baseline within 30 days',
    holdoutShare: HOLDOUT,
  },
  seat_drop: {
    id: 'seat_drop',
    label: 'Seat drop',
    description: 'Seats in use fell sharply against the prior month.',
    priority: 2,
    tier: 'human',
    params: { recentDays: 7, baselineDays: 28, maxShare: 0.8 },
    success: { kind: 'metric_recovers', metric: 'seats_used', windowDays: 7, share: 0.9, days: 30 },
    successDescription: 'seats are back to at least 90% of the prior mean within 30 days',
    holdoutShare: HOLDOUT,
  },
  seat_underuse: {
    id: 'seat_underuse',
    label: 'Seats under-used',
    description: 'Fewer than half the purchased seats are in use on an established account.',
    priority: 3,
    tier: 'automated',
    params: { maxUtilisation: 0.5, minAgeDays: 90 },
    success: { kind: 'utilisation_at_least', share: 0.5, days: 60 },
    successDescription: 'seat utilisation reaches 50% within 60 days',
    holdoutShare: HOLDOUT,
  },
  approaching_limit: {
    id: 'approaching_limit',
    label: 'Approaching plan limit',
    description: 'Usage is close to the plan limit: an upgrade conversation, not a risk of loss.',
    priority: 4,
    tier: 'automated',
    params: { recentDays: 7, minShareOfLimit: 0.8 },
    success: { kind: 'event_within', event: 'plan_upgraded', days: 30 },
    successDescription: 'plan_upgraded within 30 days',
    holdoutShare: HOLDOUT,
    kind: 'opportunity',
  },
  renewal_at_risk: {
    id: 'renewal_at_risk',
    label: 'Renewal at risk',
    description: 'Renewal is near and health is red or yellow.',
    priority: 1,
    tier: 'human',
    params: { withinDays: 90 },
    success: { kind: 'event_by_renewal', event: 'renewed', graceDays: 30 },
    successDescription: 'renewed by the renewal date plus 30 days',
    holdoutShare: HOLDOUT,
  },
  champion_left: {
    id: 'champion_left',
    label: 'Champion left',
    description: 'The internal champion left and nobody has taken over.',
    priority: 1,
    tier: 'human',
    params: { windowDays: 30 },
    success: { kind: 'event_within', event: 'champion_assigned', days: 30 },
    successDescription: 'champion_assigned within 30 days',
    holdoutShare: HOLDOUT,
  },
  support_surge: {
    id: 'support_surge',
    label: 'Support surge',
    description: 'Tickets spiked against the usual volume, or one was escalated.',
    priority: 2,
    tier: 'human',
    params: { windowDays: 30, minTickets: 3, multiple: 2, baselineDays: 90, escalationDays: 14 },
    success: { kind: 'tickets_back_to_baseline', days: 30 },
    successDescription: 'monthly tickets are back to baseline within 30 days',
    holdoutShare: HOLDOUT,
  },
  detractor: {
    id: 'detractor',
    label: 'Detractor',
    description: 'The latest NPS answer was 6 or less.',
    priority: 2,
    tier: 'human',
    params: { windowDays: 60, maxScore: 6 },
    success: { kind: 'nps_at_least', score: 7, days: 90 },
    successDescription: 'the next nps_response is 7 or more within 90 days',
    holdoutShare: HOLDOUT,
  },
  silent_churn: {
    id: 'silent_churn',
    label: 'Silent churn',
    description: 'Usage is falling and the customer has not talked to us in two months.',
    priority: 1,
    tier: 'human',
    params: { quietDays: 60 },
    success: {
      kind: 'metric_recovers',
      metric: 'active_users',
      fallbackMetric: 'usage',
      windowDays: 14,
      share: 0.8,
      days: 30,
    },
    successDescription: 'the 14-day mean is back to at least 80% of the baseline within 30 days',
    holdoutShare: HOLDOUT,
  },
  performance_degradation: {
    id: 'performance_degradation',
    label: 'Performance degradation',
    description: 'The product got noticeably slower for this customer.',
    priority: 3,
    tier: 'automated',
    params: { recentDays: 3, baselineDays: 28, minShare: 1.15 },
    success: { kind: 'latency_back_to_norm', share: 1.15, days: 7 },
    successDescription: 'latency is back within 115% of the norm within 7 days',
    holdoutShare: HOLDOUT,
  },
};

export function isTriggerId(value: unknown): value is TriggerId {
  return typeof value === 'string' && (TRIGGER_IDS as readonly string[]).includes(value);
}
