/**
 * A job's progress on its way to a bar: throttled without losing a part's start, its full count or
 * its end (progress-throttle.ts), and turned into events whose label, unit and rate follow the
 * part the job is in (handlers/progress.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { progressReporter } from '../../src/app/handlers/progress.ts';
import { finishedProgress, throttledProgress } from '../../src/app/jobs/progress-throttle.ts';
import type { JobProgress } from '../../src/app/jobs/registry.ts';
import { jobProgressText } from '../../src/renderer/api/job-progress.ts';
import type { ApiEvent, ProgressEvent } from '../../src/shared/events.ts';

afterEach(() => vi.useRealTimers());

describe('throttledProgress', () => {
  it('drops counts that come faster than the interval, but never a new part, a full count or the end', () => {
    vi.useFakeTimers({ now: 0 });
    const sent: JobProgress[] = [];
    const report = throttledProgress((p) => sent.push(p), 100);
    report({ processed: 1, total: 10, label: 'Importing a.csv', unit: 'rows' });
    report({ processed: 2, total: 10, label: 'Importing a.csv', unit: 'rows' }); // dropped: 0 ms later
    report({ processed: 10, total: 10, label: 'Importing a.csv', unit: 'rows', done: false }); // full count
    report({ processed: 0, total: 5, label: 'Scoring accounts', unit: 'accounts', done: false }); // new part
    report({ processed: 1, total: 5, label: 'Scoring accounts', unit: 'accounts', done: false }); // dropped
    vi.advanceTimersByTime(100);
    report({ processed: 2, total: 5, label: 'Scoring accounts', unit: 'accounts', done: false }); // interval passed
    report({ processed: 3, total: 5, done: true }); // the end
    expect(sent.map((p) => [p.label, p.processed])).toEqual([
      ['Importing a.csv', 1],
      ['Importing a.csv', 10],
      ['Scoring accounts', 0],
      ['Scoring accounts', 2],
      [undefined, 3],
    ]);
  });
});

describe('finishedProgress', () => {
  it("sends the job's last count again, done and under the job's own label, when the job did not end it", () => {
    const sent: JobProgress[] = [];
    const progress = finishedProgress<JobProgress>((p) => sent.push(p));
    progress.report({ processed: 40, total: 40, label: 'Saving the ranked list', unit: 'accounts', done: false });
    progress.finish();
    expect(sent.at(-1)).toEqual({ processed: 40, total: 40, unit: 'accounts', done: true });
  });

  it('adds nothing when the job ended its own progress, or never reported', () => {
    const sent: JobProgress[] = [];
    const ended = finishedProgress<JobProgress>((p) => sent.push(p));
    ended.report({ processed: 3, total: 3, done: true });
    ended.finish();
    finishedProgress<JobProgress>((p) => sent.push(p)).finish();
    expect(sent).toHaveLength(1);
  });
});

describe('progressReporter', () => {
  function capture() {
    const events: ProgressEvent[] = [];
    const ctx = { emit: (event: ApiEvent) => event.type === 'progress' && events.push(event) } as unknown as AppContext;
    return { events, report: progressReporter(ctx, 'Importing 2 files') };
  }

  it("shows the job's part as the label, keeps the job's title, and is done only when the job says so", () => {
    const { events, report } = capture();
    report({ id: 'j', processed: 12, total: 12, label: 'Importing b.csv (file 2 of 2)', unit: 'rows', done: false });
    report({ id: 'j', processed: 0, total: 9, label: 'Scoring accounts', unit: 'accounts', done: false });
    report({ id: 'j', processed: 12, total: 12, unit: 'rows', done: true });
    expect(events.map((e) => [e.title, e.label, e.unit, e.done])).toEqual([
      ['Importing 2 files', 'Importing b.csv (file 2 of 2)', 'rows', false],
      ['Importing 2 files', 'Scoring accounts', 'accounts', false],
      ['Importing 2 files', 'Importing 2 files', 'rows', true],
    ]);
  });

  it('still counts a job that reports no parts as done when its count is full', () => {
    const { events, report } = capture();
    report({ id: 'j', processed: 5, total: 5 });
    expect(events[0]!.done).toBe(true);
  });

  it('gives the rate of the current part: accounts scored do not borrow the pace of rows read', () => {
    vi.useFakeTimers({ now: 0 });
    const { events, report } = capture();
    report({ id: 'j', processed: 0, total: 100_000, label: 'Importing a.csv', unit: 'rows' });
    vi.advanceTimersByTime(2000);
    report({ id: 'j', processed: 100_000, total: 100_000, label: 'Importing a.csv', unit: 'rows', done: false });
    report({ id: 'j', processed: 0, total: 50, label: 'Scoring accounts', unit: 'accounts', done: false });
    vi.advanceTimersByTime(1000);
    report({ id: 'j', processed: 20, total: 50, label: 'Scoring accounts', unit: 'accounts', done: false });
    expect(events[1]!.ratePerSecond).toBe(50_000);
    expect(events[3]!.ratePerSecond).toBe(20);
  });
});

describe('jobProgressText with the unit a job reports', () => {
  it("counts in the job's own unit when it names one, else in the screen's word", () => {
    expect(jobProgressText({ processed: 12, total: 40, done: false, unit: 'accounts' }, 'rows', 'en-US')).toBe(
      '12 of 40 accounts',
    );
    expect(jobProgressText({ processed: 12, total: 40, done: false }, 'records', 'en-US')).toBe('12 of 40 records');
  });
});
