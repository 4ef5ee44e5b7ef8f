/** Shapes returned by the risk engine's API calls. Plain data; the renderer imports these. */
import type { Page } from './core.ts';
import type { DataGap } from './data-gap.ts';

/** Health bands, worst first. */
export const BANDS = ['red', 'yellow', 'green'] as const;
export type Band = (typeof BANDS)[number];
export type Trend = 'up' | 'down' | 'flat' | 'new';
export type RiskItemStatus = 'open' | 'in_progress' | 'resolved' | 'dismissed';
export type TriggerTier = 'automated' | 'human';

export const RISK_SORT_COLUMNS = [
  'rank',
  'name',
  'arr',
  'score',
  'trend',
  'renewal',
  'owner',
  'last_touch',
  'expected',
] as const;
export type RiskSortColumn = (typeof RISK_SORT_COLUMNS)[number];

/** A fired trigger on a row, with the risk item that tracks it (when items are synced for the day). */
export interface RiskRowTrigger {
  id: string;
  label: string;
  priority: number;
  evidence: string;
  itemId: number | null;
  itemStatus: RiskItemStatus | null;
  snoozedUntil: string | null;
  /** Who snoozed it, when a colleague did (from the team hub). */
  snoozedBy?: string | null;
  /** Held out as the control group: no suggested outreach. */
  control: boolean;
  /** False when snoozed or held back by a dismissal. */
  actionable: boolean;
}

/**
 * One row of the Today list, as sent to the renderer: only what the table shows (cells and their
 * tooltips) and what keyboard triage needs. Performance (docs/performance.md, "UI: search
 * keystroke"): the full row was about 2.2 KB, mostly the reasons repeating every trigger's
 * evidence; the CLI and tests read the full row from the domain (RiskListEntry).
 */
export interface RiskListRow {
  /** Position in the day's at-risk list (1 = most ARR at stake), whatever the filters. */
  rank: number;
  accountId: string;
  name: string;
  owner: string | null;
  segment: string | null;
  arr: number;
  currency: string;
  score: number | null;
  band: Band | null;
  trend: Trend;
  scoreDelta: number | null;
  /** Daily scores of the last 30 days, oldest first; null where none is stored. */
  sparkline: (number | null)[];
  /** In the account's currency. */
  expectedArrAtRisk: number;
  /**
   * The reasons that are not a trigger's own: weak components and the week's change. The row's
   * full list of reasons is each trigger's "Label: evidence", in order, then these (see
   * listRowReasons); the first of that list is the row's top reason.
   */
  notes: string[];
  triggers: RiskRowTrigger[];
  renewalDate: string | null;
  daysToRenewal: number | null;
  lastTouchOn: string | null;
}

/** A row's reasons, most important first: its triggers' ("Label: evidence"), then its notes. */
export function listRowReasons(row: Pick<RiskListRow, 'triggers' | 'notes'>): string[] {
  return [...row.triggers.map((t) => `${t.label}: ${t.evidence}`), ...row.notes];
}

export interface RiskListTotals {
  /** Accounts on the at-risk list (all filters except paging applied). */
  accounts: number;
  /** Their ARR, and their expected ARR at risk, in USD (converted with the configured FX table). */
  arrUsd: number;
  expectedArrAtRiskUsd: number;
}

/** An account with stale data (older than the limit) or no data: no band, listed in Today's "stale data" group. */
export interface StaleAccountRow {
  accountId: string;
  name: string;
  owner: string | null;
  segment: string | null;
  arr: number;
  currency: string;
  /** The newest day of its data, and how many days before the list's day that is. */
  dataThrough: string | null;
  dataAgeDays: number | null;
  /** Why it is not ranked: its data is stale, or there is none to score. */
  gap: DataGap;
}

export interface RiskListPage extends Page<RiskListRow> {
  /** The day the rows were computed for (may be earlier than asked while today is being scored), null when nothing is scored yet. */
  asOf: string | null;
  requestedAsOf: string;
  /** A scoring job for the requested day is running; the list will reload when it finishes. */
  scoring: boolean;
  /**
   * Why the requested day cannot be scored now (a source's first pull stopped part-way, so nothing
   * is scored from half a book); null when it can.
   */
  notScored: string | null;
  totals: RiskListTotals;
  configVersion: number | null;
  computedAt: string | null;
  /** The newest data day of the shown day's book ("data through 27 Feb"), null when unknown. */
  dataThrough: string | null;
  /**
   * Set when this book's own backtest does not support the P(churn) and expected ARR at risk
   * shown (forecast-caveat.ts): one sentence saying they are unvalidated here.
   */
  forecastCaveat: string | null;
  /**
   * The accounts with stale data or no data (owner and segment filters applied): their count,
   * how many of them have no data, and the first few.
   */
  stale: { count: number; noData: number; accounts: StaleAccountRow[] };
}

export interface RiskFacets {
  owners: string[];
  segments: string[];
  triggers: { id: string; label: string; kind: 'risk' | 'opportunity' }[];
  /** The user's own owner email ("my accounts"), or null when not set. */
  me: string | null;
}

export interface ComponentDto {
  id: string;
  label: string;
  weight: number;
  share: number | null;
  score: number | null;
  points: number | null;
  inputs: Record<string, number | string | null>;
  thresholds: Record<string, number>;
  rule: string;
  explanation: string;
}

export interface TriggerCheckDto {
  id: string;
  label: string;
  fired: boolean;
  text: string;
  priority: number;
  tier: TriggerTier;
  description: string;
}

export interface StatusStayDto {
  status: string;
  enteredAt: string;
  leftAt: string | null;
  reason: string | null;
  days: number;
}

export interface RiskItemDto {
  itemId: number;
  accountId: string;
  triggerId: string;
  label: string;
  status: RiskItemStatus;
  priority: number;
  tier: TriggerTier;
  evidence: string;
  control: boolean;
  firstFiredOn: string;
  lastFiredOn: string;
  snoozedUntil: string | null;
  snoozeReason: string | null;
  /** Snoozed past the as-of day. */
  snoozed: boolean;
  /** Who snoozed it, when a colleague did (pulled from the team hub); null when it was snoozed here. */
  snoozedBy: string | null;
  closedOn: string | null;
  closeReason: string | null;
  stays: StatusStayDto[];
}

export interface TimelineEntry {
  /** ISO instant or day. */
  at: string;
  kind: 'event' | 'risk_item' | 'intervention';
  type: string;
  title: string;
  /** An event's money (payment, renewal, plan change) in the account's currency, for the screen to format; else null. */
  amount: number | null;
  detail: string | null;
}

export interface ContactDto {
  contactId: string;
  name: string | null;
  email: string | null;
  role: string | null;
  isChampion: boolean;
  active: boolean;
  lastSeenAt: string | null;
}

/** Which component weights the health score uses (docs/risk-engine.md, "Component weights"). */
export interface WeightsInUseDto {
  source: 'fitted' | 'default' | 'user';
  values: Record<string, number>;
}

export interface AccountRisk {
  asOf: string;
  account: {
    accountId: string;
    name: string;
    owner: string | null;
    segment: string | null;
    plan: string | null;
    arr: number;
    currency: string;
    arrUsd: number;
    locale: string | null;
    seatsPurchased: number | null;
    usageLimit: number | null;
    renewalDate: string | null;
    createdAt: string | null;
    lifecycleStage: string | null;
    status: 'active' | 'churned';
    churnedAt: string | null;
  };
  /** False for an account that is churned or not yet created on the as-of day. */
  active: boolean;
  /**
   * The day it churned, when it had churned by the as-of day: a lost customer shows no score, band,
   * forecast, data diagnosis or renewal prompt, only that it churned.
   */
  churnedOn: string | null;
  /** Null with stale data or no data (dataGap): a score from such data is never shown. */
  score: number | null;
  dataGap: DataGap | null;
  band: Band | null;
  /** Week over week (src/shared/trend-words.ts); null with stale data or no data, like the score. */
  trend: Trend | null;
  delta: number | null;
  previous: { asOf: string; score: number | null; band: Band | null } | null;
  summary: string;
  /** The newest data is older than the configured limit: no band, listed under "stale data" on Today. */
  stale: boolean;
  /** The newest day of any data on or before the as-of day, its age in days, and the limit. */
  dataThrough: string | null;
  dataAgeDays: number | null;
  staleAfterDays: number;
  /** The newest day of each kind of data: metrics by name, events by family (payments, tickets, nps, touches, lifecycle). */
  dataByKind: Record<string, string | null>;
  /** No usage or engagement component has data, so there is no score. */
  insufficientData: boolean;
  /** The renewal date is before the as-of day. */
  renewalOverdue: boolean;
  change: string | null;
  movers: { id: string; label: string; from: number | null; to: number | null; points: number }[];
  components: ComponentDto[];
  /** pChurn and the expected ARR at risk are null with stale data or no data: no forecast. */
  money: {
    pChurn: number | null;
    urgency: number;
    expectedArrAtRisk: number | null;
    expectedArrAtRiskUsd: number | null;
    horizonDays: number;
    curve: 'default' | 'logistic';
    explanation: string;
    /**
     * Set when this book's own backtest does not support the P(churn) shown (the default curve in
     * use, or a backtest interval reaching 0.5): one sentence saying it is unvalidated here.
     */
    caveat: string | null;
  };
  rank: number | null;
  reasons: string[];
  triggers: TriggerCheckDto[];
  history: { asOf: string; score: number | null; band: Band | null }[];
  items: RiskItemDto[];
  contacts: ContactDto[];
  timeline: TimelineEntry[];
  bands: { redBelow: number; greenFrom: number };
  configVersion: number;
  /** The component weights the score used: fitted from outcomes, the defaults, or the user's (Settings). */
  weights: WeightsInUseDto;
}

/** One decile of the backtest's calibration table: mean predicted P(churn) vs the observed share. */
export interface CalibrationBinDto {
  decile: number;
  n: number;
  predicted: number;
  observed: number;
  /**
   * Wilson interval of the observed share, simultaneous 95% over the table (Bonferroni); agrees: the
   * observed count is plausible under the prediction at the same level (binomial tails).
   */
  low: number;
  high: number;
  agrees: boolean;
}

/** A past day's AUC from fewer churned accounts than this is one or a few ranks, not a trend point. */
export const MIN_CHURNERS_PER_DAY = 10;

export interface BacktestFiguresDto {
  /** Account-days (an account counts once per past day it was active on). */
  samples: number;
  /** Churn account-days: a churned account counts once per past day whose window held its churn. */
  outcomes: number;
  /** Distinct churned accounts: the evidence (null for a model stored before it was counted). */
  churned_accounts: number | null;
  auc: number | null;
  auc_ci: [number, number] | null;
  top_decile_share: number | null;
  top_decile_recall: number | null;
  brier: number | null;
  calibration: CalibrationBinDto[];
}

/**
 * `foresight score-quality --json` and Settings → Health score: the app's own estimate, from the
 * newest past days with enough of their outcome window seen by `as_of`, each replayed as the model
 * in use then would have scored it, of how well the churn model ranks churn over the next 90 days
 * (rolling-origin backtest, docs/risk-engine.md; `backtest_note` says which days and windows).
 */
export interface ScoreQuality extends BacktestFiguresDto {
  as_of: string;
  /** learned: fitted on this book; curve: a curve over the health score fitted to it; default: the documented curve. */
  method: 'learned' | 'curve' | 'default';
  /** Why this method is in use, in one or two sentences. */
  note: string;
  /** True when no past day can be judged (none with enough of its window seen, or none with fresh data). */
  too_little_history: boolean;
  /** How the top-level figures were measured, in words (which past days, how much of their window seen). */
  backtest_note: string;
  /**
   * replayed: past days scored by the model as fitted then; cross-validated: an early estimate (the
   * newest past day, out of fold by account); scored: by the curve in use; none: too little history.
   */
  backtest_method: 'replayed' | 'cross-validated' | 'scored' | 'none';
  /**
   * Set when the backtest (and the fit) used a sample of the book's accounts, to bound the fit's
   * cost on a large book: `accounts` of `of`. `backtest_note` says so in words.
   */
  sample: { accounts: number; of: number } | null;
  horizon_days: number;
  step_days: number;
  min_outcomes: number;
  /**
   * Every calibration decile's prediction lies inside its observed interval; null when it cannot be
   * judged (no past day with its whole horizon seen, or no churn on those days).
   */
  calibrated: boolean | null;
  /**
   * What `brier`, `calibration` and `calibrated` measure: the horizon's P(churn) (the one the app
   * shows) on the past days whose whole horizon was seen, out of sample; or why they cannot be judged.
   */
  calibration_note: string;
  /**
   * Per past day: figures of the model in use. `replayed` days make the top-level figures (scored
   * as the model of that day would have); the others taught the model (cross-validated figures).
   * `closed`: the whole window has passed.
   */
  origins: (BacktestFiguresDto & {
    day: string;
    window_days: number;
    closed: boolean;
    /** Part of the top-level (headline) figures. */
    in_backtest: boolean;
    /** Scored by the model as it would have been fitted that day (backtest_method 'replayed' only). */
    replayed: boolean;
    health_score_auc: number | null;
    /** Fewer than MIN_CHURNERS_PER_DAY churned accounts: the day's AUC is not charted as a point. */
    too_few_churners: boolean;
  })[];
  /** Each candidate's backtest AUC and interval, on the same samples. */
  candidates: Record<'learned' | 'curve' | 'default', { auc: number | null; auc_ci: [number, number] | null }>;
  /**
   * The component weights in use and why (`source`, `values`, `note`), each component's default,
   * configured, fitted and in-use weight, and the evidence: the out-of-fold AUC of the health score
   * with fitted weights against the configured weights' AUC on the same samples, with intervals.
   */
  weights: WeightsInUseDto & {
    note: string;
    components: {
      id: string;
      label: string;
      default: number;
      configured: number;
      fitted: number | null;
      in_use: number;
    }[];
    fitted_auc: number | null;
    fitted_auc_ci: [number, number] | null;
    configured_auc: number | null;
    configured_auc_ci: [number, number] | null;
    /** Fitted minus configured AUC on the same past days, with its paired 95% interval. */
    gain: number | null;
    gain_ci: [number, number] | null;
  };
  /** Backtest AUC of a score with the fitted weights (null when not fitted). */
  fitted_weights_auc: number | null;
  /** The learned model's strongest features, in words (empty unless learned). */
  top_features: { feature: string; text: string; weight: number }[];
  /** The curve over the health score in use when not learned, and P(churn) by score. */
  curve: { intercept: number; slope: number };
  points: { score: number; p: number }[];
  computed_at: string | null;
}

export interface ScoreConfigDto {
  version: number;
  note: string | null;
  createdAt: string | null;
  /** The complete configuration document (see docs/risk-engine.md). */
  config: Record<string, unknown>;
  defaults: Record<string, unknown>;
  versions: { version: number; note: string | null; createdAt: string | null }[];
  components: { id: string; label: string }[];
  triggers: {
    id: string;
    label: string;
    description: string;
    priority: number;
    tier: TriggerTier;
    params: Record<string, number>;
    defaults: Record<string, number>;
    enabled: boolean;
  }[];
  segments: string[];
}

export interface RescoreResult {
  asOf: string;
  scored: number;
  atRisk: number;
  ms: number;
}

/** The note saved with a score configuration version, in characters. */
export const CONFIG_NOTE_MAX = 500;
