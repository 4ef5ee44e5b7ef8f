/**
 * Long-running jobs (imports, demo loads, syncs) report progress as events. This store keeps the
 * latest report per job so any screen, and the shell's activity area, can show a progress bar.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { ProgressEvent } from '../../shared/events.ts';
import { api } from './client.ts';

export interface JobProgress extends Omit<ProgressEvent, 'type'> {
  /** Date.now() of the last report, to retire jobs that stop reporting. */
  updatedAt: number;
}

interface JobsState {
  jobs: Record<string, JobProgress>;
}

export const useJobs = create<JobsState>(() => ({ jobs: {} }));

/** A finished job stays visible briefly so the user sees it complete rather than vanish. */
const LINGER_MS = 2500;
/** Jobs with an unknown total never report done; retire them once they go quiet. */
const SILENT_MS = 15_000;

function track(event: ProgressEvent): void {
  const { type: _type, ...progress } = event;
  useJobs.setState((state) => ({ jobs: { ...state.jobs, [event.jobId]: { ...progress, updatedAt: Date.now() } } }));
}

function retire(now: number): void {
  const { jobs } = useJobs.getState();
  const keep = Object.entries(jobs).filter(([, job]) => {
    const age = now - job.updatedAt;
    return job.done ? age < LINGER_MS : age < SILENT_MS;
  });
  if (keep.length !== Object.keys(jobs).length) useJobs.setState({ jobs: Object.fromEntries(keep) });
}

/** Mount once, near the root: feeds progress events into the store for as long as the app runs. */
export function useJobTracking(): void {
  useEffect(() => {
    const unsubscribe = api.onEvent((event) => {
      if (event.type === 'progress') track(event);
    });
    const timer = window.setInterval(() => retire(Date.now()), 500);
    return () => {
      unsubscribe();
      window.clearInterval(timer);
    };
  }, []);
}

/** All jobs currently worth showing, oldest first. */
export function useActiveJobs(): JobProgress[] {
  const jobs = useJobs((state) => state.jobs);
  return Object.values(jobs);
}
