/**
 * QA-4 #7: an outcomes "workbook" that unpacks to gigabytes (a real export with its sheet padded
 * with spaces, or an entry that lies about its size) is refused with one sentence before exceljs
 * unpacks it; a real workbook still passes.
 */
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { importOutcomeFiles } from '../../src/domain/export/merge-import.ts';
import { checkWorkbookSize, MAX_WORKBOOK_UNPACKED_BYTES } from '../../src/domain/export/zip-bounds.ts';
import { tempDb } from '../support/temp.ts';

/** A one-entry zip archive (deflated), declaring `declared` as the entry's unpacked size. */
function zipOf(name: string, content: Buffer, declared = content.length): Uint8Array {
  const packed = deflateRawSync(content);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(0, 42);
  const centralAt = local.length + fileName.length + packed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return new Uint8Array(Buffer.concat([local, fileName, packed, central, fileName, end]));
}

const padding = Buffer.alloc(MAX_WORKBOOK_UNPACKED_BYTES + 1024, 0x20);

describe('workbook size bound', () => {
  it('refuses an archive that declares more than the bound, in one sentence, before reading it', async () => {
    const { db } = tempDb();
    const bomb = zipOf('xl/worksheets/sheet1.xml', padding);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(importOutcomeFiles(db, [{ name: 'bomb.xlsx', data: bomb }], new Date())).rejects.toMatchObject({
      code: 'IMPORT_TOO_LARGE',
      message: 'bomb.xlsx unpacks to more than 100 MB, far more than an outcomes export holds, so it was not read.',
    });
  });

  it('stops an entry that unpacks to more than it declared', () => {
    expect(() => checkWorkbookSize('liar.xlsx', zipOf('xl/worksheets/sheet1.xml', padding, 1000))).toThrow(
      expect.objectContaining({ code: 'IMPORT_TOO_LARGE' }),
    );
  });

  it('lets a real workbook through', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Interventions').addRow(['record_id', 'cohort']);
    const data = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(() => checkWorkbookSize('real.xlsx', data)).not.toThrow();
  });
});
