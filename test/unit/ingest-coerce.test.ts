import { describe, expect, it } from 'vitest';
import { coerceOptionsFrom, coerceRecord, compileDateFormat, parseNumber } from '../../src/domain/ingest/coerce.ts';
import { EMPTY_MAPPING, parseMapping } from '../../src/domain/ingest/mapping.ts';

describe('numbers', () => {
  it.each([
    ['12000', 12000],
    ['-3.5', -3.5],
    ['1e3', 1000],
    ['240,000.00', 240000],
    ['$1,200', 1200],
    ['€ 99', 99],
    ['1 234.5', 1234.5],
  ])('%s → %d', (text, value) => expect(parseNumber(text, false)).toBe(value));

  it.each(['n/a', '1,2,3', '12k', '0x10', 'Infinity', '1.2.3', ''])('%s is not a number', (text) =>
    expect(parseNumber(text, false)).toBeNull(),
  );

  it('reads a decimal comma when the mapping says so', () => {
    expect(parseNumber('1.234,56', true)).toBe(1234.56);
    expect(parseNumber('12,5', true)).toBe(12.5);
    expect(parseNumber('1,234.56', true)).toBeNull();
  });
});

describe('date formats', () => {
  it('compiles tokens and keeps literals', () => {
    expect(compileDateFormat('DD/MM/YYYY')?.regex.test('31/01/2027')).toBe(true);
    expect(compileDateFormat('no date here')).toBeNull();
  });

  it('converts dates and date-times with a mapping format, and keeps what does not fit', () => {
    const options = coerceOptionsFrom(
      parseMapping({ dateFormat: 'DD/MM/YYYY', dateFormats: { updated_at: 'D.M.YY H:mm' } }),
    );
    const out = coerceRecord(
      'accounts',
      { renewal_date: '31/01/2027', created_at: '31/02/2026', churned_at: '2025-12-31', updated_at: '5.1.26 9:30' },
      options,
    );
    expect(out).toMatchObject({
      renewal_date: '2027-01-31',
      created_at: '31/02/2026',
      churned_at: '2025-12-31',
      updated_at: '2026-01-05T09:30:00Z',
    });
  });

  it('reads month names and keeps only the day of an ISO date-time', () => {
    const options = coerceOptionsFrom(parseMapping({ dateFormat: 'DD-MMM-YYYY' }));
    expect(
      coerceRecord('accounts', { renewal_date: '03-Feb-2027', created_at: '2020-01-01T10:00:00Z' }, options),
    ).toMatchObject({
      renewal_date: '2027-02-03',
      created_at: '2020-01-01',
    });
  });
});

describe('coercion', () => {
  it('trims text, drops empty cells, lower-cases status and reads yes/no', () => {
    const options = coerceOptionsFrom(EMPTY_MAPPING);
    expect(
      coerceRecord('accounts', { account_id: ' a ', name: '', status: 'Active', arr: '5', unknown: 'x' }, options),
    ).toEqual({ account_id: 'a', status: 'active', arr: 5 });
    expect(coerceRecord('contacts', { is_champion: 'Yes', active: 0 }, options)).toEqual({
      is_champion: true,
      active: false,
    });
  });

  it('refuses an invalid mapping with a one-sentence reason', () => {
    expect(() => parseMapping({ dateFormat: 'nonsense' })).toThrow(/is not a date format/);
    expect(() => parseMapping({ colums: {} })).toThrow(/not a valid mapping/);
  });
});
