/**
 * P(churn | score) from the book's own outcomes, and how well the score separates churners.
 *
 * Samples: every account that churned within the calibration window, scored `leadDays` before it
 * churned (label 1), and every account still active, scored `leadDays` before the as-of day
 * (label 0). That is a case-control sample (churners from a long window, survivors from one day),
 * so after the logistic fit the intercept is prior-corrected (King & Zeng 2001) to the book's real
 * churn rate over the curve's horizon. AUC and the top-decile figures are rank statistics of the
 * score itself and need no correction.
 *
 * P(churn) shown to users no longer comes from this curve: it comes from the churn model chosen by
 * rolling-origin backtest (model/, docs/risk-engine.md). This fit is still recorded in
 * risk_calibration by the scoring run, for comparison only.
 */
import { aucOf, topDecileOf } from './model/stats.ts';

export interface Sample {
  score: number;
  label: 0 | 1;
}

export interface LogisticFit {
  intercept: number;
  slope: number;
  iterations: number;
  converged: boolean;
}

/**
 * Maximum-likelihood logistic regression of label on score, by Newton's method on a centred and
 * scaled score, with a tiny ridge so a perfectly separable sample still converges.
 */
export function fitLogistic(samples: readonly Sample[], { maxIterations = 100, ridge = 1e-4 } = {}): LogisticFit {
  let a = 0;
  let b = 0;
  const xs = samples.map((s) => (s.score - 50) / 10);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = ridge;
    let hab = 0;
    let hbb = ridge;
    for (let i = 0; i < samples.length; i++) {
      const x = xs[i] as number;
      const p = 1 / (1 + Math.exp(-(a + b * x)));
      const r = (samples[i] as Sample).label - p;
      const w = p * (1 - p);
      ga += r;
      gb += r * x;
      haa += w;
      hab += w * x;
      hbb += w * x * x;
    }
    gb -= ridge * b;
    ga -= ridge * a;
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9)
      return { intercept: a - 5 * b, slope: b / 10, iterations: iteration, converged: true };
  }
  return { intercept: a - 5 * b, slope: b / 10, iterations: maxIterations, converged: false };
}

/** As stats.ts sees it: a lower score is a riskier prediction. */
const asScored = (samples: readonly Sample[]) => samples.map((s) => ({ p: -s.score, label: s.label }));

/** Area under the ROC curve of "a lower score means churn": 1 perfect, 0.5 chance. Null without both classes. */
export function auc(samples: readonly Sample[]): number | null {
  return aucOf(asScored(samples));
}

/** The riskiest 10% of the sample by score: the share of them who churned, and the share of all churners they hold. */
export function topDecile(samples: readonly Sample[]): { share: number; recall: number } | null {
  return topDecileOf(asScored(samples));
}

export interface CalibrationInput {
  samples: readonly Sample[];
  /** Churn outcomes observed in the window, and the window's length in days. */
  churners: number;
  windowDays: number;
  /** Active accounts on the as-of day. */
  activeAccounts: number;
  horizonDays: number;
  minOutcomes: number;
  fallback: { intercept: number; slope: number };
}

export interface CalibrationResult {
  method: 'default' | 'logistic';
  intercept: number;
  slope: number;
  samples: number;
  outcomes: number;
  auc: number | null;
  topDecileShare: number | null;
  topDecileRecall: number | null;
  /** The book's churn rate over the horizon that the curve was corrected to. */
  baseRate: number | null;
  note: string;
}

export function calibrate(input: CalibrationInput): CalibrationResult {
  const outcomes = input.samples.filter((s) => s.label === 1).length;
  const rank = { auc: auc(input.samples), top: topDecile(input.samples) };
  const base = {
    samples: input.samples.length,
    outcomes,
    auc: rank.auc,
    topDecileShare: rank.top?.share ?? null,
    topDecileRecall: rank.top?.recall ?? null,
  };
  const population = input.activeAccounts + input.churners;
  const baseRate =
    population > 0 && input.windowDays > 0
      ? Math.min(0.95, (input.churners * input.horizonDays) / (input.windowDays * population))
      : null;
  if (outcomes < input.minOutcomes || outcomes === input.samples.length || baseRate === null || baseRate <= 0) {
    return {
      method: 'default',
      ...input.fallback,
      ...base,
      baseRate,
      note:
        outcomes < input.minOutcomes
          ? `Using the default curve: ${outcomes} churn outcome${outcomes === 1 ? '' : 's'} in the book, ${input.minOutcomes} needed to calibrate.`
          : 'Using the default curve: the outcomes do not allow a fit.',
    };
  }
  const fit = fitLogistic(input.samples);
  const sampleShare = outcomes / input.samples.length;
  const correction = Math.log((sampleShare / (1 - sampleShare)) * ((1 - baseRate) / baseRate));
  const slope = fit.slope;
  // A fit that says healthier accounts churn more is noise; keep the default shape then.
  if (!(slope < 0) || !fit.converged) {
    return {
      method: 'default',
      ...input.fallback,
      ...base,
      baseRate,
      note: 'Using the default curve: the fitted curve did not fall with the score.',
    };
  }
  return {
    method: 'logistic',
    intercept: fit.intercept - correction,
    slope,
    ...base,
    baseRate,
    note: `Calibrated from ${outcomes} churn outcomes and ${input.samples.length - outcomes} active accounts, corrected to a ${Math.round(baseRate * 1000) / 10}% churn rate over ${input.horizonDays} days.`,
  };
}
