/**
 * Days as integer offsets from the as-of day (0 = as-of, -1 = the day before). The generator works
 * in offsets and only turns them into strings at the edge, from a table built once per book.
 */

const DAY_MS = 86_400_000;

export interface Calendar {
  asOf: string;
  /** YYYY-MM-DD for an offset. */
  day(offset: number): string;
  /** 0 = Monday … 6 = Sunday. */
  weekday(offset: number): number;
  isWeekend(offset: number): boolean;
  /** ISO instant at a second of the (UTC) day. */
  instant(offset: number, secondOfDay: number): string;
}

export function createCalendar(asOf: string): Calendar {
  const base = Date.parse(`${asOf}T00:00:00Z`);
  if (Number.isNaN(base)) throw new Error(`Not a date: ${asOf}`);
  const days = new Map<number, string>();
  const day = (offset: number): string => {
    let text = days.get(offset);
    if (text === undefined) {
      text = new Date(base + offset * DAY_MS).toISOString().slice(0, 10);
      days.set(offset, text);
    }
    return text;
  };
  // getUTCDay: 0 = Sunday. Shift so Monday is 0.
  const baseWeekday = (new Date(base).getUTCDay() + 6) % 7;
  const weekday = (offset: number): number => (((baseWeekday + offset) % 7) + 7) % 7;
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  return {
    asOf,
    day,
    weekday,
    isWeekend: (offset) => weekday(offset) >= 5,
    instant(offset, secondOfDay) {
      const s = Math.max(0, Math.min(86_399, Math.floor(secondOfDay)));
      return `${day(offset)}T${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.000Z`;
    },
  };
}
