// batchedWrite (src/domain/db/batched.ts): many rows a statement, the rest one by one, in order.
import { describe, expect, it } from 'vitest';
import { batchedWrite, valuesOf } from '../../src/domain/db/batched.ts';
import { tempDb } from '../support/temp.ts';

interface Row {
  k: string;
  v: number | null;
}

describe('batchedWrite', () => {
  it('writes every row in order, counting what it wrote, as a statement per row would', () => {
    const { db } = tempDb();
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, v REAL)');
    const write = batchedWrite<Row>(
      db,
      ['k', 'v'],
      7,
      (n) => `INSERT INTO t (k, v) ${valuesOf(['k', 'v'], n)} ON CONFLICT (k) DO NOTHING`,
    );
    const rows: Row[] = Array.from({ length: 30 }, (_, i) => ({ k: `r${i}`, v: i % 4 === 0 ? null : i / 3 }));
    expect(write(rows.slice(0, 20))).toBe(20);
    // Ten new rows after ten already there (the conflicts write nothing), in a batch and a remainder.
    expect(write(rows.slice(10))).toBe(10);
    expect(write([])).toBe(0);
    const stored = db.prepare<[], Row & { id: number }>('SELECT id, k, v FROM t ORDER BY id').all();
    expect(stored.map(({ k, v }) => ({ k, v }))).toEqual(rows);
    expect(stored.map((r) => r.id)).toEqual(rows.map((_, i) => i + 1));
  });
});
