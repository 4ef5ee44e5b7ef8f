/**
 * "This exact file was imported before and nothing has changed since": the re-import fast path
 * (docs/performance.md, "re-import unchanged"). A file's fingerprint is its name, the SHA-256 of
 * its bytes and the import options; the report it produced is kept with it in import_fingerprints
 * (migration 7), whose triggers forget every fingerprint as soon as the book changes in a way that
 * could make a re-import come out differently. A remembered file is therefore answered from the
 * stored report — every valid row unchanged, the same rows rejected — without being parsed.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import type { FileImportReport, RowError } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';

const CHUNK = 1 << 20;

/** SHA-256 of the file's bytes, read 1 MiB at a time. */
export function fileDigest(path: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      if (read === 0) break;
      hash.update(read === CHUNK ? buffer : buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * The same digest, taken from the bytes the import reads anyway (text-source.ts `onBytes`), so a
 * file with no fingerprint to compare against is not read twice. `value()` is null unless the
 * file was read to its end.
 */
export function streamedDigest(): { update(bytes: Uint8Array | null): void; value(): string | null } {
  const hash = createHash('sha256');
  let complete = false;
  return {
    update(bytes) {
      if (bytes === null) complete = true;
      else hash.update(bytes);
    },
    value: () => (complete ? hash.digest('hex') : null),
  };
}

/** What a repeat of a remembered import reports: the same file, nothing written. */
export interface RememberedImport {
  report: Pick<FileImportReport, 'kind' | 'format' | 'delimiter' | 'rows' | 'rejected' | 'ignoredColumns'> & {
    valid: number;
  };
  /** The file's row errors (at most the result's list limit), as the first import listed them. */
  errors: RowError[];
}

export const unchangedFilesRepo = perConnection((db: Db) => {
  const find = db.prepare<[string, string, string], { report_json: string; errors_json: string }>(
    'SELECT report_json, errors_json FROM import_fingerprints WHERE name = ? AND digest = ? AND options = ?',
  );
  const save = db.prepare<[string, string, string, string, string, string]>(
    `INSERT INTO import_fingerprints (name, digest, options, report_json, errors_json, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (name, digest, options) DO UPDATE SET report_json = excluded.report_json, errors_json = excluded.errors_json, created_at = excluded.created_at`,
  );
  const forgetFile = db.prepare<[string]>('DELETE FROM import_fingerprints WHERE name = ?');
  const forgetAll = db.prepare('DELETE FROM import_fingerprints');
  const known = db
    .prepare<[string, string], number>('SELECT 1 FROM import_fingerprints WHERE name = ? AND options = ? LIMIT 1')
    .pluck();
  return {
    /** Whether any fingerprint could match this file: only then is it worth hashing before reading. */
    has(name: string, options: string): boolean {
      return known.get(name, options) !== undefined;
    },
    find(name: string, digest: string, options: string): RememberedImport | null {
      const row = find.get(name, digest, options);
      return row
        ? {
            report: JSON.parse(row.report_json) as RememberedImport['report'],
            errors: JSON.parse(row.errors_json) as RowError[],
          }
        : null;
    },
    /** Forgets every file: what migration 7's triggers do when the book changes. */
    forgetAll(): void {
      forgetAll.run();
    },
    /** Call inside the file's import transaction, after its last write. */
    remember(name: string, digest: string, options: string, remembered: RememberedImport, at: string): void {
      forgetFile.run(name);
      save.run(name, digest, options, JSON.stringify(remembered.report), JSON.stringify(remembered.errors), at);
    },
  };
});
