/**
 * The churn model's features and contributions in plain words, e.g.
 * "logins on 3 of the last 28 days, usually 20 → +9 pts of churn risk".
 */
import { COMPONENT_LABELS, type ComponentId } from '../config.ts';
import type { LogisticModel } from './logistic.ts';
import { NEVER_SEEN_PAD } from './features.ts';

const human = (name: string) => name.replace(/[_-]+/g, ' ');
const n = (x: number) => (Math.abs(x) >= 10 ? String(Math.round(x)) : String(Math.round(x * 10) / 10));
/** "1 day", "12 days" (a day count is shown whole: "renewal in 1 days" read as a typo). */
const daysText = (x: number) => (Math.round(x) === 1 ? '1 day' : `${Math.round(x)} days`);
const ratio = (logRatio: number) => `${Math.round(Math.expm1(logRatio) * 100 + 100)}%`;

/** A feature's name in words, without a value (for the model's strongest features). */
export function featureLabel(name: string): string {
  const [kind, key = '', what = ''] = name.split(':');
  if (kind === 'score') return 'health score';
  if (kind === 't') return `the ${human(key)} play`;
  if (kind === 'c') return `${COMPONENT_LABELS[key as ComponentId] ?? human(key)} component`;
  if (kind === 'a')
    return (
      {
        tenure: 'time as a customer',
        renewal_in: 'days to renewal',
        renewal_soon: 'renewal due within 90 days or up to 30 days overdue',
        log_arr: 'ARR',
      }[key] ?? human(key)
    );
  const label = human(key);
  const metric: Record<string, string> = {
    days28: `days with ${label} in the last 28`,
    days56: `days with ${label} in the last 56`,
    days90: `days with ${label} in the last 90`,
    level28: `${label} per day (28 days)`,
    vs_own: `${label} against its own earlier level`,
    vs_peers: `${label} against accounts of the same age`,
    since: `days since the last ${label}`,
    gap_ratio: `days since the last ${label}, against the usual gap`,
  };
  const event: Record<string, string> = {
    n28: `${label} events in the last 28 days`,
    n90: `${label} events in the last 90 days`,
    n180: `${label} events in the last 180 days`,
    since: `days since the last ${label} event`,
    value90: `mean ${label} value (90 days)`,
  };
  return (kind === 'm' ? metric[what] : event[what]) ?? human(name);
}

/** A feature with this account's value, in words. `at(name)` reads another feature of the same row. */
export function featureText(
  name: string,
  value: number,
  at: (name: string) => number,
  /** The feature's mean over the book (the model's), to say what an absence is measured against. */
  typical?: number,
): string {
  const [kind, key = '', what = ''] = name.split(':');
  const label = human(key);
  if (kind === 'score') return `health score ${n(value)}`;
  if (kind === 't') return value ? `the ${label} play fired` : `the ${label} play did not fire`;
  if (kind === 'c') return `${COMPONENT_LABELS[key as ComponentId] ?? label} at ${n(value)} of 100`;
  if (kind === 'a') {
    if (key === 'tenure') return `a customer for ${daysText(Math.expm1(value))}`;
    if (key === 'renewal_in')
      return value < 0 ? `renewal ${daysText(-value)} overdue` : `renewal in ${daysText(value)}`;
    if (key === 'renewal_soon')
      return value ? 'renewal due within 90 days or up to 30 days overdue' : 'no renewal due within 90 days';
    return `ARR ${n(Math.expm1(value))}`;
  }
  if (kind === 'm') {
    const days90 = at(`m:${key}:days90`);
    const usual = days90 === days90 ? `, usually ${n((days90 * 28) / 90)}` : '';
    if (what === 'days28') return `${label} on ${n(value)} of the last 28 days${usual}`;
    if (what === 'days56') return `${label} on ${n(value)} of the last 56 days`;
    if (what === 'days90') return `${label} on ${n(value)} of the last 90 days`;
    if (what === 'level28') return `${label} ${n(Math.expm1(value))} a day over the last 28 days`;
    if (what === 'vs_own') return `${label} at ${ratio(value)} of its own earlier level`;
    if (what === 'vs_peers') return `${label} at ${ratio(value)} of accounts of the same age`;
    if (what === 'since' || what === 'gap_ratio') {
      const since = at(`m:${key}:since`);
      // No positive day in the window: `since` is a placeholder (features.ts), not a date.
      if (at(`m:${key}:days90`) === 0) return `no ${label} in the last ${n(since - NEVER_SEEN_PAD)} days`;
      const gap = at(`m:${key}:gap_ratio`);
      const usualGap = since === since && gap === gap && Math.expm1(gap) > 0 ? since / Math.expm1(gap) : NaN;
      return `last ${label} ${n(since)} days ago${usualGap === usualGap ? `, usually every ${n(usualGap)} days` : ''}`;
    }
  }
  if (kind === 'e') {
    const days = what === 'n28' ? 28 : what === 'n90' ? 90 : what === 'n180' ? 180 : null;
    if (days !== null) {
      const count = Math.expm1(value);
      // "0 renewed in the last 180 days → +1 pts" read as a number with no meaning: an absence
      // moves P(churn) only against what the book's accounts usually have, so say that.
      if (count === 0 && typical !== undefined && Math.expm1(typical) > 0)
        return `no ${label} events in the last ${days} days, where the book's average account has ${n(Math.expm1(typical))}`;
      return `${n(count)} ${label} in the last ${days} days`;
    }
    if (what === 'since' && value > 180) return `no ${label} in the last 180 days`;
    if (what === 'since') return `last ${label} ${n(value)} days ago`;
    if (what === 'value90') return `${label} averaging ${n(value)} over 90 days`;
  }
  return `${featureLabel(name)} ${n(value)}`;
}

export interface Contribution {
  feature: string;
  text: string;
  /** Percentage points of P(churn) this signal adds (negative: removes) to an average account's. */
  points: number;
}

/** The feature that names a signal best in words: days active for a metric, recency for an event. */
const PREFERRED = ['days28', 'since', 'n90', 'level28'];

/**
 * The account's top contributions in words. Features of one signal (a metric, an event type) are
 * summed into one contribution — correlated windows share their weight under ridge — and worded
 * by the signal's most telling feature. Points are against an average account of the book.
 */
/** Each feature's signal (its name's first two parts) and position, once per model: a whole-book run explains thousands of rows. */
const byModel = new WeakMap<LogisticModel, { signalOf: string[]; position: Map<string, number> }>();
function namesOf(model: LogisticModel): { signalOf: string[]; position: Map<string, number> } {
  let names = byModel.get(model);
  if (!names) {
    const position = new Map<string, number>();
    // The first position of a name, as indexOf gave.
    model.names.forEach((name, j) => {
      if (!position.has(name)) position.set(name, j);
    });
    names = { signalOf: model.names.map((name) => name.split(':').slice(0, 2).join(':')), position };
    byModel.set(model, names);
  }
  return names;
}

export function explainRow(model: LogisticModel, row: Float64Array, top = 3): Contribution[] {
  const { signalOf, position } = namesOf(model);
  const at = (name: string) => {
    const j = position.get(name);
    return j === undefined ? NaN : (row[j] as number);
  };
  // Against an average account (every feature at the book's mean, log-odds = intercept): how much
  // this signal alone moves P(churn). Measured at the account's own P, an account already near
  // certainty would show every signal as worth nothing.
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const base = sigmoid(model.intercept);
  const signals = new Map<string, { term: number; features: { j: number; term: number }[] }>();
  model.names.forEach((_name, j) => {
    const v = row[j] as number;
    const sd = model.sd[j] as number;
    if (!(v === v) || !(sd > 0)) return;
    const signal = signalOf[j] as string;
    const entry = signals.get(signal) ?? { term: 0, features: [] };
    const term = (model.coef[j] as number) * ((v - (model.mean[j] as number)) / sd);
    entry.term += term;
    entry.features.push({ j, term });
    signals.set(signal, entry);
  });
  const rank = (name: string) => {
    const i = PREFERRED.findIndex((w) => name.endsWith(`:${w}`));
    return i === -1 ? PREFERRED.length : i;
  };
  const out: Contribution[] = [];
  for (const [signal, entry] of signals) {
    const points = (sigmoid(model.intercept + entry.term) - base) * 100;
    if (Math.abs(points) < 0.5) continue;
    // Worded by the feature pushing most in the signal's direction (the preferred wording on ties).
    const direction = Math.sign(entry.term);
    const j = [...entry.features].sort(
      (x, y) => direction * (y.term - x.term) || rank(model.names[x.j] as string) - rank(model.names[y.j] as string),
    )[0]!.j;
    const name = model.names[j] as string;
    const sign = points > 0 ? '+' : '−';
    out.push({
      feature: signal,
      text: `${featureText(name, row[j] as number, at, model.mean[j])} → ${sign}${Math.round(Math.abs(points))} pts of churn risk`,
      points,
    });
  }
  return out
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.feature.localeCompare(b.feature))
    .slice(0, top);
}

/** Where an account's P(churn) comes from, for the money line on its page. */
export function modelInWords(method: 'learned' | 'curve' | 'default'): string {
  if (method === 'learned') return 'churn model learned from this book';
  if (method === 'curve') return 'curve over the health score fitted to this book';
  return 'default curve';
}
