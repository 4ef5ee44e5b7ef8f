/**
 * Wall-clock time in an IANA zone, with Intl only (no time-zone library): reading the local time
 * of an instant, and finding the instant of a local time, correct across daylight-saving changes.
 */

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, format);
  }
  return format;
}

export function localTime(instant: Date, zone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 1,
  };
}

/** Milliseconds the zone is ahead of UTC at this instant (+3,600,000 for Berlin in winter). */
export function zoneOffsetMs(instant: Date, zone: string): number {
  const local = localTime(instant, zone);
  const asUtc = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    instant.getUTCSeconds(),
    instant.getUTCMilliseconds(),
  );
  return asUtc - instant.getTime();
}

/**
 * The instant at which the zone's clocks show this local time. A local time skipped by a
 * daylight-saving jump resolves to the instant just after the jump (02:30 → 03:30).
 */
export function instantOf(
  local: { year: number; month: number; day: number; hour: number; minute: number },
  zone: string,
): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const first = wall - zoneOffsetMs(new Date(wall), zone);
  const second = wall - zoneOffsetMs(new Date(first), zone);
  return new Date(first === second ? first : Math.max(first, second));
}

/** Adds calendar days to a local date (month and year roll over). */
export function addLocalDays(
  local: { year: number; month: number; day: number },
  days: number,
): { year: number; month: number; day: number; weekday: number } {
  const date = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday };
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

export const pad2 = (n: number) => String(n).padStart(2, '0');
