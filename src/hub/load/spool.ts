/**
 * Rows of CSV written to a temporary file as a file is read, then COPY'd from it in batches.
 * Why a file and not COPY as the rows come: the app's readers are synchronous (they also serve
 * SQLite imports, whose transactions cannot span an await), so a read cannot pause for a COPY.
 * Spooling keeps the process's memory flat whatever the file's size (a data team's metrics file
 * can hold 90 M rows); the disk holds about the staged rows' size until the load ends. Batches keep
 * each COPY bounded too, which matters on PGlite, whose COPY reads one in-memory Blob.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HubQuery, HubStore } from '../store/store.ts';

/** Rows per COPY: large enough that each statement's overhead vanishes, small enough to hold. */
export const DEFAULT_BATCH_ROWS = 50_000;
const FLUSH_CHARS = 1 << 20;

export class Spool {
  rows = 0;
  private readonly fd: number;
  private readonly path: string;
  private buffer = '';
  private bytes = 0;
  /** Byte offsets where each batch starts, and the end. */
  private readonly bounds: number[] = [0];

  private readonly batchRows: number;

  constructor(dir: string, name: string, batchRows: number) {
    this.path = join(dir, name);
    this.fd = openSync(this.path, 'w');
    this.batchRows = batchRows;
  }

  /** One CSV row, ending with a newline. */
  write(row: string): void {
    this.buffer += row;
    this.rows++;
    if (this.rows % this.batchRows === 0) {
      this.flush();
      this.bounds.push(this.bytes);
    } else if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.buffer === '') return;
    const bytes = Buffer.from(this.buffer, 'utf8');
    writeSync(this.fd, bytes);
    this.bytes += bytes.length;
    this.buffer = '';
  }

  /** COPYs every row into `table (columns…)`, one batch per statement, inside `tx`; returns the rows copied. */
  async copyInto(store: HubStore, tx: HubQuery, table: string, columns: readonly string[]): Promise<number> {
    this.flush();
    if (this.bounds.at(-1) !== this.bytes) this.bounds.push(this.bytes);
    let copied = 0;
    for (let i = 1; i < this.bounds.length; i++)
      copied += await store.copyCsv(table, columns, this.range(columns, this.bounds[i - 1]!, this.bounds[i]!), tx);
    return copied;
  }

  private async *range(columns: readonly string[], start: number, end: number): AsyncGenerator<string> {
    yield columns.join(',') + '\n';
    // createReadStream's `end` is inclusive; the utf8 decoder joins characters split across chunks.
    for await (const chunk of createReadStream(this.path, {
      start,
      end: end - 1,
      encoding: 'utf8',
      highWaterMark: FLUSH_CHARS,
    }))
      yield chunk as string;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** A temporary folder for one load's spools, removed when `fn` ends however it ends. */
export async function withSpoolDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'foresight-hub-load-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
