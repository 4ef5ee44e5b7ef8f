import { describe, expect, it } from 'vitest';
import type { ProgressUnit } from '../../src/shared/events.ts';
import { jobBar, jobProgressText } from '../../src/renderer/api/job-progress.ts';
import { syncKindWords } from '../../src/shared/dto/sync.ts';
import { retryWhileBusy } from '../../src/app/wait-for-writer.ts';

describe('jobProgressText', () => {
  it('says there was nothing to do instead of "0 / 0" when a finished job had no total', () => {
    const text = jobProgressText({ processed: 0, total: 0, done: true }, 'rows', 'en-US');
    expect(text).toBe('Nothing to do, no rows to process');
    expect(text).not.toMatch(/0\s*\/\s*0|0 of 0/);
  });

  it('says a job with no total yet is starting, then counts what it has done so far', () => {
    expect(jobProgressText({ processed: 0, total: null, done: false }, 'rows', 'en-US')).toBe('Starting…');
    expect(jobProgressText({ processed: 1200, total: null, done: false }, 'rows', 'en-US')).toBe('1,200 rows so far');
    expect(jobProgressText({ processed: 1200, total: null, done: true }, 'rows', 'en-US')).toBe('1,200 rows');
  });

  it('words a wait for another writer in seconds, not as items done', async () => {
    const events: { processed: number; unit?: ProgressUnit; total: number | null; done: boolean }[] = [];
    let now = 0;
    let calls = 0;
    await retryWhileBusy(
      () => {
        if (calls++ < 2) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        return 1;
      },
      {
        what: 'Your change',
        emit: (event) => void (event.type === 'progress' && events.push(event)),
        sleep: async (ms) => void (now += ms),
        clock: () => now,
      },
    );
    const waiting = events.find((event) => !event.done)!;
    expect(waiting.unit).toBe('seconds');
    expect(jobProgressText({ ...waiting, processed: 8 }, 'items', 'en-US')).toBe('8 s so far');
  });

  it('counts against a known total in the locale', () => {
    expect(jobProgressText({ processed: 1200, total: 5000, done: false }, 'rows', 'en-US')).toBe('1,200 of 5,000 rows');
    expect(jobProgressText({ processed: 1200, total: 5000, done: false }, 'rows', 'de-DE')).toBe('1.200 of 5.000 rows');
  });
});

describe('jobBar', () => {
  it('fills the bar of a finished job that had nothing to do, and keeps it moving while the total is unknown', () => {
    expect(jobBar({ processed: 0, total: 0, done: true })).toEqual({ value: 1, max: 1 });
    expect(jobBar({ processed: 10, total: null, done: false })).toEqual({ value: null, max: 100 });
    expect(jobBar({ processed: 10, total: 40, done: false })).toEqual({ value: 10, max: 40 });
  });
});

describe('syncKindWords', () => {
  it('says what a sync pulls in words, for record kinds and team logs alike', () => {
    expect(syncKindWords('metrics')).toBe('usage metrics');
    expect(syncKindWords('item_actions')).toBe('item actions');
    expect(syncKindWords('accounts')).toBe('accounts');
    expect(syncKindWords('some_new_kind')).toBe('some new kind');
  });
});
