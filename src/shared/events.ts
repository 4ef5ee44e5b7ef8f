/** Events pushed from the app to the renderer (IPC in Electron, server-sent events in the web preview). */
export type ProgressEvent = {
  type: 'progress';
  jobId: string;
  /** What the job is, for a label: "Importing accounts.csv". */
  label: string;
  processed: number;
  total: number | null;
  ratePerSecond: number | null;
  done: boolean;
};

export type DataChangedEvent = { type: 'data-changed'; kinds: string[] };

export type NavigateEvent = { type: 'navigate'; to: string };

export type ApiEvent = ProgressEvent | DataChangedEvent | NavigateEvent;
