/**
 * The engine works in day numbers (whole days since 1970-01-01, UTC) so that windows are integer
 * arithmetic; strings appear only at the edges. Conversions are cached because a full scoring run
 * converts the same few hundred dates millions of times.
 */

const DAY_MS = 86_400_000;
const toNumber = new Map<string, number>();
const toString = new Map<number, string>();

/** "2026-03-01" (or an instant "2026-03-01T10:00:00Z") → its day number. */
export function dayNumber(value: string): number {
  const day = value.length === 10 ? value : value.slice(0, 10);
  let n = toNumber.get(day);
  if (n === undefined) {
    n = Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
    if (Number.isNaN(n)) throw new Error(`Not a date: ${value}`);
    if (toNumber.size > 100_000) toNumber.clear();
    toNumber.set(day, n);
  }
  return n;
}

export function dayString(n: number): string {
  let s = toString.get(n);
  if (s === undefined) {
    s = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (toString.size > 100_000) toString.clear();
    toString.set(n, s);
  }
  return s;
}

/** The first instant after the day, for `occurred_at < ?` bounds. */
export function endOfDayInstant(day: number): string {
  return `${dayString(day + 1)}T00:00:00.000Z`;
}

export function startOfDayInstant(day: number): string {
  return `${dayString(day)}T00:00:00.000Z`;
}
