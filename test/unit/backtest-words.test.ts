import { describe, expect, it } from 'vitest';
import { backtestSentence } from '../../src/shared/backtest-words.ts';

const count = (n: number) => n.toLocaleString('en');
const base = {
  backtest_note: '7 past days with enough outcomes seen (28–90 of 90 days of outcomes seen).',
  samples: 140,
};

describe("the backtest's line", () => {
  it('gives the true reason on a book with history but no churn, not "too little history"', () => {
    const text = backtestSentence({ ...base, too_little_history: false, outcomes: 0, churned_accounts: 0 }, count);
    expect(text).toMatch(/^No churn to judge against yet: none of the 140 account-days/);
    expect(text).not.toContain('Too little history');
  });

  it('says the evidence in churned accounts, and leaves the no-history reason to the note', () => {
    expect(backtestSentence({ ...base, too_little_history: false, outcomes: 28, churned_accounts: 4 }, count)).toMatch(
      /^Backtest: 4 churned accounts \(28 churn account-days\) among 140 account-days\./,
    );
    const none = { too_little_history: true, backtest_note: 'Nothing to judge: no account had fresh data …' };
    expect(backtestSentence({ ...none, samples: 0, outcomes: 0, churned_accounts: 0 }, count)).toBe(none.backtest_note);
  });
});
