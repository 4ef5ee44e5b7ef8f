/** Time safety as pure rules: which run may move risk items, the CLI's note, the days a history still needs. */
import { describe, expect, it } from 'vitest';
import { timeNote } from '../../src/cli/commands/risks.ts';
import { missingDays } from '../../src/domain/risk/history-coverage.ts';
import { itemsLive, statusOn } from '../../src/domain/risk/score-plan.ts';

const never = () => {
  throw new Error('the newest data day is only asked for a past day');
};

describe('itemsLive', () => {
  it('moves items for today, and for the newest data day', () => {
    expect(itemsLive('2026-03-31', '2026-03-31', null, never)).toEqual({ live: true, reason: 'today' });
    expect(itemsLive('2026-02-27', '2026-03-31', '2026-02-26', () => '2026-02-27')).toEqual({
      live: true,
      reason: 'the newest data day',
    });
  });

  it('never for the future, another past day, or a day before the items already moved', () => {
    expect(itemsLive('2026-09-30', '2026-03-31', null, never).live).toBe(false);
    expect(itemsLive('2026-03-01', '2026-03-31', null, () => '2026-03-31').live).toBe(false);
    expect(itemsLive('2026-03-30', '2026-03-31', '2026-03-31', never)).toEqual({
      live: false,
      reason: 'Risk items already follow 2026-03-31; a look at 2026-03-30 leaves them as they are.',
    });
  });
});

describe('statusOn', () => {
  const churned = { created_at: '2025-01-01', status: 'churned' as const, churned_at: '2026-03-15' };
  it('is active before the churn day and churned from it; not yet before creation', () => {
    expect(statusOn(churned, '2026-03-14')).toBe('active');
    expect(statusOn(churned, '2026-03-15')).toBe('churned');
    expect(statusOn(churned, '2024-12-31')).toBe('not_yet');
  });

  it('dates a churn without churned_at by the day given, else counts it churned on every day', () => {
    const undated = { ...churned, churned_at: null };
    expect(statusOn(undated, '2026-03-01', '2026-03-10')).toBe('active');
    expect(statusOn(undated, '2026-03-01')).toBe('churned');
  });
});

describe('timeNote', () => {
  it('says a future day is past the data and leaves the items', () => {
    expect(timeNote('2026-09-30', '2026-03-31', '2026-03-31')).toBe(
      'Note: 2026-09-30 is past the newest data (2026-03-31); risk items were left as they are because it is in the future.',
    );
  });

  it('says nothing for today with data through today, and names a past day that moves nothing', () => {
    expect(timeNote('2026-03-31', '2026-03-31', '2026-03-31')).toBeNull();
    expect(timeNote('2026-03-01', '2026-03-31', '2026-03-31')).toBe(
      'Note: Risk items were left as they are because it is neither today nor the newest data day (2026-03-31).',
    );
  });
});

describe('missingDays', () => {
  it('is every day under another version, else the days outside the stored range', () => {
    expect(missingDays(10, 14, null, 1)).toEqual([10, 11, 12, 13, 14]);
    expect(missingDays(10, 14, { version: 1, from: 11, through: 13 }, 1)).toEqual([10, 14]);
    expect(missingDays(10, 14, { version: 1, from: 11, through: 13 }, 2)).toEqual([10, 11, 12, 13, 14]);
    expect(missingDays(10, 9, null, 1)).toEqual([]);
  });
});
