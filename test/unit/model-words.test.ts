import { describe, expect, it } from 'vitest';
import { featureText } from '../../src/domain/risk/model/words.ts';

const never = () => 0;

describe('a model feature in words', () => {
  it('counts days in the singular when there is one', () => {
    expect(featureText('a:renewal_in', 1, never)).toBe('renewal in 1 day');
    expect(featureText('a:renewal_in', -1, never)).toBe('renewal 1 day overdue');
    expect(featureText('a:renewal_in', 12, never)).toBe('renewal in 12 days');
    expect(featureText('a:renewal_in', -30, never)).toBe('renewal 30 days overdue');
  });
});
