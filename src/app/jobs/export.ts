/**
 * Exports that read the whole book run as jobs: in a worker thread, the app's thread keeps
 * answering the UI (a 50,000-account export blocked every other request while it ran), and the
 * rows read and written show as progress.
 */
import { exportGrid, type GridFile } from '../../domain/accounts/grid-export.ts';
import type { GridQuery } from '../../domain/accounts/grid.ts';
import type { GridColumn } from '../../shared/dto/accounts-grid.ts';
import type { JobFn } from './registry.ts';

export interface GridExportPayload {
  query: Omit<GridQuery, 'offset' | 'limit' | 'history'>;
  columns: GridColumn[];
  format: 'csv' | 'xlsx';
}

export const exportJobs = {
  'accounts.export': ((db, payload: GridExportPayload, progress) =>
    exportGrid(db, payload.query, payload.columns, payload.format, ({ label, processed, total }) =>
      progress({ label, processed, total, unit: 'accounts', done: false }),
    )) satisfies JobFn<GridExportPayload, Promise<GridFile>>,
};
