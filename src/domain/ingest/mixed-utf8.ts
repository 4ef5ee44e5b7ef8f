/**
 * A file that is not valid UTF-8 is re-read as Windows-1252 (an Excel export in the Windows code
 * page). But a UTF-8 file with one stray Windows-1252 byte (files concatenated from two exports, a
 * CRM writing one field in cp1252) would then have every correct accented name garbled ("Zoë" →
 * "ZoÃ«"), silently, and overwrite the good names already in the book. Such a file holds valid
 * multi-byte UTF-8 sequences, which Windows-1252 text practically never does: it is refused with
 * the line of the first bad byte instead.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { CHUNK_BYTES } from './text-source.ts';

/** Valid multi-byte UTF-8 sequences and the line of the first byte that is not UTF-8. */
function scan(path: string): { multibyte: number; badLine: number | null } {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let multibyte = 0;
  let badLine: number | null = null;
  let line = 1;
  let need = 0; // continuation bytes still expected
  try {
    for (let n = readSync(fd, buffer, 0, CHUNK_BYTES, null); n > 0; n = readSync(fd, buffer, 0, CHUNK_BYTES, null)) {
      for (let i = 0; i < n; i++) {
        const byte = buffer[i]!;
        if (need > 0) {
          if ((byte & 0xc0) === 0x80) {
            if (--need === 0) multibyte++;
            continue;
          }
          need = 0;
          badLine ??= line;
        }
        if (byte === 0x0a) line++;
        else if (byte < 0x80) continue;
        else if (byte >= 0xc2 && byte <= 0xdf) need = 1;
        else if (byte >= 0xe0 && byte <= 0xef) need = 2;
        else if (byte >= 0xf0 && byte <= 0xf4) need = 3;
        else badLine ??= line;
      }
    }
  } finally {
    closeSync(fd);
  }
  if (need > 0) badLine ??= line;
  return { multibyte, badLine };
}

/** The sentence refusing a mostly-UTF-8 file, or null when reading it as Windows-1252 is right. */
export function mixedUtf8Problem(path: string, name: string): string | null {
  const { multibyte, badLine } = scan(path);
  if (multibyte === 0) return null;
  return `${name} is UTF-8 except for line ${badLine ?? '?'}, which has a character saved in another encoding (such as Windows-1252); reading the whole file that way would garble every other accented name: save the file as UTF-8 (or fix that line) and import it again`;
}
