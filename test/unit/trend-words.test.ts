import { describe, expect, it } from 'vitest';
import { sparklineSpan, trendSentence, trendWords } from '../../src/shared/trend-words.ts';

describe('the one wording of a trend', () => {
  it('says the week’s change, and nothing when no trend is claimed', () => {
    expect(trendWords('down', -12)).toBe('down 12');
    expect(trendWords('up', 5)).toBe('up 5');
    expect(trendWords('flat', 1)).toBe('flat');
    expect(trendWords('new', null)).toBe('new');
    expect(trendWords(null, null)).toBeNull();
    expect(trendSentence('down', -12)).toBe('Down 12 since last week');
    expect(trendSentence('flat', 1)).toBe('Flat since last week');
    expect(trendSentence('new', null)).toBe('No score a week ago');
  });

  it('words the sparkline’s own span, so a month-long fall reads beside a flat week', () => {
    expect(sparklineSpan([null, 97, 80, null, 27])).toBe('Health score over the last 5 days: 97 → 27');
    expect(sparklineSpan([null, null])).toBeNull();
  });
});
