import { describe, expect, it } from 'vitest';
import { featureText } from '../../src/domain/risk/model/words.ts';

const never = () => 0;

describe('a model feature in words', () => {
  // QA: an account whose core_feature_uses were all 0 read "last core feature uses 120 days ago,
  // usually every 90 days": the days-since placeholder for "never in the window" worded as a date.
  it('says a metric never seen in its window was not seen, without inventing a last day or a usual gap', () => {
    const feature = (values: Record<string, number>) => (name: string) => values[name] ?? NaN;
    const never90 = feature({
      'm:core_feature_uses:since': 120,
      'm:core_feature_uses:gap_ratio': Math.log1p(120 / 90),
      'm:core_feature_uses:days90': 0,
    });
    expect(featureText('m:core_feature_uses:since', 120, never90)).toBe('no core feature uses in the last 90 days');
    expect(featureText('m:core_feature_uses:gap_ratio', Math.log1p(120 / 90), never90)).toBe(
      'no core feature uses in the last 90 days',
    );
    const seen = feature({
      'm:core_feature_uses:since': 12,
      'm:core_feature_uses:gap_ratio': Math.log1p(12 / 6),
      'm:core_feature_uses:days90': 15,
    });
    expect(featureText('m:core_feature_uses:since', 12, seen)).toBe(
      'last core feature uses 12 days ago, usually every 6 days',
    );
  });

  it('counts days in the singular when there is one', () => {
    expect(featureText('a:renewal_in', 1, never)).toBe('renewal in 1 day');
    expect(featureText('a:renewal_in', -1, never)).toBe('renewal 1 day overdue');
    expect(featureText('a:renewal_in', 12, never)).toBe('renewal in 12 days');
    expect(featureText('a:renewal_in', -30, never)).toBe('renewal 30 days overdue');
  });

  it('does not call an overdue renewal "within 90 days"', () => {
    // QA: an account 13 days past its renewal read "renewal within 90 days" among its churn reasons.
    expect(featureText('a:renewal_soon', 1, never)).toBe('renewal due within 90 days or up to 30 days overdue');
    expect(featureText('a:renewal_soon', 0, never)).toBe('no renewal due within 90 days');
  });

  it('says what an absent event is measured against, instead of "0 … → +1 pts"', () => {
    // QA: churn-drivers printed "0 renewed in the last 180 days → +1 pts".
    const typical = Math.log1p(0.2); // the model's mean of the log-count
    expect(featureText('e:renewed:n180', 0, never, typical)).toBe(
      "no renewed events in the last 180 days, where the book's average account has 0.2",
    );
    expect(featureText('e:renewed:n180', Math.log1p(2), never, typical)).toBe('2 renewed in the last 180 days');
    expect(featureText('e:renewed:n90', 0, never)).toBe('0 renewed in the last 90 days');
  });
});
