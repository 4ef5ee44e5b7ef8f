// `foresight status` groups its counts without ICU (src/cli/io.ts, groupedCount); it must write
// exactly what toLocaleString('en') writes, which it replaced.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupedCount } from '../../src/cli/io.ts';

describe('groupedCount', () => {
  it("writes every whole count as toLocaleString('en') does", () => {
    for (const value of [0, 7, 999, 1000, 12_345, 100_000, 2_330_447, 28_500_000, -1234, Number.MAX_SAFE_INTEGER])
      expect(groupedCount(value), String(value)).toBe(value.toLocaleString('en'));
    fc.assert(
      fc.property(fc.maxSafeInteger(), (value) => groupedCount(value) === value.toLocaleString('en')),
      { numRuns: 2000 },
    );
  });

  it('leaves what is not a whole count to Intl', () => {
    expect(groupedCount(1234.5)).toBe((1234.5).toLocaleString('en'));
  });
});
