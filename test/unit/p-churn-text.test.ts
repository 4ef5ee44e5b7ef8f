/**
 * P(churn) is never printed as "0%" (reads "cannot churn"; the model keeps it within 0.1%–99%):
 * one rule for the CLI, the account's explanation and the renderer's locale formatting.
 */
import { describe, expect, it } from 'vitest';
import { describeMoney } from '../../src/domain/risk/evaluate.ts';
import { formatPChurn } from '../../src/renderer/format.ts';
import { pChurnText } from '../../src/shared/p-churn.ts';

describe('P(churn) in words', () => {
  it('says "<1%" below one percent and ">99%" above 99%, whole percents between', () => {
    expect([0.001, 0.0049, 0.0099, 0.01, 0.123, 0.99, 0.995].map((p) => pChurnText(p))).toEqual([
      '<1%',
      '<1%',
      '<1%',
      '1%',
      '12%',
      '99%',
      '>99%',
    ]);
  });

  it('is the same rule in the renderer, in the locale', () => {
    expect(formatPChurn(0.001, { locale: 'en-US' })).toBe('<1%');
    expect(formatPChurn(0.001, { locale: 'de-DE' })).toBe('<1\u00a0%');
    expect(formatPChurn(0.324, { locale: 'en-US' })).toBe('32%');
  });

  it('is the rule of the account page explanation', () => {
    expect(describeMoney(0.001, 1, 90)).toBe('P(churn within 90 days) <1%');
  });
});
