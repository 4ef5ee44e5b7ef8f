// The CLI writes US dollars without ICU (src/cli/io.ts, dollars and money); it must write exactly
// what en-US Intl writes, which it replaced in `risks`, `account` and the other list commands.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dollars, money } from '../../src/cli/io.ts';
import { formatMoney } from '../../src/domain/outreach/format.ts';

const intl = (amount: number, digits: 0 | 2) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount);

// Ties at the rounding digit (x.5, x.xx5), around the group separators, and the largest amount taken.
const EDGES = [
  0,
  1e-6,
  0.5,
  1.5,
  2.5,
  0.005,
  0.015,
  0.125,
  4241.675,
  999.5,
  999.995,
  1000,
  50_900,
  1e15 - 1,
  123_456_789.5,
];

describe('dollars', () => {
  it('writes whole dollars and cents as en-US Intl does', () => {
    for (const amount of EDGES)
      for (const digits of [0, 2] as const)
        expect(dollars(amount, digits), `${amount}/${digits}`).toBe(intl(amount, digits));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 0, max: 1e15, noNaN: true, maxExcluded: true }),
          fc.integer({ min: 0, max: 1e9 }),
          // Thousandths: ties at the cent (x.xx5) whose double lies just below or above the tie.
          fc.integer({ min: 0, max: 1e12 }).map((n) => n / 1000),
        ),
        fc.constantFrom(0 as const, 2 as const),
        (amount, digits) => {
          if (Object.is(amount, -0)) return true;
          const written = dollars(amount, digits);
          // Only amounts JavaScript writes with an exponent (below 1e-6) are left to Intl.
          return written === null ? String(amount).includes('e') : written === intl(amount, digits);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('leaves negative amounts, negative zero, huge amounts and NaN to Intl', () => {
    for (const amount of [-1, -0.001, -0, 1e15, 1e-7, Infinity, NaN])
      expect(dollars(amount, 0), String(amount)).toBeNull();
  });
});

describe('money', () => {
  it('writes every currency as en-US Intl with whole units does, and an unknown one plainly', () => {
    for (const [amount, currency] of [
      [50_900, 'USD'],
      [-1234.5, 'USD'],
      [1200, 'GBP'],
      [99.5, 'EUR'],
      [1e16, 'USD'],
    ] as const)
      expect(money(amount, currency)).toBe(
        new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount),
      );
    expect(money(1200.4, 'XX')).toBe('1200 XX');
  });

  it("writes an event's dollars and cents as formatMoney does in en-US", () => {
    for (const amount of [4241.67, 4241, 0.1, 12_345.675])
      expect(dollars(amount, Number.isInteger(amount) ? 0 : 2)).toBe(formatMoney(amount, 'USD', 'en-US'));
  });
});
