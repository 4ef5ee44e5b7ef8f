/**
 * From one account's bundle to its health score, explanation, trend and fired triggers for a day.
 * Pure: no database, no clock. `scoreDay` is the cheap numeric core (used for history backfill and
 * calibration samples); `evaluateAccount` adds the words and the triggers for the as-of day.
 */
import { eventsOf, lastIndexOnOrBefore, type AccountBundle } from './bundle.ts';
import { DEFAULT_TRIGGERS, TRIGGER_IDS, type Priority, type Tier, type TriggerId } from './catalog.ts';
import { computeComponent, describeComponent, describeRule, type ComponentValue, type Inputs } from './components.ts';
import {
  COMPONENT_IDS,
  COMPONENT_LABELS,
  componentsFor,
  type ComponentId,
  type ComponentParams,
  type EffectiveTrigger,
  type ScoreConfig,
} from './config.ts';
import { freshness, newestDataDay, renewalOverdueSentence, staleSentence, type Freshness } from './data-age.ts';
import { dayNumber, dayString } from './days.ts';
import { num, signed } from './explain.ts';
import { checkTriggers, type Band, type TriggerCheck } from './triggers.ts';
import { weighComponents } from './weighting.ts';
import { pChurnText } from '../../shared/p-churn.ts';

export type { Band } from './triggers.ts';
export type Trend = 'up' | 'down' | 'flat' | 'new';

export interface DayScore {
  day: number;
  /** 0–100 rounded, or null when no coverage component (usage, seats, logins) has data. */
  score: number | null;
  /** Null without a score, and null when the data is stale (never green on old data). */
  band: Band | null;
  /** How old the account's data is on the day (data-age.ts). */
  freshness: Freshness;
  values: ComponentValue[];
  /** Each present component's share of the score after renormalisation (sums to 1). */
  shares: Partial<Record<ComponentId, number>>;
}

export function bandOf(score: number | null, bands: ScoreConfig['bands']): Band | null {
  if (score === null) return null;
  if (score < bands.redBelow) return 'red';
  if (score < bands.greenFrom) return 'yellow';
  return 'green';
}

/**
 * The weighted score of one day: components with data, weights renormalised over them. `dataThrough`
 * overrides the newest data day found in the bundle (the run looks it up when the loaded windows
 * hold none).
 */
// scoreDay runs for every account and history day: the weights list is built once per parameter
// set, and the component scores go through one reused buffer (NaN: no data).
const scratch = new Float64Array(COMPONENT_IDS.length);
const weightLists = new WeakMap<ComponentParams, number[]>();
function weightsOf(params: ComponentParams): number[] {
  let list = weightLists.get(params);
  if (!list) weightLists.set(params, (list = COMPONENT_IDS.map((id) => params[id].weight)));
  return list;
}

export function scoreDay(
  bundle: AccountBundle,
  day: number,
  config: ScoreConfig,
  params: ComponentParams = componentsFor(config, bundle.account.segment),
  dataThrough?: number | null,
): DayScore {
  const values: ComponentValue[] = [];
  for (const id of COMPONENT_IDS) values.push(computeComponent(id, bundle, day, params));
  for (let k = 0; k < values.length; k++) scratch[k] = values[k]!.score ?? NaN;
  const weighed = weighComponents(scratch, weightsOf(params), config.dataQuality.coverage);
  const shares = weighed.shares;
  const score = weighed.score === null ? null : Math.round(weighed.score);
  const fresh = freshness(
    dataThrough === undefined ? newestDataDay(bundle, day) : dataThrough,
    day,
    config.dataQuality.staleAfterDays,
  );
  return { day, score, band: fresh.stale ? null : bandOf(score, config.bands), freshness: fresh, values, shares };
}

/** Compact per-day component scores for the history table: "18,45,100,,100,60,75" in COMPONENT_IDS order. */
export function packComponents(score: DayScore): string {
  return score.values.map((v) => (v.score === null ? '' : String(Math.round(v.score)))).join(',');
}

export function unpackComponents(packed: string): Partial<Record<ComponentId, number>> {
  const out: Partial<Record<ComponentId, number>> = {};
  packed.split(',').forEach((part, i) => {
    const id = COMPONENT_IDS[i];
    if (id && part !== '') out[id] = Number(part);
  });
  return out;
}

export interface ComponentExplanation {
  id: ComponentId;
  label: string;
  /** Configured (relative) weight. */
  weight: number;
  /** Share of the score after renormalisation, 0–1; null when left out. */
  share: number | null;
  score: number | null;
  /** Points this component adds to the score (share × score). */
  points: number | null;
  inputs: Inputs;
  thresholds: Record<string, number>;
  rule: string;
  explanation: string;
}

export interface Mover {
  id: ComponentId;
  label: string;
  from: number | null;
  to: number | null;
  /** Change in weighted points this component caused. */
  points: number;
}

export interface FiredTrigger {
  id: TriggerId;
  label: string;
  priority: Priority;
  tier: Tier;
  evidence: string;
  facts: Record<string, unknown>;
}

export interface Evaluation {
  accountId: string;
  asOf: string;
  score: number | null;
  band: Band | null;
  components: ComponentExplanation[];
  leftOut: { id: ComponentId; label: string; reason: string }[];
  summary: string;
  /** The newest data is older than the configured limit: no band (data-age.ts). */
  stale: boolean;
  /** The newest day of any data on or before the as-of day, and its age in days. */
  dataThrough: string | null;
  dataAgeDays: number | null;
  /** No usage or engagement component has data, so there is no score. */
  insufficientData: boolean;
  /** The renewal date is before the as-of day. */
  renewalOverdue: boolean;
  previous: { asOf: string; score: number | null; band: Band | null } | null;
  trend: Trend;
  delta: number | null;
  movers: Mover[];
  change: string | null;
  checks: TriggerCheck[];
  fired: FiredTrigger[];
  daysToRenewal: number | null;
  lastTouchOn: string | null;
  reasons: string[];
  topReason: string;
}

function explainComponents(day: DayScore, params: ComponentParams, detail: 'full' | 'summary'): ComponentExplanation[] {
  return day.values.map((value) => {
    // The ranked list only shows the weak components' sentences; the account page shows all.
    const wanted = detail === 'full' || (value.score !== null && value.score < 50);
    const { weight, ...thresholds } = params[value.id] as { weight: number } & Record<string, number>;
    const share = day.shares[value.id] ?? null;
    return {
      id: value.id,
      label: COMPONENT_LABELS[value.id],
      weight,
      share,
      score: value.score === null ? null : Math.round(value.score),
      points: share === null || value.score === null ? null : share * value.score,
      inputs: value.inputs,
      thresholds,
      rule: detail === 'full' ? describeRule(value.id, params) : '',
      explanation: wanted ? describeComponent(value, day.day, params) : '',
    };
  });
}

export function trendOf(delta: number | null, flatWithin: number): Trend {
  if (delta === null) return 'new';
  if (Math.abs(delta) < flatWithin) return 'flat';
  return delta > 0 ? 'up' : 'down';
}

/** Which components moved the score between two days, in weighted points, biggest first. */
export function moversBetween(before: DayScore, after: DayScore): Mover[] {
  const movers: Mover[] = [];
  for (let i = 0; i < COMPONENT_IDS.length; i++) {
    const id = COMPONENT_IDS[i] as ComponentId;
    const a = before.values[i]?.score ?? null;
    const b = after.values[i]?.score ?? null;
    const pointsBefore = a === null ? 0 : (before.shares[id] ?? 0) * a;
    const pointsAfter = b === null ? 0 : (after.shares[id] ?? 0) * b;
    const points = pointsAfter - pointsBefore;
    if (Math.abs(points) >= 0.5)
      movers.push({
        id,
        label: COMPONENT_LABELS[id],
        from: a === null ? null : Math.round(a),
        to: b === null ? null : Math.round(b),
        points,
      });
  }
  return movers.sort((x, y) => Math.abs(y.points) - Math.abs(x.points) || x.id.localeCompare(y.id));
}

function describeChange(delta: number, since: string, before: number, after: number, movers: Mover[]): string {
  const direction = delta > 0 ? 'Up' : 'Down';
  const parts = movers
    .slice(0, 3)
    .map(
      (m) =>
        `${m.label.toLowerCase()} ${m.from === null ? 'no data' : m.from}→${m.to === null ? 'no data' : m.to} (${signed(m.points)} pts)`,
    );
  return `${direction} ${Math.abs(delta)} points since ${since} (${before} → ${after})${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

/** Facts are stored and compared: fractions keep three decimals, which is all any reader needs. */
export function tidyFacts(facts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(facts))
    out[key] = typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
  return out;
}

const TRIGGER_ORDER = new Map(TRIGGER_IDS.map((id, i) => [id, i]));

/**
 * The evaluation of an account as of `asOf`, with the score a week earlier for the trend. 'summary'
 * (the whole-book run) writes only the sentences the ranked list shows; 'full' writes all of them.
 */
export function evaluateAccount(
  bundle: AccountBundle,
  asOf: string,
  config: ScoreConfig,
  triggers: Record<TriggerId, EffectiveTrigger>,
  precomputed?: { now?: DayScore; before?: DayScore; wantText?: (id: TriggerId) => boolean },
  detail: 'full' | 'summary' = 'full',
): Evaluation {
  const day = dayNumber(asOf);
  const params = componentsFor(config, bundle.account.segment);
  const now = precomputed?.now ?? scoreDay(bundle, day, config, params);
  const compareDay = day - config.trend.compareDays;
  const before = precomputed?.before ?? scoreDay(bundle, compareDay, config, params);
  const components = explainComponents(now, params, detail);
  const leftOut = components
    .filter((c) => c.score === null || c.share === null)
    .map((c) => ({ id: c.id, label: c.label, reason: String(c.inputs.missing ?? 'weight 0') }));
  const present = components.length - leftOut.length;

  const coverage = config.dataQuality.coverage.map((id) => COMPONENT_LABELS[id].toLowerCase()).join(', ');
  const insufficientData = now.score === null;
  let summary: string;
  if (insufficientData) summary = `Insufficient data: no score without data for ${coverage}.`;
  else {
    summary = `Score ${now.score} (${now.band ?? 'no band'}) from ${present} of ${components.length} components.`;
    if (leftOut.length > 0) {
      summary += ` Left out for lack of data: ${leftOut.map((c) => `${c.label.toLowerCase()} (${c.reason})`).join('; ')}; the other weights were scaled up to 100%.`;
    }
  }

  const stale = now.freshness.stale;
  // A score from data that stopped arriving is no evidence of health: it is not shown (data-gap.ts).
  if (stale)
    summary = `${staleSentence(now.freshness, day, config.dataQuality.staleAfterDays)} No score or P(churn) is shown from it.`;

  const created = bundle.account.created_at ? dayNumber(bundle.account.created_at) : null;
  const existedBefore = created === null || created <= compareDay;
  const previousScore = existedBefore ? before.score : null;
  const delta = now.score !== null && previousScore !== null ? now.score - previousScore : null;
  const trend = trendOf(delta, config.trend.flatWithin);
  const movers = delta !== null ? moversBetween(before, now) : [];
  const change =
    delta !== null && trend !== 'flat'
      ? describeChange(delta, dayString(compareDay), previousScore as number, now.score as number, movers)
      : null;

  let weakest: { label: string; score: number } | null = null;
  let lost = 0;
  for (const c of components) {
    if (c.score === null || c.share === null) continue;
    const cost = c.share * (100 - c.score);
    if (cost > lost) {
      lost = cost;
      weakest = { label: c.label, score: c.score };
    }
  }
  const checks = checkTriggers(
    { bundle, day, band: now.band, score: now.score, weakest },
    triggers,
    detail === 'full' ? undefined : precomputed?.wantText,
  );
  const fired: FiredTrigger[] = checks
    .filter((c) => c.fired)
    .map((c) => ({
      id: c.id,
      label: DEFAULT_TRIGGERS[c.id].label,
      priority: triggers[c.id].priority,
      tier: triggers[c.id].tier,
      evidence: c.text,
      facts: tidyFacts(c.facts),
    }))
    .sort((a, b) => a.priority - b.priority || (TRIGGER_ORDER.get(a.id) ?? 0) - (TRIGGER_ORDER.get(b.id) ?? 0));

  const reasons: string[] = fired.map((f) => `${f.label}: ${f.evidence}`);
  const weak = components
    .filter((c) => c.score !== null && c.share !== null && c.score < 50)
    .sort(
      (a, b) =>
        (b.share as number) * (100 - (b.score as number)) - (a.share as number) * (100 - (a.score as number)) ||
        a.id.localeCompare(b.id),
    )
    .slice(0, 2);
  for (const c of weak) reasons.push(`${c.label} ${c.score}/100: ${c.explanation.replace(/ → \d+\/100$/, '')}.`);
  if (change) reasons.push(change);
  const renewal = bundle.account.renewal_date;
  const daysToRenewal = renewal ? dayNumber(renewal) - day : null;
  const renewalOverdue = renewal !== null && daysToRenewal !== null && daysToRenewal < 0;
  if (renewalOverdue) reasons.push(renewalOverdueSentence(renewal, daysToRenewal));
  // Old data never reads as health: the staleness comes first.
  if (stale) reasons.unshift(staleSentence(now.freshness, day, config.dataQuality.staleAfterDays));
  if (reasons.length === 0)
    reasons.push(now.score === null ? summary : `Healthy: score ${now.score} (${now.band}), no trigger fired.`);

  const touches = eventsOf(bundle, 'csm_touch');
  const lastTouch = lastIndexOnOrBefore(touches, day);
  const lastTouchOn = lastTouch >= 0 ? dayString(touches.days[lastTouch] as number) : null;

  return {
    accountId: bundle.account.account_id,
    asOf,
    score: now.score,
    band: now.band,
    components,
    leftOut,
    summary,
    stale,
    dataThrough: now.freshness.dataThrough === null ? null : dayString(now.freshness.dataThrough),
    dataAgeDays: now.freshness.ageDays,
    insufficientData,
    renewalOverdue,
    previous: existedBefore ? { asOf: dayString(compareDay), score: before.score, band: before.band } : null,
    trend,
    delta,
    movers,
    change,
    checks,
    fired,
    daysToRenewal,
    lastTouchOn,
    reasons,
    topReason: reasons[0] as string,
  };
}

/** P(churn within the curve's horizon | score). An account with no score counts as 50. */
export function churnProbability(score: number | null, curve: { intercept: number; slope: number }): number {
  const x = curve.intercept + curve.slope * (score ?? 50);
  return 1 / (1 + Math.exp(-x));
}

/** 1 outside the renewal window; rises linearly to 1 + maxBoost on the renewal day (and while just overdue). */
export function urgencyFactor(daysToRenewal: number | null, urgency: ScoreConfig['urgency']): number {
  if (daysToRenewal === null || daysToRenewal > urgency.withinDays || daysToRenewal < -urgency.overdueGraceDays)
    return 1;
  if (urgency.withinDays <= 0) return 1 + urgency.maxBoost;
  const left = Math.max(0, daysToRenewal);
  return 1 + (urgency.maxBoost * (urgency.withinDays - left)) / urgency.withinDays;
}

/** Expected ARR at risk: P(churn) × urgency (capped at certainty) × ARR. */
export function expectedArrAtRisk(arr: number, probability: number, urgency: number): number {
  return Math.min(1, probability * urgency) * arr;
}

export function describeMoney(probability: number, urgency: number, horizonDays: number): string {
  const boost = urgency > 1 ? `, ×${num(urgency)} for the renewal date` : '';
  return `P(churn within ${horizonDays} days) ${pChurnText(probability)}${boost}`;
}
