/**
 * The churn model's reads: SQL aggregates over the raw tables as of a day, one row per account
 * and metric (or event type), never a row per day. Prepared once per connection.
 */
import type { Db } from '../../db/open.ts';

/** Days looked back for metric windows (28/56/90) and for event recency. */
export const METRIC_REACH = 90;
export const EVENT_REACH = 180;

export interface MetricAggregate {
  account_id: string;
  metric: string;
  s28: number;
  s90: number;
  d28: number;
  d56: number;
  d90: number;
  first_day: string;
  last_positive: string | null;
}

export interface EventAggregate {
  account_id: string;
  type: string;
  n28: number;
  n90: number;
  n180: number;
  value90: number | null;
  last_at: string;
}

export interface AccountRow {
  account_id: string;
  created_at: string | null;
  renewal_date: string | null;
  arr: number;
  status: 'active' | 'churned';
  churned_at: string | null;
  churn_event_at: string | null;
  /** The days of its `renewed` events, oldest first, comma-separated (null: none): renewalDateOn. */
  renewed_days: string | null;
}

/** The bounds one read needs: ISO days and instants, all inclusive of `asOf`. */
export interface FeatureBounds {
  from90: string;
  from56: string;
  from28: string;
  asOf: string;
  eventFrom180: string;
  eventFrom90: string;
  eventFrom28: string;
  eventTo: string;
}

const METRICS_SQL = `SELECT account_id, metric,
    total(CASE WHEN date >= @from28 THEN value END) AS s28,
    total(value) AS s90,
    sum(date >= @from28 AND value > 0) AS d28,
    sum(date >= @from56 AND value > 0) AS d56,
    sum(value > 0) AS d90,
    min(date) AS first_day,
    max(CASE WHEN value > 0 THEN date END) AS last_positive
  FROM metrics WHERE date >= @from90 AND date <= @asOf`;

const EVENTS_SQL = `SELECT account_id, type,
    sum(occurred_at >= @eventFrom28) AS n28,
    sum(occurred_at >= @eventFrom90) AS n90,
    count(*) AS n180,
    avg(CASE WHEN occurred_at >= @eventFrom90 THEN value END) AS value90,
    max(occurred_at) AS last_at
  FROM events WHERE type <> 'churned' AND occurred_at >= @eventFrom180 AND occurred_at < @eventTo`;

const ACCOUNTS_SQL = `SELECT a.account_id, a.created_at, a.renewal_date, a.arr, a.status, a.churned_at,
    (SELECT min(e.occurred_at) FROM events e WHERE e.account_id = a.account_id AND e.type = 'churned') AS churn_event_at,
    (SELECT group_concat(day) FROM (SELECT substr(e.occurred_at, 1, 10) AS day FROM events e
       WHERE e.account_id = a.account_id AND e.type = 'renewed' ORDER BY e.occurred_at)) AS renewed_days
  FROM accounts a`;

/**
 * Metric aggregates of a day handed over by the whole-book scoring run, which folded them from the
 * series it read anyway (risk/series-aggregates.ts): metricsAll answers that day from them instead
 * of scanning the metrics table again. Set only for the span of withMetricAggregates.
 */
const handedOver = new WeakMap<Db, { asOf: string; rows: Iterable<MetricAggregate>; events?: FoldedEvents }>();

/**
 * Event aggregates of a day folded by the whole-book scoring run from the events it read anyway
 * (risk/event-aggregates.ts): every type in `types` (the engine's), for every account read.
 */
export interface FoldedEvents {
  readonly types: readonly string[];
  /** The folded rows merged with the other types' rows, both in (account_id, type) order. */
  mergedWith(others: Iterable<EventAggregate>): Iterable<EventAggregate>;
}

/**
 * Runs `use` with metricsAll (and metricsSome) answering `asOf` from `rows` (the same numbers
 * METRICS_SQL gives): the scoring run's fold (the fit hands its past days' aggregates to
 * buildFeatures as `{ given }` instead, samples.ts). With `events`, eventsAll answers the folded
 * types from them and reads only the other types from the table.
 */
export function withMetricAggregates<T>(
  db: Db,
  asOf: string,
  rows: Iterable<MetricAggregate>,
  use: () => T,
  events?: FoldedEvents,
): T {
  handedOver.set(db, { asOf, rows, events });
  try {
    return use();
  } finally {
    handedOver.delete(db);
  }
}

/**
 * A rescore of a few accounts (score-all.ts) and its one-account reads (the touched accounts'
 * features, touched-features.ts): metricsOne of a listed account answers from the metric
 * aggregates the run folded from the series it read, and eventsOne from one grouped read of all
 * listed accounts' events on first use, instead of two statements per account (issue 16). Never
 * the whole book's reads: only these accounts were folded. Set only for withAccountAggregates.
 */
interface HandedAccounts {
  asOf: string;
  ids: readonly string[];
  listed: ReadonlySet<string>;
  metrics: Map<string, MetricAggregate[]>;
  events?: Map<string, EventAggregate[]>;
}
const handedAccounts = new WeakMap<Db, HandedAccounts>();

function byAccount<R extends { account_id: string }>(rows: Iterable<R>): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const row of rows) {
    const list = out.get(row.account_id);
    if (list) list.push(row);
    else out.set(row.account_id, [row]);
  }
  return out;
}

/**
 * Runs `use` with metricsOne and eventsOne answering `asOf` for the `accountIds` read (the numbers
 * METRICS_SQL and EVENTS_SQL give) from `rows`, their folded metric aggregates (a listed account
 * without one had no metric row), and from one grouped read of their events.
 */
export function withAccountAggregates<T>(
  db: Db,
  asOf: string,
  accountIds: readonly string[],
  rows: MetricAggregate[],
  use: () => T,
): T {
  handedAccounts.set(db, { asOf, ids: accountIds, listed: new Set(accountIds), metrics: byAccount(rows) });
  try {
    return use();
  } finally {
    handedAccounts.delete(db);
  }
}

const asArray = <T>(rows: Iterable<T>): T[] => (Array.isArray(rows) ? (rows as T[]) : Array.from(rows));

/** An event row as the fit's walk reads it (past-events.ts): in (account, type, time) order. */
export type EventRowTuple = [accountId: string, type: string, occurredAt: string, value: number | null];

const EVENT_ROWS_SQL = `SELECT account_id, type, occurred_at, value FROM events
  WHERE type <> 'churned' AND occurred_at >= @from AND occurred_at < @to`;
const EVENT_ORDER = 'ORDER BY account_id, type, occurred_at';

function build(db: Db) {
  const metricsAll = db.prepare<FeatureBounds, MetricAggregate>(`${METRICS_SQL} GROUP BY account_id, metric`);
  const eventsAll = db.prepare<FeatureBounds, EventAggregate>(`${EVENTS_SQL} GROUP BY account_id, type`);
  // The types a scoring run did not fold (a grouped walk of the same index, reading only their rows).
  const eventsBesideFold = db.prepare<FeatureBounds & { folded: string }, EventAggregate>(
    `${EVENTS_SQL} AND type NOT IN (SELECT value FROM json_each(@folded)) GROUP BY account_id, type ORDER BY account_id, type`,
  );
  const metricsOne = db.prepare<FeatureBounds & { id: string }, MetricAggregate>(
    `${METRICS_SQL} AND account_id = @id GROUP BY account_id, metric`,
  );
  const eventsOne = db.prepare<FeatureBounds & { id: string }, EventAggregate>(
    `${EVENTS_SQL} AND account_id = @id GROUP BY account_id, type`,
  );
  const eventsSome = db.prepare<FeatureBounds & { ids: string }, EventAggregate>(
    `${EVENTS_SQL} AND account_id IN (SELECT value FROM json_each(@ids)) GROUP BY account_id, type`,
  );
  const handedFor = (bounds: FeatureBounds & { id: string }) => {
    const handed = handedAccounts.get(db);
    return handed && handed.asOf === bounds.asOf && handed.listed.has(bounds.id) ? handed : null;
  };
  const metricsSome = db.prepare<FeatureBounds & { ids: string }, MetricAggregate>(
    `${METRICS_SQL} AND account_id IN (SELECT value FROM json_each(@ids)) GROUP BY account_id, metric`,
  );
  const given = (asOf: string) => {
    const handed = handedOver.get(db);
    return handed && handed.asOf === asOf ? handed.rows : null;
  };
  return {
    metricsAll: {
      all: (bounds: FeatureBounds): MetricAggregate[] => {
        const handed = given(bounds.asOf);
        return handed ? asArray(handed) : metricsAll.all(bounds);
      },
      /** The same rows, handed-over ones built one by one as they are reached (the whole-book features). */
      each: (bounds: FeatureBounds): Iterable<MetricAggregate> => given(bounds.asOf) ?? metricsAll.iterate(bounds),
      source: metricsAll.source,
    },
    // A sample of accounts (samples.ts), given as a JSON array of ids: only their rows are read.
    metricsSome: {
      all: (bounds: FeatureBounds & { ids: string }): MetricAggregate[] => {
        const handed = given(bounds.asOf);
        return handed ? asArray(handed) : metricsSome.all(bounds);
      },
    },
    /** Every event but churn from @from to before @to (of the listed accounts), in key order: the fit's one walk. */
    eventRowsAll: db.prepare<{ from: string; to: string }, EventRowTuple>(`${EVENT_ROWS_SQL} ${EVENT_ORDER}`).raw(true),
    eventRowsSome: db
      .prepare<{ from: string; to: string; ids: string }, EventRowTuple>(
        `${EVENT_ROWS_SQL} AND account_id IN (SELECT value FROM json_each(@ids)) ${EVENT_ORDER}`,
      )
      .raw(true),
    metricsOne: {
      all: (bounds: FeatureBounds & { id: string }): MetricAggregate[] => {
        const handed = handedFor(bounds);
        return handed ? (handed.metrics.get(bounds.id) ?? []) : metricsOne.all(bounds);
      },
    },
    eventsAll: {
      /** Every account's rows in (account_id, type) order; the folded types from the scoring run's fold. */
      iterate: (bounds: FeatureBounds): Iterable<EventAggregate> => {
        const folded = handedOver.get(db);
        if (!folded?.events || folded.asOf !== bounds.asOf) return eventsAll.iterate(bounds);
        return folded.events.mergedWith(
          eventsBesideFold.iterate({ ...bounds, folded: JSON.stringify(folded.events.types) }),
        );
      },
      source: eventsAll.source,
    },
    eventsOne: {
      all: (bounds: FeatureBounds & { id: string }): EventAggregate[] => {
        const handed = handedFor(bounds);
        if (!handed) return eventsOne.all(bounds);
        const { id: _one, ...shared } = bounds;
        handed.events ??= byAccount(eventsSome.iterate({ ...shared, ids: JSON.stringify(handed.ids) }));
        return handed.events.get(bounds.id) ?? [];
      },
    },
    eventsSome,
    accountsSome: db.prepare<[string], AccountRow>(
      `${ACCOUNTS_SQL} WHERE a.account_id IN (SELECT value FROM json_each(?)) ORDER BY a.account_id`,
    ),
    accountsAll: db.prepare<[], AccountRow>(`${ACCOUNTS_SQL} ORDER BY a.account_id`),
    accountsOne: db.prepare<[string], AccountRow>(`${ACCOUNTS_SQL} WHERE a.account_id = ?`),
  };
}

const cache = new WeakMap<Db, ReturnType<typeof build>>();

export function featureStatements(db: Db): ReturnType<typeof build> {
  let statements = cache.get(db);
  if (!statements) {
    statements = build(db);
    cache.set(db, statements);
  }
  return statements;
}
