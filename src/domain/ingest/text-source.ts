/**
 * Reads a file as text in fixed-size chunks, so memory stays flat however large the export is.
 * Reads are synchronous: an import runs in a worker thread (or the CLI) inside one SQLite
 * transaction, and better-sqlite3 transactions cannot span an await.
 *
 * Encoding: a byte-order mark decides (UTF-8, UTF-16 LE/BE); without one, UTF-16 is recognised by
 * its NUL bytes (sniffEncoding), a file with other NUL bytes is refused as binary, and the rest must
 * be UTF-8.
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

/** A file that is not text at all (an image, a spreadsheet's .xlsx, a zip): refused without showing its bytes. */
export class BinaryFileError extends Error {
  readonly code = 'FORESIGHT_BINARY';
  constructor() {
    super(
      'is not a text file (it contains NUL bytes, like an image, a zip or an .xlsx workbook); save the data as CSV, JSON or NDJSON and import that',
    );
    this.name = 'BinaryFileError';
  }
}

const SNIFF_BYTES = 4096;

/**
 * The encoding from the first bytes: a byte-order mark decides; without one, text whose every
 * other byte is NUL is UTF-16 (little-endian when the NULs come second), and any other NUL byte
 * means the file is not text.
 */
export function sniffEncoding(head: Uint8Array): TextEncoding | 'binary' {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  const length = Math.min(head.length, SNIFF_BYTES) & ~1;
  let nulEven = 0;
  let nulOdd = 0;
  for (let i = 0; i < length; i += 2) {
    if (head[i] === 0) nulEven++;
    if (head[i + 1] === 0) nulOdd++;
  }
  const pairs = length / 2;
  if (pairs > 0 && nulOdd >= pairs * 0.3 && nulEven <= pairs * 0.02) return 'utf-16le';
  if (pairs > 0 && nulEven >= pairs * 0.3 && nulOdd <= pairs * 0.02) return 'utf-16be';
  if (nulEven + nulOdd > 0 || (length < head.length && head[length] === 0)) return 'binary';
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
        const sniffed = sniffEncoding(buffer.subarray(0, n));
        // A forced single-byte guess (Windows-1252 after UTF-8 failed) must not turn binary into text either.
        if (sniffed === 'binary' && !forced?.startsWith('utf-16')) throw new BinaryFileError();
        if (!forced && sniffed !== 'binary') encoding = sniffed;
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
