/**
 * Reads account bundles from SQLite in bulk. A range of accounts costs four statements: accounts,
 * contacts, events (one seek per account and event type into events_account_type_time, bounded by
 * the window) and metrics (one primary-key seek per series, bounded by the window, each series
 * handed back as one packed JSON array with its first and last day), so only rows inside the window
 * are read and JavaScript sees one row per series instead of one per day. A series with a value on
 * every day from its first to its last is complete as packed, however much of the window it
 * covers; only series with holes inside (rare) are re-read by their primary-key range. better-sqlite3 cannot write while a statement iterates, so callers load a
 * chunk, evaluate it and write before loading the next.
 */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { Series, emptyBundle, type AccountBundle, type ContactFacts, type EventList } from './bundle.ts';
import { dayNumber, dayString, endOfDayInstant, startOfDayInstant } from './days.ts';
import type { SeriesFold } from './series-aggregates.ts';
import { CacheWrites, seriesCacheRepo, unpackSeries, type CachedRow, type SeriesCachePlan } from './series-cache.ts';
import { bundleStatements, ENGINE_METRICS, everySeries, LISTED, LIVE, RANGE } from './load-sql.ts';
import { forEachWalked, LATER, NO_VALUES, packWalk, seriesParams, type WalkedChunk } from './walked-series.ts';

export interface LoadWindow {
  /** First and last day (day numbers) of metrics to read. */
  metricsFrom: number;
  /** First day of events to read. */
  eventsFrom: number;
  /** Last day of anything (the evaluation day); later rows are never read. */
  to: number;
  /** Skip the metrics and events of accounts churned by `to` (when no calibration needs them). */
  liveOnly?: boolean;
  /**
   * With liveOnly, the day from which churned accounts are still read (default: the day after `to`): the history
   * backfill scores an account that churned inside the history window up to its churn.
   */
  churnedSince?: number;
}

const ENGINE_METRIC_SET = new Set(ENGINE_METRICS);
/** The series the engine scores: its account-level metrics and each contact's logins (as `metrics` reads them). */
const engineReads = (metric: string, contactId: string) =>
  contactId === '' ? ENGINE_METRIC_SET.has(metric) : metric === 'logins';

export interface BundleReader {
  /**
   * Accounts with from ≤ account_id ≤ to, in id order. With `aggregates`, every series of these
   * accounts (any metric, any contact) is read from the aggregator's first day too and folded into
   * it; the bundles hold what they hold without it. With `cache` as well, accounts the series
   * cache holds are read from it plus the rows after it, the others walked, and the series written
   * back for accounts walked or due for a rewrite (series-cache.ts): call it inside a write
   * transaction, so that no writer can come between the read and what is kept of it. With `walked`
   * as well, the walk of the uncached accounts' rows is not run: `walked` holds what it returns
   * (read beside the pass, series-prefetch.ts).
   */
  range(
    from: string,
    to: string,
    window: LoadWindow,
    aggregates?: SeriesFold,
    cache?: SeriesCachePlan,
    walked?: WalkedChunk,
  ): AccountBundle[];
  /**
   * Fills the series cache for the accounts in from…to that it does not hold, as `range` with
   * `cache` would keep them, reading nothing else: the walk of their series from the window's first
   * day, no accounts, contacts, events or bundles (the warm-up beside the fit, run-model.ts). Inside
   * a write transaction, as `range`. Returns the series walked.
   */
  warm(from: string, to: string, window: LoadWindow, cache: SeriesCachePlan): number;
  /** One account, or null when it does not exist. */
  one(accountId: string, window: LoadWindow): AccountBundle | null;
  /**
   * These accounts (ascending ids), those that exist. Performance (issue 16): ids that fill most of
   * their id range (an import that touched most of the book) are read as that range, four
   * statements for all of them; scattered ones one account at a time.
   */
  some(accountIds: readonly string[], window: LoadWindow): AccountBundle[];
  /**
   * A sample of accounts scattered over the book (the churn model's, model/samples.ts), read by
   * index seeks of their ids only: four statements, whatever the ids' spread. With `aggregates`
   * (a rescore of a few accounts: score-all.ts), every series of theirs is read through the series
   * cache (nothing is written there) and folded into it, so the churn model's features of these
   * accounts need no read of their own (issue 16).
   */
  listed(accountIds: readonly string[], window: LoadWindow, aggregates?: SeriesFold): AccountBundle[];
  /** The statements' SQL, for query-plan tests. */
  sql: {
    metricsRange: string;
    eventsRange: string;
    everySeries: string;
    cachedSeries: string;
    listedCachedSeries: string;
    listedSeriesBesideCache: string;
  };
}

export const bundleReader = perConnection((db: Db): BundleReader => {
  const byRange = bundleStatements(db, (t) => `${t}.account_id >= @lo AND ${t}.account_id <= @hi`);
  const byId = bundleStatements(db, (t) => `${t}.account_id = @lo`);
  const byList = bundleStatements(db, (t) => `${t}.account_id IN (SELECT value FROM json_each(@ids))`);
  const pointsOf = db
    .prepare<[string, string, string, string, string], [string, number]>(
      'SELECT date, value FROM metrics WHERE account_id = ? AND metric = ? AND contact_id = ? AND date >= ? AND date <= ? ORDER BY date',
    )
    .raw(true);

  // Every series of the accounts, walked or through the series cache: by id range, or by list.
  const seriesReads = (accounts: string) => ({
    all: everySeries(db, false, accounts),
    besideCache: everySeries(db, true, accounts),
    cached: db
      .prepare<Record<string, string | number>, CachedRow>(seriesCacheRepo(db).readSql(LIVE('a'), accounts))
      .raw(true),
  });
  const rangeSeries = seriesReads(RANGE);
  const listedSeries = seriesReads(LISTED);

  /**
   * With `aggregates`, every series (`every`) is read and folded; with `cache` too, or `fromCache`,
   * through the series cache, and with `cache` what was read is kept there.
   */
  function read(
    s: ReturnType<typeof bundleStatements>,
    params: Record<string, string>,
    window: LoadWindow,
    aggregates?: SeriesFold,
    cache?: SeriesCachePlan,
    every = rangeSeries,
    fromCache = cache !== undefined,
    walked?: WalkedChunk,
  ): AccountBundle[] {
    const bundles = s.accounts.all(params).map(emptyBundle);
    const byAccount = new Map(bundles.map((b) => [b.account.account_id, b]));

    for (const c of s.contacts.all(params)) {
      byAccount.get(c.account_id)?.contacts.push({
        contact_id: c.contact_id,
        name: c.name,
        is_champion: c.is_champion === 1,
        active: c.active === 1,
      } satisfies ContactFacts);
    }

    const live = window.liveOnly ? 1 : 0;
    const churnedSince = dayString(window.churnedSince ?? window.to + 1);
    const eventParams = {
      ...params,
      liveOnly: live,
      churnedSince,
      metricsTo: dayString(window.to),
      eventsFrom: startOfDayInstant(window.eventsFrom),
      eventsTo: endOfDayInstant(window.to),
    };
    let current: AccountBundle | undefined;
    let currentId = '';
    let unsorted = false;
    // Performance (issue 13): all of the chunk's rows in one call, not one call per row (a chunk
    // holds tens of thousands of events; the whole book's cost about a third less CPU this way).
    for (const [accountId, type, occurredAt, value, contactId] of s.events.all(eventParams)) {
      if (accountId !== currentId) {
        currentId = accountId;
        current = byAccount.get(currentId);
      }
      if (!current) continue;
      let events = current.events.get(type);
      if (!events) {
        events = { days: [], at: [], values: [], contacts: [] } satisfies EventList;
        current.events.set(type, events);
      }
      const previous = events.at.length > 0 ? (events.at[events.at.length - 1] as string) : '';
      if (occurredAt < previous) unsorted = true;
      events.days.push(dayNumber(occurredAt));
      events.at.push(occurredAt);
      events.values.push(value);
      events.contacts.push(contactId);
    }
    // The index walk yields each type's events in time order; should a plan ever not, sort.
    if (unsorted)
      for (const bundle of bundles) for (const [type, list] of bundle.events) bundle.events.set(type, sortEvents(list));

    const readFrom = aggregates ? Math.min(window.metricsFrom, aggregates.from) : window.metricsFrom;
    const metricParams = { ...params, ...seriesParams(window, aggregates) };
    currentId = '';
    current = undefined;
    const gapped: {
      bundle: AccountBundle;
      key: [string, string, string];
      start?: number;
      values?: number[] | Float64Array;
    }[] = [];
    const writes = aggregates && cache ? new CacheWrites(cache.keepFrom, readFrom) : null;
    const throughCache = aggregates !== undefined && fromCache;
    const take = (
      bundle: AccountBundle,
      key: [string, string, string],
      first: number,
      values: number[] | Float64Array,
    ) => {
      writes?.add(key[0], { metric: key[1], contactId: key[2], start: first, values });
      aggregates?.add(key[0], key[1], first, values);
      if (engineReads(key[1], key[2])) addSeries(bundle, key[1], key[2], window.metricsFrom, first, values);
    };
    // Accounts the series cache serves: their cached series plus the rows after them (series-cache.ts).
    if (throughCache)
      for (const row of every.cached.iterate(metricParams)) {
        const bundle = byAccount.get(row[0]);
        if (!bundle) continue;
        writes?.cached(row[0], row[1]);
        for (const { metric, contactId, start, values } of unpackSeries(row, readFrom, window.to)) {
          const key: [string, string, string] = [row[0], metric, contactId];
          // A series with holes comes after the others, as the walk's re-read ones do (the same order of sums).
          if (values.includes(Number.NaN)) gapped.push({ bundle, key, start, values });
          else take(bundle, key, start, values);
        }
      }
    const series = throughCache ? every.besideCache : aggregates ? every.all : s.metrics;
    // The walk's rows, parsed (walked-series.ts), or those read beside the pass (series-prefetch.ts).
    const rows = throughCache && walked ? walked : packWalk(0, series.iterate(metricParams));
    forEachWalked(rows, (accountId, metric, contactId, flags, first, values) => {
      writes?.walked(accountId, (flags & LATER) !== 0);
      if (flags & NO_VALUES) return;
      if (accountId !== currentId) {
        currentId = accountId;
        current = byAccount.get(accountId);
      }
      if (!current) return;
      // Performance (issue 16): a series that ends before the window does (scoring today on data
      // through yesterday: every series) or starts after it is still complete; only one with a
      // hole between its first and last day is re-read with its dates below.
      if (values === null) gapped.push({ bundle: current, key: [accountId, metric, contactId] });
      else take(current, [accountId, metric, contactId], first, values);
    });
    // Reads are allowed once the series statement has finished iterating.
    for (const { bundle, key, ...known } of gapped) {
      let start = known.start;
      let values = known.values;
      if (start === undefined || values === undefined) {
        const series = reread(key, metricParams.metricsFrom, metricParams.metricsTo);
        if (!series) continue;
        ({ start, values } = series);
      }
      writes?.add(key[0], { metric: key[1], contactId: key[2], start, values });
      aggregates?.addLate(key[0], key[1], start, values);
      if (engineReads(key[1], key[2])) addSeries(bundle, key[1], key[2], window.metricsFrom, start, values);
    }
    writes?.write(db);
    return bundles;
  }

  /** A series with holes, re-read by its dates over the window (null: no value there). */
  function reread(key: readonly [string, string, string], from: string, to: string) {
    const points = pointsOf.all(key[0], key[1], key[2], from, to);
    if (points.length === 0) return null;
    const start = dayNumber(points[0]![0]);
    const values = new Array<number>(dayNumber(points[points.length - 1]![0]) - start + 1).fill(Number.NaN);
    for (const [date, value] of points) values[dayNumber(date) - start] = value;
    return { start, values };
  }

  /**
   * Performance (issue 13): the warm-up only fills the cache, so it runs the walk and keeps what it
   * returns, as `read` does with `cache`, without the statements and bundles the pass reads again
   * (about a fifth of the warm-up's CPU; a cheaper warm-up warms more accounts before the fit's
   * weights are in). Nothing is folded: the pass folds every account's series once, from the cache.
   */
  function warm(params: Record<string, string>, window: LoadWindow, cache: SeriesCachePlan): number {
    const metricParams = { ...params, ...seriesParams(window) };
    const writes = new CacheWrites(cache.keepFrom, window.metricsFrom);
    const gapped: [string, string, string][] = [];
    const rows = packWalk(0, rangeSeries.besideCache.iterate(metricParams));
    forEachWalked(rows, (accountId, metric, contactId, flags, first, values) => {
      writes.walked(accountId, (flags & LATER) !== 0);
      if (flags & NO_VALUES) return;
      if (values === null) gapped.push([accountId, metric, contactId]);
      else writes.add(accountId, { metric, contactId, start: first, values });
    });
    // Reads are allowed once the walk has finished iterating.
    for (const key of gapped) {
      const series = reread(key, metricParams.metricsFrom, metricParams.metricsTo);
      if (series) writes.add(key[0], { metric: key[1], contactId: key[2], ...series });
    }
    writes.write(db);
    return rows.meta.length / 3;
  }

  const inRange = db
    .prepare<[string, string], number>('SELECT count(*) FROM accounts WHERE account_id >= ? AND account_id <= ?')
    .pluck();
  const one = (accountId: string, window: LoadWindow) => read(byId, { lo: accountId }, window)[0] ?? null;

  return {
    range: (from, to, window, aggregates, cache, walked) =>
      read(byRange, { lo: from, hi: to }, window, aggregates, cache, rangeSeries, cache !== undefined, walked),
    warm: (from, to, window, cache) => warm({ lo: from, hi: to }, window, cache),
    one,
    some(accountIds, window) {
      const lo = accountIds[0];
      const hi = accountIds[accountIds.length - 1];
      if (lo !== undefined && hi !== undefined && accountIds.length > 1) {
        if ((inRange.get(lo, hi) as number) <= 2 * accountIds.length) {
          const wanted = new Set(accountIds);
          return read(byRange, { lo, hi }, window).filter((b) => wanted.has(b.account.account_id));
        }
      }
      return accountIds.map((id) => one(id, window)).filter((b): b is AccountBundle => b !== null);
    },
    listed: (accountIds, window, aggregates) =>
      read(byList, { ids: JSON.stringify(accountIds) }, window, aggregates, undefined, listedSeries, true),
    sql: {
      metricsRange: byRange.metrics.source,
      eventsRange: byRange.events.source,
      everySeries: rangeSeries.all.source,
      cachedSeries: rangeSeries.cached.source,
      listedCachedSeries: listedSeries.cached.source,
      listedSeriesBesideCache: listedSeries.besideCache.source,
    },
  };
});

function sortEvents(list: EventList): EventList {
  const order = list.at
    .map((_, i) => i)
    .sort((x, y) =>
      (list.at[x] as string) < (list.at[y] as string)
        ? -1
        : (list.at[x] as string) > (list.at[y] as string)
          ? 1
          : x - y,
    );
  return {
    days: order.map((i) => list.days[i] as number),
    at: order.map((i) => list.at[i] as string),
    values: order.map((i) => list.values[i] ?? null),
    contacts: order.map((i) => list.contacts[i] ?? null),
  };
}

/** A series read from `start`, kept from the engine's first day `from` on (a read for aggregates may start earlier). */
function addSeries(
  bundle: AccountBundle,
  metric: string,
  contactId: string,
  from: number,
  start: number,
  values: number[] | Float64Array,
): void {
  let first = start;
  let kept = values;
  if (start < from) {
    // Leading holes are not part of a series: it starts at its first value on or after `from`.
    let i = from - start;
    while (i < values.length && values[i] !== values[i]) i++;
    if (i >= values.length) return;
    first = start + i;
    kept = values.slice(i);
  }
  const series = new Series(first, kept);
  if (contactId === '') bundle.metrics.set(metric, series);
  else bundle.contactLogins.set(contactId, series);
}
