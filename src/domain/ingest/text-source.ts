/**
 * Reads a file as text in fixed-size chunks, so memory stays flat however large the export is.
 * Reads are synchronous: an import runs in a worker thread (or the CLI) inside one SQLite
 * transaction, and better-sqlite3 transactions cannot span an await.
 *
 * Encoding: a byte-order mark decides (UTF-8, UTF-16 LE/BE); otherwise the file must be UTF-8.
 * Windows exports are often Windows-1252: when a file turns out not to be UTF-8, the caller is told
 * (NotUtf8Error) and starts the file again as Windows-1252.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const CHUNK_BYTES = 1 << 20;

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export class NotUtf8Error extends Error {
  constructor() {
    super('The file is not valid UTF-8.');
    this.name = 'NotUtf8Error';
  }
}

export interface TextReader {
  /** The next chunk of text, or null at the end. The BOM is never part of the text. */
  next(): string | null;
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly encoding: TextEncoding;
  close(): void;
}

function sniffEncoding(head: Buffer): TextEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** `onBytes` sees every byte read, in order, then null at the end of the file (for a digest on the way). */
export function openTextFile(
  path: string,
  forced?: TextEncoding,
  onBytes?: (bytes: Uint8Array | null) => void,
): TextReader {
  const fd = openSync(path, 'r');
  const totalBytes = fstatSync(fd).size;
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let bytesRead = 0;
  let first = true;
  let finished = false;
  let encoding: TextEncoding = forced ?? 'utf-8';
  let decoder: TextDecoder | null = null;

  const decode = (bytes: Uint8Array | undefined, stream: boolean): string => {
    try {
      return decoder!.decode(bytes, { stream });
    } catch (error) {
      if (encoding === 'utf-8' && error instanceof TypeError) throw new NotUtf8Error();
      throw error;
    }
  };

  return {
    next() {
      if (finished) return null;
      const n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (first) {
        first = false;
        if (!forced) encoding = sniffEncoding(buffer.subarray(0, n));
        // fatal: a wrong guess must fail loudly, not turn "Müller" into "M�ller" in the database.
        decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
      }
      onBytes?.(n === 0 ? null : buffer.subarray(0, n));
      if (n === 0) {
        finished = true;
        const tail = decode(undefined, false);
        return tail === '' ? null : tail;
      }
      bytesRead += n;
      return decode(buffer.subarray(0, n), true);
    },
    get bytesRead() {
      return bytesRead;
    },
    totalBytes,
    get encoding() {
      return encoding;
    },
    close: () => closeSync(fd),
  };
}

/** A reader over text already in memory (tests, and the feed). */
export function textReaderFromString(text: string, chunkChars = CHUNK_BYTES): TextReader {
  let offset = 0;
  return {
    next() {
      if (offset >= text.length) return null;
      const chunk = text.slice(offset, offset + chunkChars);
      offset += chunkChars;
      return chunk;
    },
    get bytesRead() {
      return Math.min(offset, text.length);
    },
    totalBytes: text.length,
    encoding: 'utf-8',
    close() {},
  };
}
