/** Plain data shapes returned by the core calls. No behaviour: the renderer imports these. */

/** The four record kinds of the data contract, in the order an import writes them (parents first). */
export const RECORD_KINDS = ['accounts', 'contacts', 'metrics', 'events'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export interface AppStatus {
  dbPath: string;
  schemaVersion: number;
  counts: Record<RecordKind, number>;
  /** The counts that are estimates (`foresight status` on a large book); absent when all are exact. */
  countsEstimated?: ('metrics' | 'events')[];
  lastSyncAt: string | null;
  demo: boolean;
  /** The date evaluations default to, as YYYY-MM-DD. */
  today: string;
  /** The newest day of any metric or event in the book (YYYY-MM-DD), null when it holds none. */
  newestDataOn: string | null;
}

export interface AccountRow {
  account_id: string;
  name: string;
  owner_email: string | null;
  segment: string | null;
  plan: string | null;
  arr: number;
  currency: string;
  renewal_date: string | null;
  lifecycle_stage: string | null;
  status: 'active' | 'churned';
  locale: string | null;
}

export interface Page<T> {
  rows: T[];
  total: number;
  offset: number;
}
