/** Saved views on a real database: save, overwrite, rename, delete, with sentences for mistakes. */
import { describe, expect, it } from 'vitest';
import { savedViews } from '../../src/domain/views/saved-views.ts';
import { tempDb } from '../support/temp.ts';

const NOW = new Date('2026-03-10T09:00:00Z');

describe('saved views', () => {
  it('saves, refuses a taken name unless told to replace it, overwrites, renames and deletes per screen', () => {
    const views = savedViews(tempDb().db);
    views.save('accounts', 'My red', '?band=red&owner=me', NOW);
    views.save('renewals', 'My red', 'within=90', NOW);
    expect(views.save('accounts', 'Big ones', 'sort=arr&dir=desc', NOW).map((v) => v.name)).toEqual([
      'Big ones',
      'My red',
    ]);
    expect(views.list('accounts').find((v) => v.name === 'My red')?.query).toBe('band=red&owner=me');
    expect(() => views.save('accounts', 'My red', 'band=yellow', NOW)).toThrow(
      'A view called "My red" already exists; replace it or choose another name.',
    );
    expect(views.list('accounts').find((v) => v.name === 'My red')?.query).toBe('band=red&owner=me');
    views.save('accounts', 'My red', 'band=red', NOW, true);
    expect(views.list('accounts').find((v) => v.name === 'My red')?.query).toBe('band=red');
    expect(views.rename('accounts', 'My red', 'Red, mine', NOW).map((v) => v.name)).toEqual(['Big ones', 'Red, mine']);
    expect(() => views.rename('accounts', 'Big ones', 'Red, mine', NOW)).toThrow(
      'A view called "Red, mine" already exists; choose another name.',
    );
    expect(views.remove('accounts', 'Big ones').map((v) => v.name)).toEqual(['Red, mine']);
    expect(() => views.remove('accounts', 'Big ones')).toThrow('There is no saved view called "Big ones".');
    expect(views.list('renewals').map((v) => v.query)).toEqual(['within=90']);
  });
});
