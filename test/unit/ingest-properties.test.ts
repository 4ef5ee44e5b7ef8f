/**
 * Issue 15, Deliver 8: property-based tests (fast-check) of the CSV, JSON and NDJSON readers and
 * the quarantine, through real imports into real SQLite files. For any generated file, every
 * data row ends either committed or quarantined (never both, never neither), and importing the
 * same bytes again changes nothing. Every row carries its own id (acc_N) so it can be found in the
 * accounts table or in the quarantine's raw text or record.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const NOW = () => new Date('2026-03-01T10:00:00Z');
const HEADER = 'account_id,name,arr,owner_email,renewal_date';
const RUNS = 30;

const plain = fc.string({ unit: fc.constantFrom('a', 'B', ' ', 'é', 'ü', '1', '.'), maxLength: 8 });
const anyText = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r', 'ß'), maxLength: 10 });

/** A name cell: plain, properly quoted (anything inside), or broken in the ways real exports break. */
const nameCell = fc.oneof(
  plain.map((text) => text.trim() || 'Name'),
  anyText.map((text) => `"${text.replaceAll('"', '""')}"`),
  fc.tuple(plain, plain).map(([inside, after]) => `"${inside}"${after.trim() || 'x'}`),
  plain.map((text) => `"${text}`),
);
const arrCell = fc.constantFrom('1000', '25.5', '-5', 'lots', '');
const emailCell = fc.constantFrom('a@example.com', 'not-an-email');
const dateCell = fc.constantFrom('2027-01-01', '2027-02-30');
const separator = fc.constantFrom('\n', '\r\n', '\r');

const csvFile = fc
  .tuple(
    fc.array(fc.tuple(nameCell, arrCell, emailCell, dateCell, separator), { minLength: 1, maxLength: 25 }),
    separator,
  )
  .map(([rows, headerEnd]) => ({
    ids: rows.map((_, i) => `acc_${i}`),
    text:
      HEADER +
      headerEnd +
      rows.map(([name, arr, email, date, end], i) => `acc_${i},${name},${arr},${email},${date}${end}`).join(''),
  }));

interface Outcome {
  committed: Set<string>;
  quarantined: Set<string>;
  state: string;
}

/** The id as a whole word, also right after a line break escaped in JSON ("\\nacc_1"). */
const mentions = (text: string, id: string) => new RegExp(`(^|[^0-9a-z_]|\\\\[nr])${id}(?![0-9])`).test(text);

function outcome(db: Db, ids: readonly string[]): Outcome {
  const accounts = db.prepare('SELECT account_id, name FROM accounts').all() as { account_id: string; name: string }[];
  // A quote never closed on its own line that a later quote closes before a delimiter is a valid
  // multi-line field under RFC 4180: the lines it spans are committed inside that row's value.
  const committed = new Set(ids.filter((id) => accounts.some((a) => a.account_id === id || mentions(a.name, id))));
  const entries = db.prepare('SELECT raw_text, record_json FROM quarantine').all() as {
    raw_text: string | null;
    record_json: string | null;
  }[];
  const quarantined = new Set(
    ids.filter((id) =>
      entries.some(
        (e) =>
          (e.raw_text !== null && mentions(e.raw_text, id)) || (e.record_json !== null && mentions(e.record_json, id)),
      ),
    ),
  );
  const state = [
    JSON.stringify(db.prepare('SELECT * FROM accounts ORDER BY account_id').all()),
    JSON.stringify(db.prepare('SELECT kind, raw_hash FROM quarantine ORDER BY kind, raw_hash').all()),
  ].join('\n');
  return { committed, quarantined, state };
}

/** Imports `text` twice (under two names, so the second is really read again) and checks the property. */
function checkFile(text: string, ids: readonly string[], extension: string): void {
  const { db } = tempDb();
  const path = join(tempDir(), `accounts.${extension}`);
  writeFileSync(path, text);
  importFiles(db, [{ path, name: `first.${extension}` }], { now: NOW, kind: 'accounts' });
  const first = outcome(db, ids);
  for (const id of ids) {
    const where = `${id} in ${JSON.stringify(text)}`;
    expect(first.committed.has(id) || first.quarantined.has(id), `${where}: neither committed nor quarantined`).toBe(
      true,
    );
    expect(first.committed.has(id) && first.quarantined.has(id), `${where}: both committed and quarantined`).toBe(
      false,
    );
  }
  const again = importFiles(db, [{ path, name: `second.${extension}` }], { now: NOW, kind: 'accounts' });
  expect(again.accepted.accounts, `re-import of ${JSON.stringify(text)} accepted rows`).toBe(0);
  expect(outcome(db, ids).state).toBe(first.state);
}

describe('properties of the readers and the quarantine', () => {
  it('CSV: every row is committed or quarantined, exactly one of them, and a re-import changes nothing', () => {
    fc.assert(
      fc.property(csvFile, ({ text, ids }) => checkFile(text, ids, 'csv')),
      { numRuns: RUNS },
    );
  });

  const item = (i: number) =>
    fc.oneof(
      fc
        .record({ name: plain, arr: fc.constantFrom(100, -1, 'many', 12.5) })
        .map(({ name, arr }) =>
          JSON.stringify({ account_id: `acc_${i}`, name: name.trim() || 'Name', arr, renewal_date: '2027-01-01' }),
        ),
      fc.constant(`{"account_id":"acc_${i}","name":"Broken",`),
      fc.constant(`{"account_id":"acc_${i}","name":${'['.repeat(70)}${']'.repeat(70)}}`),
      fc.constant(`{"account_id":"acc_${i}","name":"Bad \\q escape"}`),
    );
  const items = fc
    .integer({ min: 1, max: 20 })
    .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => item(i))));

  it('NDJSON: every line is committed or quarantined, exactly one of them, and a re-import changes nothing', () => {
    fc.assert(
      fc.property(items, fc.constantFrom('\n', '\r\n'), (lines, end) =>
        checkFile(
          lines.join(end) + end,
          lines.map((_, i) => `acc_${i}`),
          'ndjson',
        ),
      ),
      { numRuns: RUNS },
    );
  });

  it('JSON array: every element is committed or quarantined, exactly one of them, and a re-import changes nothing', () => {
    // A truncated object inside an array would swallow the array's structure, so arrays get only whole values.
    fc.assert(
      fc.property(items, (elements) => {
        const whole = elements.map((text, i) => (text.endsWith(',') ? `{"account_id":"acc_${i}","arr":"x"}` : text));
        checkFile(
          `[\n${whole.join(',\n')}\n]\n`,
          whole.map((_, i) => `acc_${i}`),
          'json',
        );
      }),
      { numRuns: RUNS },
    );
  });
});
