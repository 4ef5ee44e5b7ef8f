// The CSV worker holds an account's proven metrics rows by series and sends them as series batches
// (src/domain/ingest/series-hold.ts): the rows must come out exactly as a stable sort by the table's
// key would order them (so of two rows with one key the later still wins), `limit` rows a batch,
// with each batch's accounts and first day.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_CHARS, seriesTouchedJson, type MetricSeriesBatch } from '../../src/domain/ingest/metric-series.ts';
import { HeldSeries, SeriesBatchBuilder } from '../../src/domain/ingest/series-hold.ts';

type Row = [account: string, metric: string, contactId: string, date: string, value: number];

/** A batch back as its rows. */
function rowsOf(batch: MetricSeriesBatch): Row[] {
  const { dates } = batch;
  const rows: Row[] = [];
  let at = 0;
  batch.lengths.forEach((length, r) => {
    for (let i = 0; i < length; i++, at++)
      rows.push([
        batch.keys[3 * r]!,
        batch.keys[3 * r + 1]!,
        batch.keys[3 * r + 2]!,
        dates.slice(at * DAY_CHARS, (at + 1) * DAY_CHARS),
        batch.values[at]!,
      ]);
  });
  return rows;
}

const byKey = (a: Row, b: Row) => {
  for (let i = 1; i <= 3; i++) if (a[i] !== b[i]) return (a[i] as string) < (b[i] as string) ? -1 : 1;
  return 0;
};

const row = fc.tuple(
  fc.constantFrom('acc_1', 'acc_2', 'acc_3'),
  fc.constantFrom('logins', 'active_users', 'api_errors'),
  fc.constantFrom('', 'con_1', 'con_2'),
  fc.integer({ min: 1, max: 9 }).map((d) => `2026-05-0${d}`),
  fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(-0)),
);

describe('holding metrics rows by series', () => {
  it('sends each account’s rows in key order, stably, limit rows a batch', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (input, limit) => {
        const batches: ReturnType<SeriesBatchBuilder['take']>[] = [];
        const builder = new SeriesBatchBuilder(limit, () => batches.push(builder.take()));
        const held = new HeldSeries();
        const expected: Row[] = [];
        let group: Row[] = [];
        const release = () => {
          held.release(builder);
          expected.push(...group.sort(byKey));
          group = [];
        };
        for (const [account, metric, contactId, date, value] of input as Row[]) {
          if (account !== held.account) {
            release();
            held.account = account;
          }
          held.add(metric, contactId, date, value);
          group.push([account, metric, contactId, date, value === 0 ? 0 : value]);
        }
        release();
        batches.push(builder.take());
        const sent = batches.filter((b) => b !== null);
        expect(sent.flatMap((b) => rowsOf(b.batch))).toEqual(expected);
        for (const { batch, accounts, firstDay } of sent) {
          const rows = rowsOf(batch);
          expect(rows.length).toBeLessThanOrEqual(limit);
          expect(accounts).toEqual(rows.map((r) => r[0]).filter((a, i, all) => i === 0 || all[i - 1] !== a));
          expect(firstDay).toBe(rows.map((r) => r[3]).sort()[0]);
          // The series cache's hook judges each run of a series by its earliest day.
          let at = 0;
          const runs = Array.from(batch.lengths, (length) => rows.slice(at, (at += length)));
          expect(JSON.parse(seriesTouchedJson(batch))).toEqual(
            runs.map((run) => [...run[0]!.slice(0, 3), run.map((r) => r[3]).sort()[0]]),
          );
        }
      }),
    );
  });

  it('refuses a row whose date is not a bare day', () => {
    expect(() => new HeldSeries().add('logins', '', '2026-05-01T00:00', 1)).toThrow(/date/);
  });
});
