import type { MetricRecord } from '../../contract/records.ts';
import type { Db } from '../open.ts';
import { perConnection } from '../per-connection.ts';
import { prepareUpsert } from '../upsert.ts';

export const METRIC_COLUMNS = ['account_id', 'metric', 'contact_id', 'date', 'value'] as const;

export interface MetricPoint {
  date: string;
  value: number;
}

export const metricsRepo = perConnection((db: Db) => {
  const upsert = prepareUpsert<MetricRecord>(db, 'metrics', METRIC_COLUMNS, [
    'account_id',
    'metric',
    'contact_id',
    'date',
  ]);
  // The hot read: one account's series over a window. Served by the primary key.
  const window = db.prepare<
    { account_id: string; metric: string; contact_id: string; from: string; to: string },
    MetricPoint
  >(
    `SELECT date, value FROM metrics
     WHERE account_id = @account_id AND metric = @metric AND contact_id = @contact_id AND date >= @from AND date <= @to
     ORDER BY date`,
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM metrics');
  return {
    upsert,
    window: (accountId: string, metric: string, from: string, to: string, contactId = ''): MetricPoint[] =>
      window.all({ account_id: accountId, metric, contact_id: contactId, from, to }),
    count: (): number => count.get()?.n ?? 0,
  };
});
