import { describe, expect, it } from 'vitest';
import {
  datesInWords,
  daysBetween,
  formatAge,
  formatCount,
  formatDate,
  formatMoney,
  formatPercent,
  formatRelative,
  formatDaysAway,
  formatDayAgo,
} from '../../src/renderer/format.ts';
import { rankColumnWidth } from '../../src/renderer/screens/today/rank-width.ts';

// Intl output uses narrow no-break spaces in some locales; compare with ordinary spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('renderer formatting through Intl', () => {
  it('writes out the days in app text, as every other date on screen', () => {
    expect(datesInWords('Waiting for a successful payment until 2026-12-14.', { locale: 'en-US' })).toBe(
      'Waiting for a successful payment until Dec 14, 2026.',
    );
    expect(plain(datesInWords('Bezahlt am 2026-03-08', { locale: 'de-DE' }))).toBe('Bezahlt am 08.03.2026');
    // An instant is left alone; text without a day is unchanged.
    expect(datesInWords('at 2026-03-08T10:00:00Z', { locale: 'en-US' })).toBe('at 2026-03-08T10:00:00Z');
    expect(datesInWords('No reply yet.', { locale: 'en-US' })).toBe('No reply yet.');
  });

  it('formats money in the account currency and locale', () => {
    expect(formatMoney(420_000, 'USD', { locale: 'en-US' })).toBe('$420,000');
    expect(formatMoney(420_000, 'USD', { locale: 'en-US', compact: true })).toBe('$420K');
    expect(plain(formatMoney(1234.5, 'EUR', { locale: 'de-DE' }))).toBe('1.234,50 €');
    expect(formatMoney(99.5, 'GBP', { locale: 'en-GB' })).toBe('£99.50');
  });

  it('falls back to a number and the code for an unknown currency instead of throwing', () => {
    expect(formatMoney(10, 'NOTACODE', { locale: 'en-US' })).toBe('10 NOTACODE');
  });

  it('formats counts with the right noun and percentages', () => {
    expect(formatCount(1, 'account', undefined, 'en-US')).toBe('1 account');
    expect(formatCount(50_000, 'account', undefined, 'en-US')).toBe('50,000 accounts');
    expect(formatPercent(0.123, { locale: 'en-US' })).toBe('12%');
  });

  it('never shifts a bare date by the time zone', () => {
    expect(formatDate('2026-03-01', { locale: 'en-US' })).toBe('Mar 1, 2026');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('garbage')).toBe('garbage');
  });

  it('describes data age and relative time against an injected now', () => {
    const now = new Date('2026-11-21T12:00:00Z');
    expect(formatAge('2026-11-18T12:00:00Z', { now, locale: 'en-US' })).toBe('3 days old');
    expect(formatAge('2026-11-21T11:59:30Z', { now, locale: 'en-US' })).toBe('just now');
    expect(formatRelative('2026-12-05T12:00:00Z', { now, locale: 'en-US' })).toBe('in 2 weeks');
    expect(daysBetween('2026-11-21', '2027-01-01')).toBe(41);
    // Renewals: "today", never "in 0 d".
    expect(formatDaysAway(0, 'en-US')).toBe('today');
    expect(formatDaysAway(1, 'en-US')).toBe('tomorrow');
    expect(formatDaysAway(-1, 'en-US')).toBe('yesterday');
    expect(formatDaysAway(12, 'en-US')).toBe('in 12 days');
    expect(formatDaysAway(-3, 'en-US')).toBe('3 days ago');
  });
});

// QA: Today's "Last touch" read "12 hours ago" for a call logged minutes ago: a day-only touch was
// measured from noon of the scored day, at an hour precision it does not have.
describe('a past day from the viewed day', () => {
  it('is counted in days: today, yesterday, days ago, then weeks and months', () => {
    expect(formatDayAgo('2026-12-08', '2026-12-08', 'en-US')).toBe('today');
    expect(formatDayAgo('2026-12-07', '2026-12-08', 'en-US')).toBe('yesterday');
    expect(formatDayAgo('2026-12-05', '2026-12-08', 'en-US')).toBe('3 days ago');
    expect(formatDayAgo('2026-11-24', '2026-12-08', 'en-US')).toBe('2 weeks ago');
    expect(formatDayAgo('2026-10-01', '2026-12-08', 'en-US')).toBe('2 months ago');
    expect(formatDayAgo('2026-12-08', '2026-12-08', 'de-DE')).toBe('heute');
  });
});

// QA: ranks of 1,000 and more read "1…" in a fixed 44 px column.
describe("Today's rank column", () => {
  it('is wide enough for the largest rank: a digit per place, plus one, plus the cell padding', () => {
    expect(rankColumnWidth(12)).toBe('max(44px, calc(3ch + var(--space-4) + var(--space-3)))');
    expect(rankColumnWidth(5839)).toBe('max(44px, calc(5ch + var(--space-4) + var(--space-3)))');
    expect(rankColumnWidth(14_143)).toBe('max(44px, calc(6ch + var(--space-4) + var(--space-3)))');
  });
});
