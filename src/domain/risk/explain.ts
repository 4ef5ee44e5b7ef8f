/**
 * Number and date wording for explanations. Explanations are stored and compared in tests, so they
 * use one fixed locale (en-US) rather than the machine's; the UI formats money in the account's own
 * locale separately.
 */
import { dayString } from './days.ts';

/** Thousands separators without Intl (formatting runs for every account of the book). */
function grouped(whole: number): string {
  const digits = String(Math.abs(whole));
  const sign = whole < 0 ? '-' : '';
  if (digits.length <= 3) return sign + digits;
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return sign + out;
}

const integer = { format: (value: number) => grouped(Math.round(value)) };

/** 12 → "12", 4.25 → "4.3", 0.33 → "0.3", 4.0 → "4", 1234.5 → "1,235". */
export function num(value: number): string {
  if (Math.abs(value) >= 10) return grouped(Math.round(value));
  const tenths = Math.round(value * 10);
  return tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
}

/** 0.234 → "23%". */
export function percent(ratio: number): string {
  return `${integer.format(ratio * 100)}%`;
}

/** A change as a signed percentage: -0.61 → "−61%", 0.2 → "+20%". */
export function signedPercent(change: number): string {
  const rounded = Math.round(change * 100);
  if (rounded === 0) return '±0%';
  return rounded > 0 ? `+${rounded}%` : `−${Math.abs(rounded)}%`;
}

/** A signed count: 5 → "+5", -3 → "−3". */
export function signed(value: number): string {
  const rounded = Math.round(value);
  if (rounded === 0) return '±0';
  return rounded > 0 ? `+${rounded}` : `−${Math.abs(rounded)}`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${num(count)} ${count === 1 ? singular : pluralForm}`;
}

export function day(n: number): string {
  return dayString(n);
}

/** "today", "yesterday", "12 days ago". */
export function ago(days: number): string {
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${integer.format(days)} days ago`;
}

/** "2026-03-01 (12 days ago)". */
export function dayAgo(n: number, asOf: number): string {
  return `${dayString(n)} (${ago(asOf - n)})`;
}

/** Score out of 100, as shown everywhere: "18/100". */
export function outOf100(score: number): string {
  return `${Math.round(score)}/100`;
}
