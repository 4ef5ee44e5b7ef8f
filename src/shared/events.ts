import type { RecordKind } from './dto/core.ts';

/** What a job's count counts, for the words under its bar: "1,200 of 5,000 accounts". */
/** 'seconds': a wait, counted in the seconds waited (wait-for-writer.ts), not a count of work. */
export type ProgressUnit = 'rows' | 'accounts' | 'items' | 'seconds';

/** Events pushed from the app to the renderer (IPC in Electron, server-sent events in the web preview). */
export type ProgressEvent = {
  type: 'progress';
  jobId: string;
  /** The job as it was asked for, the same on every report: "Importing 3 files". */
  title: string;
  /** What the job is doing now, for a label: "Importing accounts.csv", then "Scoring accounts". */
  label: string;
  processed: number;
  total: number | null;
  /** What processed and total count; absent: the screen's own word. */
  unit?: ProgressUnit;
  ratePerSecond: number | null;
  done: boolean;
};

/**
 * What a change touched, so open screens reload only what depends on it: a record kind of the data
 * contract, or one of the app's own stores. 'all' means the whole book may have changed underneath
 * (a restore, a demo load or clear, a reconnect after changes went unannounced), so every screen
 * reloads everything it shows.
 */
export type ChangeKind =
  | RecordKind
  | 'risk'
  | 'interventions'
  | 'outcomes'
  | 'templates'
  | 'outreach-settings'
  | 'playbooks'
  | 'sync'
  | 'success-plan'
  | 'mail'
  | 'all';

export type DataChangedEvent = { type: 'data-changed'; kinds: readonly ChangeKind[] };

export type NavigateEvent = { type: 'navigate'; to: string };

/**
 * Something the user should hear about although no screen asked: a background attempt left a
 * queued message failed or of unknown delivery. Shown as a toast wherever the user is.
 */
export type NoticeEvent = { type: 'notice'; tone: 'error' | 'info'; title: string; description: string; to?: string };

export type ApiEvent = ProgressEvent | DataChangedEvent | NavigateEvent | NoticeEvent;

/** True when a change of `changed` kinds affects something that depends on `wanted` kinds. */
export function changeTouches(changed: readonly ChangeKind[], wanted: readonly ChangeKind[]): boolean {
  if (changed.includes('all')) return true;
  return changed.some((kind) => wanted.includes(kind));
}
