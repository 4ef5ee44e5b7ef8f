/**
 * The score configuration: component weights and thresholds, bands, the churn curve, urgency, the
 * FX table used for ranking, trigger overrides and per-segment overrides. It is data, versioned in
 * the risk_config table (see config-repo.ts); these are the defaults every version is merged onto,
 * so a key added in a later release always has a value.
 */
import { z } from 'zod';
import {
  DEFAULT_TRIGGERS,
  TRIGGER_IDS,
  TRIGGER_MODULE_BY_ID,
  type Priority,
  type Tier,
  type TriggerDefinition,
  type TriggerId,
} from './catalog.ts';

export const COMPONENT_IDS = [
  'usage_trend',
  'adoption',
  'billing',
  'engagement',
  'support',
  'sentiment',
  'relationship',
] as const;
export type ComponentId = (typeof COMPONENT_IDS)[number];

export const COMPONENT_LABELS: Record<ComponentId, string> = {
  usage_trend: 'Usage trend',
  adoption: 'Adoption: seat utilisation',
  billing: 'Billing health',
  engagement: 'Engagement recency',
  support: 'Support burden',
  sentiment: 'Sentiment: NPS',
  relationship: 'Relationship',
};

/** Every number a component reads. `weight` is relative; present components are renormalised to 100%. */
export interface ComponentParams {
  usage_trend: {
    weight: number;
    recentDays: number;
    baselineDays: number;
    minBaselineDays: number;
    /** A baseline mean below this is too small to compare with ("0 vs 0"): the component has no data. */
    minBaselineMean: number;
    zeroAtRatio: number;
    fullAtRatio: number;
  };
  adoption: { weight: number; recentDays: number; zeroAtUtilisation: number; fullAtUtilisation: number };
  billing: { weight: number; windowDays: number; lookbackDays: number; penaltyPerFailure: number };
  engagement: { weight: number; fullWithinDays: number; zeroAfterDays: number };
  support: {
    weight: number;
    windowDays: number;
    baselineDays: number;
    fullAtMultiple: number;
    zeroAtMultiple: number;
    escalationDays: number;
    escalationPenalty: number;
  };
  /** NPS 0…detractorMax maps to 0…detractorTop; above it, passiveFloor…100 (NPS categories, not a straight ×10). */
  sentiment: { weight: number; windowDays: number; detractorMax: number; detractorTop: number; passiveFloor: number };
  relationship: { weight: number; championPoints: number; touchFullWithinDays: number; touchZeroAfterDays: number };
}

export interface TriggerOverride {
  params?: Record<string, number>;
  priority?: Priority;
  tier?: Tier;
  enabled?: boolean;
}

type DeepPartialComponents = { [K in ComponentId]?: Partial<ComponentParams[K]> };

export interface SegmentOverride {
  components?: DeepPartialComponents;
}

export interface ScoreConfig {
  components: ComponentParams;
  /** Scores below `redBelow` are red, from `greenFrom` green, yellow between. */
  bands: { redBelow: number; greenFrom: number };
  /** The trend compares with the score `compareDays` earlier; a change within ±flatWithin is flat. */
  trend: { compareDays: number; flatWithin: number };
  /** Keyed by the account's segment, exactly as imported (e.g. "Enterprise"). */
  segments: Record<string, SegmentOverride>;
  triggers: Partial<Record<TriggerId, TriggerOverride>>;
  /**
   * The default P(churn within horizonDays | score): a logistic curve 1 / (1 + e^-(intercept + slope × score)).
   * Replaced by a calibrated curve when the book holds enough churn outcomes.
   */
  churnCurve: { intercept: number; slope: number; horizonDays: number };
  /** Renewals within `withinDays` raise the expected loss by up to (1 + maxBoost)×, linearly as the date nears. */
  urgency: { withinDays: number; maxBoost: number; overdueGraceDays: number };
  /** ARR in other currencies is converted to USD with this static table for ranking and totals only. */
  fxToUsd: Record<string, number>;
  calibration: { minOutcomes: number; leadDays: number; windowDays: number };
  /**
   * Days of daily score history the scoring job keeps stored (the first run backfills them): what the
   * sparklines read (30 days). The account chart's older days are scored from the data when it opens.
   */
  historyDays: number;
  /**
   * No false green. An account whose newest data is more than `staleAfterDays` behind the as-of
   * day is "stale data" (no band); a score needs at least one of `coverage` (usage or engagement
   * components) or the account has "insufficient data".
   */
  dataQuality: { staleAfterDays: number; coverage: ComponentId[] };
}

export const DEFAULT_SCORE_CONFIG: ScoreConfig = {
  components: {
    usage_trend: {
      weight: 25,
      recentDays: 14,
      baselineDays: 28,
      minBaselineDays: 7,
      minBaselineMean: 1,
      zeroAtRatio: 0.25,
      fullAtRatio: 1,
    },
    adoption: { weight: 20, recentDays: 7, zeroAtUtilisation: 0.2, fullAtUtilisation: 0.8 },
    billing: { weight: 15, windowDays: 30, lookbackDays: 120, penaltyPerFailure: 35 },
    engagement: { weight: 10, fullWithinDays: 2, zeroAfterDays: 30 },
    support: {
      weight: 10,
      windowDays: 30,
      baselineDays: 90,
      fullAtMultiple: 1,
      zeroAtMultiple: 4,
      escalationDays: 14,
      escalationPenalty: 30,
    },
    sentiment: { weight: 10, windowDays: 180, detractorMax: 6, detractorTop: 30, passiveFloor: 60 },
    relationship: { weight: 10, championPoints: 50, touchFullWithinDays: 14, touchZeroAfterDays: 90 },
  },
  bands: { redBelow: 40, greenFrom: 70 },
  trend: { compareDays: 7, flatWithin: 3 },
  segments: {},
  triggers: {},
  // p(0) ≈ 0.60, p(40) ≈ 0.17, p(70) ≈ 0.04, p(100) ≈ 0.01.
  churnCurve: { intercept: 0.405, slope: -0.05, horizonDays: 90 },
  urgency: { withinDays: 90, maxBoost: 1, overdueGraceDays: 30 },
  fxToUsd: {
    USD: 1,
    EUR: 1.087,
    GBP: 1.266,
    CAD: 0.735,
    AUD: 0.658,
    CHF: 1.13,
    JPY: 0.0067,
    SEK: 0.095,
    NOK: 0.093,
    DKK: 0.146,
    NZD: 0.6,
    SGD: 0.74,
    INR: 0.012,
    BRL: 0.18,
    MXN: 0.055,
  },
  calibration: { minOutcomes: 30, leadDays: 30, windowDays: 180 },
  historyDays: 30,
  dataQuality: { staleAfterDays: 7, coverage: ['usage_trend', 'adoption', 'engagement'] },
};

/**
 * Validates a complete configuration (after merging onto the defaults). Built on first use: building
 * these schemas costs about 8 ms of CPU, which a one-shot `foresight account` on the built-in
 * defaults (no stored configuration to validate) does not need to pay (issue 16).
 */
export function scoreConfigSchema() {
  return (builtSchema ??= buildScoreConfigSchema());
}

let builtSchema: ReturnType<typeof buildScoreConfigSchema> | null = null;

function buildScoreConfigSchema() {
  const finite = z.number();
  const nonNegative = finite.min(0);
  const positiveInt = z.number().int().min(1).max(3650);
  const share = finite.min(0).max(10);

  const componentSchemas = {
    usage_trend: z
      .object({
        weight: nonNegative,
        recentDays: positiveInt,
        baselineDays: positiveInt,
        minBaselineDays: positiveInt,
        minBaselineMean: nonNegative,
        zeroAtRatio: share,
        fullAtRatio: share,
      })
      .strict(),
    adoption: z
      .object({ weight: nonNegative, recentDays: positiveInt, zeroAtUtilisation: share, fullAtUtilisation: share })
      .strict(),
    billing: z
      .object({
        weight: nonNegative,
        windowDays: positiveInt,
        lookbackDays: positiveInt,
        penaltyPerFailure: nonNegative.max(100),
      })
      .strict(),
    engagement: z
      .object({ weight: nonNegative, fullWithinDays: z.number().int().min(0).max(3650), zeroAfterDays: positiveInt })
      .strict(),
    support: z
      .object({
        weight: nonNegative,
        windowDays: positiveInt,
        baselineDays: positiveInt,
        fullAtMultiple: nonNegative,
        zeroAtMultiple: nonNegative,
        escalationDays: positiveInt,
        escalationPenalty: nonNegative.max(100),
      })
      .strict(),
    sentiment: z
      .object({
        weight: nonNegative,
        windowDays: positiveInt,
        detractorMax: finite.min(0).max(9),
        detractorTop: nonNegative.max(100),
        passiveFloor: nonNegative.max(100),
      })
      .strict(),
    relationship: z
      .object({
        weight: nonNegative,
        championPoints: nonNegative.max(100),
        touchFullWithinDays: z.number().int().min(0).max(3650),
        touchZeroAfterDays: positiveInt,
      })
      .strict(),
  };

  const triggerOverrideSchema = z
    .object({
      params: z.record(z.string(), finite).optional(),
      priority: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).optional(),
      tier: z.enum(['automated', 'human']).optional(),
      enabled: z.boolean().optional(),
    })
    .strict();

  const partialComponents = z
    .object({
      usage_trend: componentSchemas.usage_trend.partial().optional(),
      adoption: componentSchemas.adoption.partial().optional(),
      billing: componentSchemas.billing.partial().optional(),
      engagement: componentSchemas.engagement.partial().optional(),
      support: componentSchemas.support.partial().optional(),
      sentiment: componentSchemas.sentiment.partial().optional(),
      relationship: componentSchemas.relationship.partial().optional(),
    })
    .strict();

  return z
    .object({
      components: z.object(componentSchemas).strict(),
      bands: z.object({ redBelow: finite.min(0).max(100), greenFrom: finite.min(0).max(100) }).strict(),
      trend: z.object({ compareDays: positiveInt, flatWithin: nonNegative.max(100) }).strict(),
      segments: z.record(z.string().min(1).max(100), z.object({ components: partialComponents.optional() }).strict()),
      // Lazy: the trigger list comes from the trigger modules, which import this file's neighbours.
      triggers: z.lazy(() => z.partialRecord(z.enum(TRIGGER_IDS), triggerOverrideSchema)),
      churnCurve: z.object({ intercept: finite, slope: finite, horizonDays: positiveInt }).strict(),
      urgency: z
        .object({
          withinDays: z.number().int().min(0).max(3650),
          maxBoost: nonNegative.max(10),
          overdueGraceDays: z.number().int().min(0).max(3650),
        })
        .strict(),
      fxToUsd: z.record(z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'), finite.positive()),
      calibration: z
        .object({
          minOutcomes: z.number().int().min(2).max(1_000_000),
          leadDays: z.number().int().min(0).max(365),
          windowDays: positiveInt,
        })
        .strict(),
      historyDays: z.number().int().min(1).max(400),
      dataQuality: z
        .object({
          staleAfterDays: z.number().int().min(0).max(3650),
          coverage: z.array(z.enum(COMPONENT_IDS)).min(1),
        })
        .strict(),
    })
    .strict()
    .superRefine((config, ctx) => {
      if (config.bands.redBelow > config.bands.greenFrom)
        ctx.addIssue({ code: 'custom', path: ['bands'], message: 'red must end at or below where green starts' });
      const total = COMPONENT_IDS.reduce((sum, id) => sum + config.components[id].weight, 0);
      if (total <= 0)
        ctx.addIssue({
          code: 'custom',
          path: ['components'],
          message: 'at least one component needs a weight above 0',
        });
      for (const [id, override] of Object.entries(config.triggers)) {
        for (const key of Object.keys(override?.params ?? {})) {
          if (!(key in DEFAULT_TRIGGERS[id as TriggerId].params))
            ctx.addIssue({
              code: 'custom',
              path: ['triggers', id, 'params', key],
              message: `${id} has no parameter ${key}`,
            });
        }
        // Each value within its module's range (a window of 0 days or a negative share is refused).
        const checked = TRIGGER_MODULE_BY_ID[id as TriggerId].params.safeParse(override?.params ?? {});
        for (const issue of checked.success ? [] : checked.error.issues)
          ctx.addIssue({ ...issue, path: ['triggers', id, 'params', ...issue.path] });
      }
    });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge for plain objects; arrays and scalars in `patch` replace. */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    out[key] = key in base ? deepMerge((base as Record<string, unknown>)[key], value) : value;
  }
  return out as T;
}

/** A stored or edited configuration, completed with the defaults and validated. Throws ZodError. */
export function completeConfig(input: unknown): ScoreConfig {
  const merged = deepMerge(structuredClone(DEFAULT_SCORE_CONFIG), isPlainObject(input) ? input : {});
  // Tables that are meant to be replaced wholesale, not merged key by key.
  if (isPlainObject(input) && isPlainObject(input.segments))
    merged.segments = input.segments as Record<string, SegmentOverride>;
  if (isPlainObject(input) && isPlainObject(input.triggers))
    merged.triggers = input.triggers as ScoreConfig['triggers'];
  return scoreConfigSchema().parse(merged) as ScoreConfig;
}

/**
 * A weight differing from the built-in default was set by the user in Settings, and the user's
 * weights win over fitted ones (all seven stay as configured). Putting every weight back to its
 * default hands the choice back to the fit. Here, with the defaults, rather than beside the fit
 * (model/component-weights.ts), so reading the weights in use does not load the fitting code.
 */
export function userSetWeights(config: ScoreConfig): boolean {
  return COMPONENT_IDS.some((id) => config.components[id].weight !== DEFAULT_SCORE_CONFIG.components[id].weight);
}

/** The component parameters for one segment: the base, with that segment's overrides on top. */
export function componentsFor(config: ScoreConfig, segment: string | null): ComponentParams {
  const override = segment ? config.segments[segment]?.components : undefined;
  return override ? deepMerge(config.components, override) : config.components;
}

export interface EffectiveTrigger extends TriggerDefinition {
  enabled: boolean;
}

/** The trigger catalog with this configuration's overrides applied (params merged key by key). */
export function effectiveTriggers(config: ScoreConfig): Record<TriggerId, EffectiveTrigger> {
  const out = {} as Record<TriggerId, EffectiveTrigger>;
  for (const id of TRIGGER_IDS) {
    const base = DEFAULT_TRIGGERS[id];
    const override = config.triggers[id];
    out[id] = {
      ...base,
      params: { ...base.params, ...(override?.params ?? {}) },
      priority: override?.priority ?? base.priority,
      tier: override?.tier ?? base.tier,
      enabled: override?.enabled ?? true,
    };
  }
  return out;
}

/** USD per unit of `currency`; unknown currencies count at par (and the list says so). */
export function fxRate(config: Pick<ScoreConfig, 'fxToUsd'>, currency: string): { rate: number; known: boolean } {
  const rate = config.fxToUsd[currency.toUpperCase()];
  return rate === undefined ? { rate: 1, known: false } : { rate, known: true };
}
