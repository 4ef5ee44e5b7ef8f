// Series.median (risk/bundle.ts) sorts the present values of a window in one working array shared
// by every call: each call must see only its own window's values, whatever a longer or earlier call left there.
import { describe, expect, it } from 'vitest';
import { Series } from '../../src/domain/risk/bundle.ts';

describe('Series.median', () => {
  it('takes the present values of the window only, odd and even counts, with the minimum number of days', () => {
    const s = new Series(100, [5, Number.NaN, 1, 9, 3, Number.NaN, 7]);
    expect(s.median(100, 106)).toEqual({ median: 5, n: 5 });
    expect(s.median(101, 104)).toEqual({ median: 3, n: 3 });
    expect(s.median(100, 103)).toEqual({ median: 5, n: 3 });
    expect(s.median(102, 103)).toEqual({ median: 5, n: 2 });
    expect(s.median(105, 105)).toBeNull();
    expect(s.median(100, 106, 6)).toBeNull();
    expect(s.median(90, 99)).toBeNull();
  });

  it('gives each window its own answer after a longer window filled the working array', () => {
    const long = new Series(
      0,
      Array.from({ length: 1000 }, (_, i) => 1000 - i),
    );
    expect(long.median(0, 999)).toEqual({ median: 500.5, n: 1000 });
    const short = new Series(0, [2, 8, 4]);
    expect(short.median(0, 2)).toEqual({ median: 4, n: 3 });
    expect(long.median(0, 3)).toEqual({ median: 998.5, n: 4 });
    expect(short.median(0, 1)).toEqual({ median: 5, n: 2 });
  });
});
