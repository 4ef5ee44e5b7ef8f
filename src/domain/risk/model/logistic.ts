/**
 * Ridge-regularised logistic regression with additive contributions, written out so it is
 * deterministic and dependency-free. Features are standardised on the training rows (missing
 * values, NaN, become the training mean, i.e. contribute nothing); the intercept is not penalised.
 * Fitted by Newton's method on  mean log-loss + λ/2 · |w|².
 */

export interface LogisticModel {
  names: string[];
  mean: number[];
  sd: number[];
  /** Coefficients on the standardised features; log-odds per standard deviation. */
  coef: number[];
  intercept: number;
  lambda: number;
  converged: boolean;
}

/** Each column's mean and standard deviation over the rows it has a value in (NaN: none). */
export interface ColumnStats {
  mean: number[];
  sd: number[];
}

export function columnStats(rows: readonly Float64Array[], p: number): ColumnStats {
  const mean = new Array<number>(p).fill(0);
  const count = new Array<number>(p).fill(0);
  for (const row of rows)
    for (let j = 0; j < p; j++) {
      const v = row[j] as number;
      if (v === v) {
        mean[j]! += v;
        count[j]! += 1;
      }
    }
  for (let j = 0; j < p; j++) mean[j] = count[j]! > 0 ? mean[j]! / count[j]! : 0;
  const sd = new Array<number>(p).fill(0);
  for (const row of rows)
    for (let j = 0; j < p; j++) {
      const v = row[j] as number;
      if (v === v) sd[j]! += (v - mean[j]!) ** 2;
    }
  // A constant column gets sd 0 and is then ignored (its standardised value is always 0).
  for (let j = 0; j < p; j++) sd[j] = count[j]! > 1 ? Math.sqrt(sd[j]! / count[j]!) : 0;
  return { mean, sd };
}

export function standardise(
  row: Float64Array,
  mean: readonly number[],
  sd: readonly number[],
  out: Float64Array,
): Float64Array {
  for (let j = 0; j < mean.length; j++) {
    const v = row[j] as number;
    const s = sd[j] as number;
    out[j] = v === v && s > 0 ? (v - (mean[j] as number)) / s : 0;
  }
  return out;
}

/** The lower Cholesky factor of a symmetric positive-definite n×n matrix, or null if it is not SPD. */
function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i * n + i] = Math.sqrt(sum);
      } else l[i * n + j] = sum / (l[j * n + j] as number);
    }
  }
  return l;
}

/** Solves L Lᵀ x = b with the factor from cholesky(). */
function solveWith(l: Float64Array, b: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * n + k] as number) * (y[k] as number);
    y[i] = sum / (l[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * n + i] as number);
  }
  return x;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The fitting problem: standardised rows in one row-major matrix (n × p), labels and offsets. */
interface Problem {
  z: Float64Array;
  n: number;
  p: number;
  labels: ArrayLike<number>;
  offsets: ArrayLike<number> | undefined;
  lambda: number;
}

/**
 * The row's log-odds. Performance (issue 13): summed in four running sums, so the additions do not
 * wait on one another (one sum is a chain of p dependent additions); the result differs from a
 * single sum by rounding only.
 */
function linearPredictor(prob: Problem, w: Float64Array, i: number): number {
  const { z, p } = prob;
  const base = i * p;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < p; j += 4) {
    s0 += (w[j] as number) * (z[base + j] as number);
    s1 += (w[j + 1] as number) * (z[base + j + 1] as number);
    s2 += (w[j + 2] as number) * (z[base + j + 2] as number);
    s3 += (w[j + 3] as number) * (z[base + j + 3] as number);
  }
  for (; j < p; j++) s0 += (w[j] as number) * (z[base + j] as number);
  return (w[p] as number) + (prob.offsets ? (prob.offsets[i] as number) : 0) + (s0 + s1 + (s2 + s3));
}

/**
 * Mean log-loss plus λ/2 · |w|² (the intercept, last, unpenalised), computed stably, and its
 * gradient into `gradient` when given: one pass over the rows, O(n·p).
 */
function lossAndGradient(prob: Problem, w: Float64Array, gradient: Float64Array | null): number {
  const { z, n, p, labels, lambda } = prob;
  gradient?.fill(0);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const eta = linearPredictor(prob, w, i);
    const y = labels[i] as number;
    // log(1 + e^eta) − y·eta without overflow, and σ(eta), from one exponential (of −|eta|).
    const e = Math.exp(eta > 0 ? -eta : eta);
    total += (eta > 0 ? eta : 0) + Math.log1p(e) - y * eta;
    if (!gradient) continue;
    const r = (eta > 0 ? 1 / (1 + e) : e / (1 + e)) - y;
    const base = i * p;
    for (let j = 0; j < p; j++) gradient[j]! += r * (z[base + j] as number);
    gradient[p]! += r;
  }
  const scale = 1 / Math.max(1, n);
  let penalty = 0;
  for (let j = 0; j < p; j++) penalty += (w[j] as number) ** 2;
  if (gradient) {
    for (let j = 0; j <= p; j++) gradient[j]! *= scale;
    for (let j = 0; j < p; j++) gradient[j]! += lambda * (w[j] as number);
  }
  return total * scale + (lambda / 2) * penalty;
}

/** One row's Hessian weight σ(η)(1 − σ(η)). */
function curvatureWeight(prob: Problem, w: Float64Array, i: number): number {
  const q = sigmoid(linearPredictor(prob, w, i));
  return q * (1 - q);
}

/**
 * The log-loss's Hessian at w (without the penalty) from every `stride`-th row (all rows when 1):
 * O(n·p²/stride), the fit's one expensive part. Performance (issue 13): rows are added four at a
 * time, so each entry of the triangle is loaded and stored once per four rows (about half the time
 * of one at a time in a micro-benchmark; the sums differ from one row at a time by rounding only).
 */
function dataHessianAt(prob: Problem, w: Float64Array, stride: number): Float64Array {
  const { z, n, p } = prob;
  const dim = p + 1;
  const hessian = new Float64Array(dim * dim);
  const last = p * dim;
  let used = 0;
  let i = 0;
  for (; i + 3 * stride < n; i += 4 * stride) {
    used += 4;
    const h0 = curvatureWeight(prob, w, i);
    const h1 = curvatureWeight(prob, w, i + stride);
    const h2 = curvatureWeight(prob, w, i + 2 * stride);
    const h3 = curvatureWeight(prob, w, i + 3 * stride);
    const a0 = i * p;
    const a1 = (i + stride) * p;
    const a2 = (i + 2 * stride) * p;
    const a3 = (i + 3 * stride) * p;
    for (let j = 0; j < p; j++) {
      const x0 = h0 * (z[a0 + j] as number);
      const x1 = h1 * (z[a1 + j] as number);
      const x2 = h2 * (z[a2 + j] as number);
      const x3 = h3 * (z[a3 + j] as number);
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      const rowOffset = j * dim;
      for (let k = 0; k <= j; k++)
        hessian[rowOffset + k]! +=
          x0 * (z[a0 + k] as number) +
          x1 * (z[a1 + k] as number) +
          (x2 * (z[a2 + k] as number) + x3 * (z[a3 + k] as number));
      hessian[last + j]! += x0 + x1 + (x2 + x3);
    }
    hessian[last + p]! += h0 + h1 + (h2 + h3);
  }
  for (; i < n; i += stride) {
    used++;
    const h = curvatureWeight(prob, w, i);
    const a = i * p;
    for (let j = 0; j < p; j++) {
      const x = h * (z[a + j] as number);
      if (x === 0) continue;
      const rowOffset = j * dim;
      for (let k = 0; k <= j; k++) hessian[rowOffset + k]! += x * (z[a + k] as number);
      hessian[last + j]! += x;
    }
    hessian[last + p]! += h;
  }
  const scale = 1 / Math.max(1, used);
  for (let j = 0; j < dim; j++) for (let k = 0; k <= j; k++) hessian[j * dim + k]! *= scale;
  for (let j = 0; j < dim; j++) for (let k = j + 1; k < dim; k++) hessian[j * dim + k] = hessian[k * dim + j] as number;
  return hessian;
}

/** The Cholesky factor of the penalised Hessian: the data part plus λ on the coefficients' diagonal. */
function penalisedFactor(data: Float64Array, p: number, lambda: number): Float64Array | null {
  const dim = p + 1;
  const hessian = Float64Array.from(data);
  for (let j = 0; j < p; j++) hessian[j * dim + j]! += lambda;
  hessian[p * dim + p]! += 1e-9;
  return cholesky(hessian, dim);
}

/**
 * Rows the Hessian is computed from at most. Performance (issue 13/16): the Hessian is the fit's
 * cost (p² per row against p for the gradient), and it only steers the steps: with the exact
 * gradient, an approximate Hessian converges to the same optimum (the problem is strictly convex),
 * a little more slowly, and a gradient pass is ~p times cheaper than a Hessian pass.
 */
export const HESSIAN_ROWS = 4000;

/**
 * Newton's method with the Hessian kept while it works: each step solves with the last factored
 * Hessian (the start model's, else from up to HESSIAN_ROWS evenly spread rows) and the exact
 * gradient; the Hessian is recomputed only when a step had to be cut below a tenth or shrank by
 * less than a fifth from the previous one, and from the third on it is taken from every row (a
 * sampled Hessian can misjudge a rare column's curvature, which shows as steps that keep being
 * halved). Measured on the 5,000-account bench book: about a quarter of the old Newton's work
 * (26 fits: 3.5 G multiply-adds against ~14 G) for coefficients within 1e-8. Stops when the
 * undamped step's largest change is below `tolerance` (a damped step's size says nothing of how
 * far the optimum is).
 */
function minimise(
  prob: Problem,
  w: Float64Array,
  maxHessians: number,
  tolerance: number,
  reused: Float64Array | undefined,
): { converged: boolean; curvature: Float64Array | undefined } {
  const dim = prob.p + 1;
  const gradient = new Float64Array(dim);
  const trial = new Float64Array(dim);
  const trialGradient = new Float64Array(dim);
  let stride = Math.max(1, Math.ceil(prob.n / HESSIAN_ROWS));
  let curvature = reused?.length === dim * dim ? reused : undefined;
  let factor = curvature ? penalisedFactor(curvature, prob.p, prob.lambda) : null;
  let hessians = 0;
  let previous = Infinity;
  let loss = lossAndGradient(prob, w, gradient);
  for (let iteration = 0; iteration < maxHessians * 10 && prob.n > 0; iteration++) {
    const fresh = factor === null;
    if (!factor) {
      if (hessians >= maxHessians) return { converged: false, curvature };
      if (hessians >= 2) stride = 1;
      hessians++;
      curvature = dataHessianAt(prob, w, stride);
      factor = penalisedFactor(curvature, prob.p, prob.lambda);
      if (!factor) return { converged: false, curvature };
    }
    const step = solveWith(factor, gradient, dim);
    // Damped: a full step can overshoot on nearly separable or nearly constant columns (and then
    // diverge), so the step is halved until the penalised loss does not rise.
    let scale = 1;
    let next = loss;
    for (let halving = 0; halving < 30; halving++, scale /= 2) {
      for (let j = 0; j < dim; j++) trial[j] = (w[j] as number) - scale * (step[j] as number);
      next = lossAndGradient(prob, trial, trialGradient);
      if (next <= loss + 1e-12) break;
    }
    w.set(trial);
    gradient.set(trialGradient);
    loss = next;
    let largest = 0;
    for (let j = 0; j < dim; j++) largest = Math.max(largest, Math.abs(step[j] as number));
    if (largest < tolerance) return { converged: true, curvature };
    if (scale < 0.1 || (!fresh && largest > 0.8 * previous)) factor = null;
    previous = largest;
  }
  return { converged: false, curvature };
}

/**
 * Converged when no coefficient moves by more than this (log-odds per standard deviation): far
 * below anything a ranking or a percentage shows, and cheap to reach, since the last steps reuse
 * a Hessian and cost one gradient pass each.
 */
const TOLERANCE = 1e-7;

/**
 * The last data Hessian of each fitted model (never stored: not part of the model's JSON). A fit
 * started from a model also starts from its Hessian: a fold's fit at the next penalty, or the
 * final fit after the folds, is then a few gradient passes instead of fresh Hessians.
 */
const curvatureOf = new WeakMap<LogisticModel, Float64Array>();

export function fitRidgeLogistic(
  names: readonly string[],
  rows: readonly Float64Array[],
  labels: ArrayLike<number>,
  {
    lambda = 0.01,
    maxIterations = 25,
    start,
    offsets,
    stats,
  }: {
    lambda?: number;
    maxIterations?: number;
    start?: LogisticModel;
    offsets?: ArrayLike<number>;
    /** columnStats(rows) when the caller already has them (the same rows at another penalty). */
    stats?: ColumnStats;
  } = {},
): LogisticModel {
  const p = names.length;
  const n = rows.length;
  const { mean, sd } = stats ?? columnStats(rows, p);
  const z = new Float64Array(n * p);
  const scratch = new Float64Array(p);
  rows.forEach((row, i) => z.set(standardise(row, mean, sd, scratch), i * p));
  const w = new Float64Array(p + 1); // index p is the intercept
  if (start && start.coef.length === p) {
    start.coef.forEach((c, j) => (w[j] = c));
    w[p] = start.intercept;
  } else {
    const rate = Math.min(0.99, Math.max(0.01, Array.from(labels).reduce((s, y) => s + y, 0) / Math.max(1, n)));
    w[p] = Math.log(rate / (1 - rate));
  }
  const reused = start ? curvatureOf.get(start) : undefined;
  const { converged, curvature } = minimise({ z, n, p, labels, offsets, lambda }, w, maxIterations, TOLERANCE, reused);
  const model: LogisticModel = {
    names: [...names],
    mean,
    sd,
    coef: Array.from(w.subarray(0, p)),
    intercept: w[p] as number,
    lambda,
    converged,
  };
  if (curvature) curvatureOf.set(model, curvature);
  return model;
}

/** Log-odds of churn for one row. */
export function logOdds(model: LogisticModel, row: Float64Array): number {
  let eta = model.intercept;
  for (let j = 0; j < model.coef.length; j++) {
    const v = row[j] as number;
    const s = model.sd[j] as number;
    if (v === v && s > 0) eta += (model.coef[j] as number) * ((v - (model.mean[j] as number)) / s);
  }
  return eta;
}

/** P(churn) for one row; `offset` (log of the window's share of the horizon) for a shorter window. */
export function predict(model: LogisticModel, row: Float64Array, offset = 0): number {
  return sigmoid(logOdds(model, row) + offset);
}

/**
 * Each feature's contribution to this row's P(churn), in probability points: the prediction minus
 * the prediction with that one feature at the book's mean. Signs say which way it pushes.
 */
export function contributions(model: LogisticModel, row: Float64Array): { index: number; points: number }[] {
  const eta = logOdds(model, row);
  const p = sigmoid(eta);
  const out: { index: number; points: number }[] = [];
  for (let j = 0; j < model.coef.length; j++) {
    const v = row[j] as number;
    const s = model.sd[j] as number;
    if (!(v === v) || s === 0) continue;
    const term = (model.coef[j] as number) * ((v - (model.mean[j] as number)) / s);
    if (term === 0) continue;
    out.push({ index: j, points: (p - sigmoid(eta - term)) * 100 });
  }
  return out.sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.index - b.index);
}
