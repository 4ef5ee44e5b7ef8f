/**
 * Today's view in the URL: owner, segment, band, trigger, sort and the keyboard cursor (`at`), so
 * opening an account and coming back (or a saved link) returns to the same list at the same row.
 * Each change replaces the current history entry, so Back still leaves Today in one step.
 */
import type { OnChangeFn, SortingState } from '@tanstack/react-table';
import { BANDS, type Band } from '../../../shared/dto/risk.ts';
import { navigate } from '../../router/location.ts';

export interface TodayFilters {
  segment: string;
  band: '' | Band;
  trigger: string;
}

export function useTodayView(query: URLSearchParams) {
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(query);
    for (const [key, value] of Object.entries(changes))
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    navigate(`/today?${next.toString()}`, { replace: true });
  };
  const band = query.get('band');
  const filters: TodayFilters = {
    segment: query.get('segment') ?? '',
    band: BANDS.find((b) => b === band) ?? '',
    trigger: query.get('trigger') ?? '',
  };
  const sorting: SortingState = [{ id: query.get('sort') ?? 'rank', desc: query.get('dir') === 'desc' }];
  const setSorting: OnChangeFn<SortingState> = (updater) => {
    const first = (typeof updater === 'function' ? updater(sorting) : updater)[0];
    set({ sort: first?.id ?? null, dir: first?.desc ? 'desc' : null });
  };
  return {
    ownerChoice: query.get('owner'),
    setOwnerChoice: (owner: string) => set({ owner }),
    filters,
    setFilters: (update: (current: TodayFilters) => TodayFilters) => {
      const next = update(filters);
      set({ segment: next.segment, band: next.band, trigger: next.trigger, at: null });
    },
    sorting,
    setSorting,
    activeId: query.get('at'),
    setActiveId: (accountId: string | null) => set({ at: accountId }),
  };
}
