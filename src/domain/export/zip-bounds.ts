/**
 * An .xlsx is a zip archive, and exceljs unpacks all of it into memory: a 3 MB workbook padded with
 * spaces unpacked to 3 GB and froze the app for half a minute. Before exceljs sees a workbook, its
 * central directory is read and every entry is unpacked here with a ceiling (`maxOutputLength`, so
 * an entry that lies about its size is stopped at the size it declared), and nothing is kept.
 */
import { inflateRawSync } from 'node:zlib';
import { UserFacingError } from '../errors.ts';

export const MAX_WORKBOOK_UNPACKED_BYTES = 100 * 1024 * 1024;
const MAX_ENTRIES = 10_000;
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const tooLarge = (name: string) =>
  new UserFacingError(
    'IMPORT_TOO_LARGE',
    `${name} unpacks to more than ${MAX_WORKBOOK_UNPACKED_BYTES / 1024 / 1024} MB, far more than an outcomes export holds, so it was not read.`,
  );
const unreadable = (name: string) =>
  new UserFacingError('IMPORT_UNREADABLE', `${name} could not be read as an Excel workbook.`);

function endOfDirectory(view: DataView): number {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 65_535); at--)
    if (view.getUint32(at, true) === EOCD) return at;
  return -1;
}

/** Throws a one-sentence UserFacingError unless the archive unpacks within the bound. */
export function checkWorkbookSize(name: string, data: Uint8Array): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = endOfDirectory(view);
  if (end < 0) throw unreadable(name);
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  // 0xFFFF / 0xFFFFFFFF mark a ZIP64 archive: only workbooks far past the bound need one.
  if (entries === 0xffff || at === 0xffffffff || entries > MAX_ENTRIES) throw tooLarge(name);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > data.byteLength || view.getUint32(at, true) !== CENTRAL) throw unreadable(name);
    const method = view.getUint16(at + 10, true);
    const packed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const local = view.getUint32(at + 42, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    total += size;
    if (total > MAX_WORKBOOK_UNPACKED_BYTES) throw tooLarge(name);
    if (local + 30 > data.byteLength || view.getUint32(local, true) !== LOCAL) throw unreadable(name);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const body = data.subarray(start, start + packed);
    if (method === 0) {
      if (packed !== size) throw unreadable(name);
    } else if (method === 8) {
      try {
        inflateRawSync(body, { maxOutputLength: Math.max(1, size) });
      } catch (error) {
        throw (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? tooLarge(name) : unreadable(name);
      }
    } else throw unreadable(name);
  }
}
