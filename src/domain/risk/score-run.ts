/**
 * The state a scoring run carries between its steps (score-all.ts): what it decided before reading
 * the book (Run), what the pass collects (Pass) and what the write needs of each account.
 */
import type { Db } from '../db/open.ts';
import type { Sample } from './calibration.ts';
import type { effectiveTriggers, ScoreConfig } from './config.ts';
import type { BookCoverage } from './data-age.ts';
import type { dataAgeRepo } from './data-age-repo.ts';
import type { Evaluation } from './evaluate.ts';
import type { Coverage } from './history-coverage.ts';
import type { ItemOp, planAccountItems, RiskItemRow } from './items.ts';
import type { LoadWindow } from './load.ts';
import type { CalibrationPlan } from './score-plan.ts';
import type { EventAggregator } from './event-aggregates.ts';
import type { MetricAggregator } from './series-aggregates.ts';
import type { RiskStore, ScoreRow } from './store.ts';
import type { ChurnModel } from './model/churn-model.ts';
import type { PrefetchFeed } from './series-prefetch.ts';
import type { WeightsInUse } from './weights-in-use.ts';

/** What the write needs of one evaluated account. */
export interface PendingAccount {
  id: string;
  arr: number;
  rate: number;
  score: number | null;
  band: Evaluation['band'];
  previousScore: number | null;
  delta: number | null;
  trend: Evaluation['trend'];
  daysToRenewal: number | null;
  lastTouchOn: string | null;
  triggerIds: string;
  triggersJson: string;
  reasonsJson: string;
  topReason: string;
  actionable: string;
  atRisk: boolean;
  dataThrough: string | null;
  stale: boolean;
  nowPacked: string;
  before: { score: number | null; band: Evaluation['band']; packed: string } | null;
}

/** Everything the run decides before it reads the book. */
export interface Run {
  db: Db;
  asOf: string;
  asOfDay: number;
  compareDay: number;
  now: string;
  version: number;
  config: ScoreConfig;
  triggers: ReturnType<typeof effectiveTriggers>;
  store: RiskStore;
  full: boolean;
  ids: string[];
  chunkSize: number;
  window: LoadWindow;
  /** Whether this run moves the live risk items, and why (score-plan.ts, itemsLive). */
  sync: { live: boolean; reason: string };
  plan: CalibrationPlan | null;
  fitting: boolean;
  /** Whether the churn model may be refitted on this run (model/churn-model.ts, churnModelFor). */
  fitModel: boolean | 'auto';
  /**
   * The churn model in use on the day (fitted when `fitModel`): its weights are known before the
   * pass; the model itself, when fitted, at the end of the run (run-model.ts, RunModel).
   */
  model: () => ChurnModel;
  /** The pass's uncached series read beside it by the fit worker (series-prefetch.ts), or null. */
  prefetch: PrefetchFeed | null;
  /** The component weights the run scores with (weights-in-use.ts). */
  weights: WeightsInUse;
  /** First day of the history window, when some account's history needs filling (else null). */
  backfillFrom: number | null;
  /**
   * A run without a history window (the app's runs): history is only kept contiguous
   * (score-account-days.ts); the rest is filled after the ranked list (history-fill.ts).
   */
  historyForward: boolean;
  book: BookCoverage;
  ages: ReturnType<typeof dataAgeRepo>;
  existingItems: Map<string, RiskItemRow[]>;
  itemContext: Parameters<typeof planAccountItems>[2];
}

/** What the pass collects for the write. */
export interface Pass {
  results: PendingAccount[];
  itemOps: ItemOp[];
  samples: Sample[];
  coverage: Coverage[];
  seen: Set<string>;
  history: ScoreRow[];
  historyRows: number;
  backfilled: number;
  timings: { read: number; evaluate: number; write: number };
  /** The churn model's metric aggregates of the day, folded while reading (whole-book runs). */
  aggregates?: MetricAggregator;
  /** Its event aggregates of the engine's types, folded from the events read (whole-book runs). */
  events?: EventAggregator;
}
