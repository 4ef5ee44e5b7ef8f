/** The line an import ends with, on the CLI and the Sync screen: what it did to the ranked list. */
import { describe, expect, it } from 'vitest';
import { rankingText, type RankingChange } from '../../src/shared/dto/sync.ts';

const BOOK: RankingChange = {
  asOf: '2026-12-07',
  scope: 'book',
  scored: 4475,
  atRisk: 576,
  stale: 0,
  noData: 0,
  opened: 1037,
  resolved: 0,
};
const en = (n: number) => n.toLocaleString('en-US');

describe('rankingText', () => {
  it('says how many active accounts were ranked, how many are at risk and what the items did', () => {
    expect(rankingText(BOOK, en)).toBe(
      'Ranked 4,475 active accounts as of 2026-12-07: 576 at risk; 1,037 risk items opened.',
    );
    expect(rankingText({ ...BOOK, opened: 1, resolved: 3, stale: 12, noData: 2 }, en)).toBe(
      'Ranked 4,475 active accounts as of 2026-12-07: 576 at risk, 12 with stale data, 2 with no data yet; 1 risk item opened, 3 resolved.',
    );
  });

  it('says when only the accounts whose data changed were rescored, in the singular too', () => {
    expect(rankingText({ ...BOOK, scope: 'accounts', scored: 1, atRisk: 1, opened: 0 }, en)).toBe(
      'Rescored the 1 active account whose data changed, as of 2026-12-07: 1 at risk.',
    );
  });

  it("writes numbers and the day in the reader's locale when given the formatters", () => {
    const de = (n: number) => n.toLocaleString('de-DE');
    const day = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('de-DE', { timeZone: 'UTC' });
    expect(rankingText(BOOK, de, day)).toBe(
      'Ranked 4.475 active accounts as of 7.12.2026: 576 at risk; 1.037 risk items opened.',
    );
  });
});
