// isIsoDay checks characters and a days-in-month table instead of a Date round trip (it runs for
// every imported row; docs/performance.md). It must agree with the round trip it replaced.
import { describe, expect, it } from 'vitest';
import { isIsoDay, toIsoInstant } from '../../src/domain/contract/dates.ts';

function byRoundTrip(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('isIsoDay', () => {
  it('agrees with a Date round trip for every month and day number, in leap and common years', () => {
    let checked = 0;
    for (const year of [0, 1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 2026, 2100, 2400, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(isIsoDay(value), value).toBe(byRoundTrip(value));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(6000);
  });

  it('rejects anything that is not exactly YYYY-MM-DD', () => {
    for (const value of [
      '',
      '2026-6-01',
      '2026-06-1',
      '26-06-01',
      '2026/06/01',
      '2026-06-01 ',
      ' 2026-06-01',
      '2026-06-01\n',
      '2026-06-01T00:00',
      '２０２６-06-01',
      '2026-0a-01',
      '2026--6-01',
      '+026-06-01',
      '2026-06-3.',
    ]) {
      expect(isIsoDay(value), JSON.stringify(value)).toBe(false);
      expect(byRoundTrip(value), JSON.stringify(value)).toBe(false);
    }
    expect(isIsoDay('2024-02-29')).toBe(true);
    expect(isIsoDay('2026-02-29')).toBe(false);
  });
});

describe('toIsoInstant', () => {
  // The slow path alone: what toIsoInstant computed before it returned canonical instants as they are.
  function byDate(value: string): string | null {
    if (byRoundTrip(value)) return `${value}T00:00:00.000Z`;
    if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) return null;
    if (!byRoundTrip(value.slice(0, 10))) return null;
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
    const parsed = new Date(hasZone ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`);
    return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
  }

  it('returns canonical instants unchanged exactly when the Date round trip would', () => {
    const values: string[] = [];
    for (const day of ['2026-06-30', '2024-02-29', '2026-02-29', '0000-01-01', '9999-12-31', '2026-13-01']) {
      for (const time of [
        '00:00:00.000',
        '23:59:59.999',
        '24:00:00.000',
        '12:60:00.000',
        '12:00:60.000',
        '12:00:00.5x0',
        '9:00:00.000',
        '12:30:45.123',
      ]) {
        values.push(`${day}T${time}Z`, `${day} ${time}Z`, `${day}T${time}`, `${day}T${time}+02:00`);
      }
    }
    values.push('2026-06-30T00:00:00.000z', '2026-06-30T00:00:00,000Z', '2026-06-30T00:00:00.0000Z', '2026-06-30');
    for (const value of values) expect(toIsoInstant(value), value).toBe(byDate(value));
  });
});
