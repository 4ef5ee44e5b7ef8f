/**
 * Display formatting through Intl, in the user's locale. Formatters are cached because building an
 * Intl.NumberFormat costs far more than using one, and a 50,000-row table formats a lot of cells.
 */

import { pChurnText } from '../shared/p-churn.ts';

/** undefined = the browser's locale. Tests and screens may pass an explicit one. */
export type Locale = string | undefined;

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale ?? ''}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale ?? ''}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

// Cached like the others: building one per cell was a visible share of scrolling the Today list.
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
function relativeFormat(locale: Locale): Intl.RelativeTimeFormat {
  const key = locale ?? '';
  let format = relativeFormats.get(key);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormats.set(key, format);
  }
  return format;
}

export interface MoneyOptions {
  /** "$420K" instead of "$420,000". */
  compact?: boolean;
  locale?: Locale;
  /** Show cents. Default: only when the amount has them and compact is off. */
  cents?: boolean;
}

/** Money in its own currency (an account's ARR is stored in the account's currency). */
export function formatMoney(
  amount: number,
  currency: string,
  { compact = false, locale, cents }: MoneyOptions = {},
): string {
  const showCents = cents ?? (!compact && !Number.isInteger(amount));
  try {
    return numberFormat(locale, {
      style: 'currency',
      currency,
      notation: compact ? 'compact' : 'standard',
      maximumFractionDigits: compact ? (Math.abs(amount) >= 1_000 ? 1 : 0) : showCents ? 2 : 0,
      minimumFractionDigits: showCents ? 2 : 0,
    }).format(amount);
  } catch {
    // An unknown currency code from an import must not break the whole table.
    return `${formatNumber(amount, { locale })} ${currency}`;
  }
}

export function formatNumber(
  value: number,
  { locale, compact = false, decimals }: { locale?: Locale; compact?: boolean; decimals?: number } = {},
): string {
  return numberFormat(locale, {
    notation: compact ? 'compact' : 'standard',
    maximumFractionDigits: decimals ?? (compact ? 1 : 2),
    ...(decimals !== undefined ? { minimumFractionDigits: decimals } : {}),
  }).format(value);
}

/** 0.123 → "12%". */
export function formatPercent(
  ratio: number,
  { locale, decimals = 0 }: { locale?: Locale; decimals?: number } = {},
): string {
  return numberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: decimals,
    minimumFractionDigits: decimals,
  }).format(ratio);
}

/** P(churn) by the one rule (shared/p-churn.ts) in the locale's percent: "12%", "<1%", never "0%". */
export function formatPChurn(probability: number, { locale }: { locale?: Locale } = {}): string {
  return pChurnText(probability, (ratio) => formatPercent(ratio, { locale }));
}

/** "400 accounts", "1 account": a count with the right noun. */
export function formatCount(count: number, singular: string, plural = `${singular}s`, locale?: Locale): string {
  return `${formatNumber(count, { locale })} ${count === 1 ? singular : plural}`;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses "YYYY-MM-DD" as that calendar day (UTC midnight) and anything else as an ISO timestamp.
 * A bare date must not shift a day for users west of Greenwich, so date-only values are always
 * formatted in UTC.
 */
function parse(value: string | Date): { date: Date; dateOnly: boolean } | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { date: value, dateOnly: false };
  const match = DATE_ONLY.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : { date, dateOnly: Boolean(match) };
}

export type DateStyle = 'short' | 'medium' | 'long';

/** "12 Mar 2026" / "Mar 12, 2026" depending on locale. Returns "—" for null and the raw text if unparseable. */
export function formatDate(
  value: string | Date | null | undefined,
  { style = 'medium', locale }: { style?: DateStyle; locale?: Locale } = {},
): string {
  if (value === null || value === undefined || value === '') return '—';
  const parsed = parse(value);
  if (!parsed) return String(value);
  return dateFormat(locale, { dateStyle: style, ...(parsed.dateOnly ? { timeZone: 'UTC' } : {}) }).format(parsed.date);
}

/** A calendar month written YYYY-MM: "March 2026" / "März 2026". */
export function formatMonth(month: string, { locale }: { locale?: Locale } = {}): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return dateFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(date);
}

/** Date and time, for timestamps like "last synced". */
/**
 * Text from the app with calendar days written out: "Waiting for a payment until Dec 14, 2026."
 * The evaluation stores its evidence with YYYY-MM-DD days (it has no locale and exports read it);
 * on screen they are dates in the user's words, like every other date beside them.
 */
export function datesInWords(text: string, { locale }: { locale?: Locale } = {}): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}\b(?!T)/g, (day) => formatDate(day, { locale }));
}

export function formatDateTime(value: string | Date | null | undefined, { locale }: { locale?: Locale } = {}): string {
  if (value === null || value === undefined || value === '') return '—';
  const parsed = parse(value);
  if (!parsed) return String(value);
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(parsed.date);
}

/**
 * A moment as a weekday, date and time in a time zone (the user's when none is given), for "send at"
 * choices: "Tue, Dec 8, 09:00". Unknown zones fall back to the user's.
 */
export function formatZonedTime(value: string, timeZone?: string, { locale }: { locale?: Locale } = {}): string {
  const parsed = parse(value);
  if (!parsed) return value;
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  try {
    return dateFormat(locale, timeZone ? { ...options, timeZone } : options).format(parsed.date);
  } catch {
    return dateFormat(locale, options).format(parsed.date);
  }
}

const DAY_MS = 86_400_000;

type AgeUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

function ageParts(ms: number): { value: number; unit: AgeUnit } {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return { value: Math.max(minutes, 0), unit: 'minute' };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { value: hours, unit: 'hour' };
  const days = Math.floor(ms / DAY_MS);
  if (days < 14) return { value: days, unit: 'day' };
  if (days < 60) return { value: Math.floor(days / 7), unit: 'week' };
  if (days < 730) return { value: Math.floor(days / 30.44), unit: 'month' };
  return { value: Math.floor(days / 365.25), unit: 'year' };
}

/**
 * How old something is: "3 days old", "just now" under a minute. For data freshness labels.
 * `now` is a parameter so callers can use the app's evaluation date and tests can pin it.
 */
export function formatAge(
  value: string | Date,
  { now = new Date(), locale }: { now?: Date; locale?: Locale } = {},
): string {
  const parsed = parse(value);
  if (!parsed) return String(value);
  const ms = now.getTime() - parsed.date.getTime();
  if (ms < 60_000) return 'just now';
  const { value: amount, unit } = ageParts(ms);
  return `${numberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(amount)} old`;
}

/** "3 days ago" / "in 2 weeks", via Intl.RelativeTimeFormat. */
export function formatRelative(
  value: string | Date,
  { now = new Date(), locale }: { now?: Date; locale?: Locale } = {},
): string {
  const parsed = parse(value);
  if (!parsed) return String(value);
  const ms = now.getTime() - parsed.date.getTime();
  if (Math.abs(ms) < 60_000) return 'just now';
  const { value: amount, unit } = ageParts(Math.abs(ms));
  return relativeFormat(locale).format(ms > 0 ? -amount : amount, unit);
}

/**
 * A whole number of days from today in words: "today", "tomorrow", "in 5 days", "yesterday",
 * "3 days ago" (Intl.RelativeTimeFormat with numeric "auto", so never "in 0 days").
 */
export function formatDaysAway(days: number, locale?: Locale): string {
  return relativeFormat(locale).format(days, 'day');
}

/**
 * A past day (YYYY-MM-DD, no time of day) seen from the viewed day, at day precision: "today",
 * "yesterday", "3 days ago", then "2 weeks ago", "3 months ago". A day has no hour, so a touch
 * logged this morning is "today", never "12 hours ago".
 */
export function formatDayAgo(day: string, asOf: string, locale?: Locale): string {
  const days = daysBetween(day, asOf);
  if (days === null) return day;
  if (days < 7) return formatDaysAway(-days, locale);
  return formatRelative(day, { now: new Date(`${asOf}T00:00:00Z`), locale });
}

/** Whole days from `from` to `to` (negative if `to` is earlier), e.g. days until renewal. */
export function daysBetween(from: string | Date, to: string | Date): number | null {
  const a = parse(from);
  const b = parse(to);
  if (!a || !b) return null;
  return Math.round((b.date.getTime() - a.date.getTime()) / DAY_MS);
}
