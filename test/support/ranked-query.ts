import type { RiskListQuery } from '../../src/domain/risk/list.ts';

/** The at-risk list's query without any filter, in rank order: the page the tests compare. */
export const rankedQuery = (asOf: string, limit: number): RiskListQuery => ({
  asOf,
  owner: null,
  segment: null,
  band: null,
  trigger: null,
  search: '',
  sort: 'rank',
  direction: 'asc',
  offset: 0,
  limit,
});
