/** Calendar helpers. Dates are YYYY-MM-DD strings and instants are ISO 8601 UTC strings throughout. */

const DAY_MS = 86_400_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The ASCII digit at `index` as a number, or -1. */
function digitAt(value: string, index: number): number {
  const code = value.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

/**
 * A real calendar day written YYYY-MM-DD (years 0000–9999, proleptic Gregorian, as `Date` reads
 * them). Character checks and a days-in-month table rather than a Date round trip: the importer
 * calls this for every row (docs/performance.md); test/unit/contract-dates.test.ts holds it to the
 * round trip.
 */
export function isIsoDay(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const y0 = digitAt(value, 0),
    y1 = digitAt(value, 1),
    y2 = digitAt(value, 2),
    y3 = digitAt(value, 3);
  const m0 = digitAt(value, 5),
    m1 = digitAt(value, 6),
    d0 = digitAt(value, 8),
    d1 = digitAt(value, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return false;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (month < 1 || month > 12 || day < 1) return false;
  if (month !== 2) return day <= DAYS_IN_MONTH[month - 1]!;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (leap ? 29 : 28);
}

/** Two ASCII digits at `index` as a number no greater than `max`, or -1. */
function twoDigitsAt(value: string, index: number, max: number): number {
  const tens = digitAt(value, index);
  const units = digitAt(value, index + 1);
  const number = tens * 10 + units;
  return tens < 0 || units < 0 || number > max ? -1 : number;
}

/** Already what toIsoInstant returns (YYYY-MM-DDTHH:MM:SS.sssZ, a real day and time), so it is returned as is. */
function isCanonicalInstant(value: string): boolean {
  if (
    value.length !== 24 ||
    value.charCodeAt(10) !== 84 ||
    value.charCodeAt(13) !== 58 ||
    value.charCodeAt(16) !== 58 ||
    value.charCodeAt(19) !== 46 ||
    value.charCodeAt(23) !== 90
  )
    return false;
  if (
    twoDigitsAt(value, 11, 23) < 0 ||
    twoDigitsAt(value, 14, 59) < 0 ||
    twoDigitsAt(value, 17, 59) < 0 ||
    twoDigitsAt(value, 20, 99) < 0 ||
    digitAt(value, 22) < 0
  )
    return false;
  return isIsoDay(value.slice(0, 10));
}

/** Accepts a full ISO 8601 instant or a bare day, and returns the instant in UTC, or null. */
export function toIsoInstant(value: string): string | null {
  if (isCanonicalInstant(value)) return value;
  if (isIsoDay(value)) return `${value}T00:00:00.000Z`;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) return null;
  const day = value.slice(0, 10);
  if (!isIsoDay(day)) return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const parsed = new Date(hasZone ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    (Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / DAY_MS,
  );
}

export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
