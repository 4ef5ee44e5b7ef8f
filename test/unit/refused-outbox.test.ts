import { describe, expect, it } from 'vitest';
import { recordRefusal, refusedRows } from '../../src/domain/feed/refused-outbox.ts';
import { removeSource, saveSource } from '../../src/domain/feed/sources.ts';
import { tempDb } from '../support/temp.ts';

describe('refused outbox rows', () => {
  it('go with their source: removing it forgets them, and a new source of that name starts clean', () => {
    const { db } = tempDb();
    const source = { name: 'team', url: 'https://hub.example.com', tokenRef: null };
    saveSource(db, source, new Date('2026-03-01T00:00:00Z'));
    recordRefusal(db, 'team', {
      id: 'int_1',
      cohort: 'treated',
      accountId: 'acc_74',
      reason: 'account acc_74 is not in your book',
      at: '2026-03-01T09:00:00.000Z',
    });
    expect(refusedRows(db, 'team')).toHaveLength(1);
    removeSource(db, 'team');
    expect(refusedRows(db, 'team')).toEqual([]);
    saveSource(db, source, new Date('2026-03-02T00:00:00Z'));
    expect(refusedRows(db, 'team')).toEqual([]);
    expect(() => removeSource(db, 'nope')).toThrow('There is no source called "nope".');
  });
});
