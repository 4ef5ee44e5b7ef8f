/**
 * A generated export leaves the app one way or the other: through the native save dialog in the
 * desktop app, or as base64 for a browser download in the web preview.
 */
import type { ExportResult } from '../../shared/dto/interventions.ts';
import type { AppContext } from '../context.ts';

export async function deliverFile(
  ctx: AppContext,
  file: { format: 'csv' | 'xlsx'; filename: string; rows: number; mime: string; data: Uint8Array },
): Promise<ExportResult> {
  const base = { format: file.format, filename: file.filename, rows: file.rows, mime: file.mime };
  if (ctx.native) {
    const filters =
      file.format === 'csv'
        ? [{ name: 'CSV', extensions: ['csv'] }]
        : [{ name: 'Excel workbook', extensions: ['xlsx'] }];
    const saved = await ctx.native.saveFile({ defaultName: file.filename, filters, data: file.data });
    return { ...base, saved: saved.saved, path: saved.path, base64: null };
  }
  return { ...base, saved: false, path: null, base64: Buffer.from(file.data).toString('base64') };
}
