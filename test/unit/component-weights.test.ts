import { describe, expect, it } from 'vitest';
import { COMPONENT_IDS, DEFAULT_SCORE_CONFIG, completeConfig } from '../../src/domain/risk/config.ts';
import {
  fitComponentWeights,
  rescoreSamples,
  scaleWeights,
  weightingOf,
  type WeightSamples,
} from '../../src/domain/risk/model/component-weights.ts';
import type { ChurnModel } from '../../src/domain/risk/model/churn-model.ts';
import { seededRandom } from '../../src/domain/risk/model/stats.ts';
import { weightsInUse, withWeights } from '../../src/domain/risk/weights-in-use.ts';

const NAMES = [...COMPONENT_IDS.map((id) => `c:${id}`), 'score'];
const GUARD = { folds: 5, margin: 0.02 };

/**
 * Two past days of `accounts` accounts, every component score uniform 0–100 (support missing for
 * a third of them). Churn follows `driver` alone (low score, more churn), or nothing at all.
 */
function samples(driver: (typeof COMPONENT_IDS)[number] | null, accounts = 700, seed = 5) {
  const random = seededRandom(seed);
  const flat: WeightSamples & { scores: (number | null)[] } = {
    ...{ rows: [], labels: [], offset: [], fold: [], kept: [], origin: [], account: [], scores: [] },
  };
  for (let origin = 0; origin < 2; origin++)
    for (let a = 0; a < accounts; a++) {
      const row = Float64Array.from(NAMES, () => Math.round(random() * 100));
      row[COMPONENT_IDS.indexOf('support')] = a % 3 === 0 ? NaN : row[COMPONENT_IDS.indexOf('support')]!;
      const x = driver ? row[COMPONENT_IDS.indexOf(driver)]! : 50;
      const p = 1 / (1 + Math.exp(-(-2.5 - 0.08 * (x - 50))));
      (flat.rows as Float64Array[]).push(row);
      (flat.labels as number[]).push(random() < p ? 1 : 0);
      (flat.offset as number[]).push(0);
      (flat.fold as number[]).push(a % 5);
      (flat.kept as boolean[]).push(true);
      (flat.origin as number[]).push(origin);
      (flat.account as number[]).push(a);
      flat.scores.push(null);
    }
  return flat;
}

const modelWith = (weights: ReturnType<typeof fitComponentWeights>): ChurnModel =>
  ({ report: { weights } }) as unknown as ChurnModel;

describe('scaleWeights', () => {
  it('makes positive whole weights in proportion, summing to the configured total', () => {
    const w = scaleWeights([3, 1, 0, -2, 0.5, 0, 0], 100)!;
    expect(w.reduce((s, x) => s + x, 0)).toBe(100);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(1);
    expect(w[0]).toBeGreaterThan(w[1]!);
    expect(w[1]).toBeGreaterThan(w[4]!);
    expect(w[2]).toBe(1);
    expect(w[3]).toBe(1);
    expect(scaleWeights([0, -1, 0], 100)).toBeNull();
  });
});

describe('fitted component weights', () => {
  it('weigh the component that drives churn most, and are used when they rank churn better out of fold', () => {
    const flat = samples('billing');
    const fit = fitComponentWeights(flat, NAMES, weightingOf(DEFAULT_SCORE_CONFIG), GUARD)!;
    const top = Object.entries(fit.fitted).sort((a, b) => b[1] - a[1])[0]![0];
    expect(top).toBe('billing');
    expect(Object.values(fit.fitted).reduce((s, x) => s + x, 0)).toBe(100);
    for (const w of Object.values(fit.fitted)) expect(w).toBeGreaterThanOrEqual(1);
    expect(fit.auc!).toBeGreaterThan(fit.configuredAuc! + 0.02);
    expect(fit.differenceCi![0]).toBeGreaterThan(0);
    expect(fit.accepted).toBe(true);
    expect(fit.inUse).toBe(true);
    expect(fit.note).toMatch(
      /^Using weights fitted from this book's outcomes: .*AUC with fitted weights, out of fold, 0\.\d\d/,
    );

    // The samples are rescored with them: the score the churn model then learns from is the one shown.
    rescoreSamples(flat, NAMES, fit.fitted, DEFAULT_SCORE_CONFIG.dataQuality.coverage);
    const row = flat.rows[0]!;
    const present = COMPONENT_IDS.filter((_, k) => row[k] === row[k]);
    const total = present.reduce((s, id) => s + fit.fitted[id]!, 0);
    const expected = Math.round(
      present.reduce((s, id) => s + fit.fitted[id]! * row[COMPONENT_IDS.indexOf(id)]!, 0) / total,
    );
    expect(flat.scores[0]).toBe(expected);
    expect(row[NAMES.indexOf('score')]).toBe(expected);

    const inUse = weightsInUse(DEFAULT_SCORE_CONFIG, modelWith(fit));
    expect(inUse.source).toBe('fitted');
    // Fitted before the book held ticket data: not applied until the model is refitted.
    const before = modelWith({ ...fit, kinds: 'payments' });
    expect(weightsInUse(DEFAULT_SCORE_CONFIG, before, 'payments').source).toBe('fitted');
    const gained = weightsInUse(DEFAULT_SCORE_CONFIG, before, 'payments+tickets');
    expect(gained.source).toBe('default');
    expect(gained.note).toMatch(/until the churn model is refitted/);
    expect(withWeights(DEFAULT_SCORE_CONFIG, inUse).components.billing.weight).toBe(fit.fitted.billing);
    // Thresholds stay as configured; only weights change.
    expect(withWeights(DEFAULT_SCORE_CONFIG, inUse).components.billing.windowDays).toBe(
      DEFAULT_SCORE_CONFIG.components.billing.windowDays,
    );
  });

  it('keep the default weights when churn is random, and say why', () => {
    const fit = fitComponentWeights(samples(null), NAMES, weightingOf(DEFAULT_SCORE_CONFIG), GUARD)!;
    expect(fit.accepted).toBe(false);
    expect(fit.inUse).toBe(false);
    expect(fit.note).toMatch(/^Keeping the default weights: /);
    const inUse = weightsInUse(DEFAULT_SCORE_CONFIG, modelWith(fit));
    expect(inUse.source).toBe('default');
    expect(inUse.values.usage_trend).toBe(DEFAULT_SCORE_CONFIG.components.usage_trend.weight);
    expect(withWeights(DEFAULT_SCORE_CONFIG, inUse)).toBe(DEFAULT_SCORE_CONFIG);
  });

  it('never override weights the user set in Settings', () => {
    const config = completeConfig({ components: { usage_trend: { weight: 40 } } });
    const fit = fitComponentWeights(samples('billing'), NAMES, weightingOf(config), GUARD)!;
    expect(fit.accepted).toBe(true);
    expect(fit.inUse).toBe(false);
    expect(fit.note).toMatch(/^Keeping your weights, because you set them in Settings/);
    // Also when the stored model was fitted before the user set them.
    const earlier = fitComponentWeights(samples('billing'), NAMES, weightingOf(DEFAULT_SCORE_CONFIG), GUARD)!;
    const inUse = weightsInUse(config, modelWith(earlier));
    expect(inUse.source).toBe('user');
    expect(inUse.values.usage_trend).toBe(40);
    expect(withWeights(config, inUse)).toBe(config);
  });
});
