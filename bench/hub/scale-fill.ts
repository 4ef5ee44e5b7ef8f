/**
 * The scale point's hub (1,000,000 accounts × 90 days, 100 CSMs by default) written straight into
 * the hub's tables with SQL `generate_series`: loading 180 M metric rows through files would take
 * hours on the project's machine, and the figures measured on it (a CSM's first pull, the lead's
 * report) read the tables, not the way they were filled. The rows have the shape `hub load` gives
 * (the contract's bodies, owner_email, seq) and the layout 90 daily loads would give: metrics are
 * written day by day, each day's rows in account order, seq rising with them.
 *
 * Books: csm000 owns the first `book` accounts (the measured 5,000-account book), the other CSMs
 * share the rest; CSMs are in teams of ten, each with a lead (lead00 leads csm000…csm009).
 */
import type pg from 'pg';

export interface ScaleShape {
  accounts: number;
  days: number;
  csms: number;
  book: number;
  teamSize: number;
}

export const csmEmail = (i: number) => `csm${String(i).padStart(3, '0')}@bench.example`;
export const leadEmail = (team: number) => `lead${String(team).padStart(2, '0')}@bench.example`;

/** Account number → owner, as SQL on the integer column `a`. */
function ownerSql(shape: ScaleShape): string {
  const per = Math.ceil((shape.accounts - shape.book) / Math.max(1, shape.csms - 1));
  return `CASE WHEN a < ${shape.book} THEN 'csm000@bench.example'
    ELSE 'csm' || lpad((1 + (a - ${shape.book}) / ${per})::text, 3, '0') || '@bench.example' END`;
}

const END_DAY = '2026-03-01';
const PLAYS = ['low_usage', 'champion_left', 'tickets_spike', 'renewal_near', 'seats_unused'];

/** Fills an empty, migrated hub database; `log` gets one line per step. Returns the last seq. */
export async function fillScaleHub(client: pg.Client, shape: ScaleShape, log: (line: string) => void) {
  const n = shape.accounts;
  const step = async (label: string, sql: string) => {
    const start = process.hrtime.bigint();
    const result = await client.query(sql);
    log(
      `  ${label}: ${result.rowCount ? `${result.rowCount} rows, ` : ''}${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`,
    );
  };
  await client.query('BEGIN');
  // Truncated in this transaction: with wal_level=minimal the bulk writes skip the WAL.
  await client.query('TRUNCATE accounts, contacts, metrics, events, item_actions, interventions, activities');
  for (const index of ['metrics_owner_seq', 'metrics_seq', 'events_owner_seq', 'events_seq', 'events_account'])
    await client.query(`DROP INDEX ${index}`);
  await client.query('ALTER TABLE metrics DROP CONSTRAINT metrics_pkey');
  await client.query('ALTER TABLE events DROP CONSTRAINT events_pkey');
  await client.query(
    `CREATE TEMP TABLE acc AS SELECT a, 'acc_' || lpad(a::text, 7, '0') AS account_id, ${ownerSql(shape)} AS owner_email
       FROM generate_series(0, ${n - 1}) a`,
  );
  await step(
    'accounts',
    `INSERT INTO accounts (account_id, owner_email, body, seq)
     SELECT account_id, owner_email, jsonb_build_object('account_id', account_id, 'name', 'Account ' || a,
       'owner_email', owner_email, 'segment', null, 'plan', null, 'arr', 1000 + (a % 97) * 100, 'currency', 'USD',
       'seats_purchased', null, 'usage_limit', null, 'renewal_date', null, 'created_at', null, 'lifecycle_stage', null,
       'status', 'active', 'churned_at', null, 'timezone', null, 'locale', null, 'updated_at', null), a + 1
       FROM acc ORDER BY a`,
  );
  await step(
    'contacts',
    `INSERT INTO contacts (contact_id, account_id, owner_email, body, seq)
     SELECT 'con_' || a, account_id, owner_email, jsonb_build_object('contact_id', 'con_' || a, 'account_id', account_id,
       'name', 'Contact ' || a, 'email', null, 'phone', null, 'role', null, 'is_champion', true, 'active', true,
       'last_seen_at', null), ${n} + a + 1
       FROM acc ORDER BY a`,
  );
  const base = 2 * n;
  const start = process.hrtime.bigint();
  for (let d = 0; d < shape.days; d++) {
    await client.query(
      `INSERT INTO metrics (account_id, metric, contact_id, date, value, owner_email, seq)
       SELECT account_id, m.metric, '', date '${END_DAY}' - ${shape.days - d},
              CASE m.i WHEN 0 THEN 10 + (a + ${d}) % 13 ELSE 20 + (a * 7 + ${d}) % 31 END,
              owner_email, ${base + d * 2 * n} + a * 2 + m.i + 1
         FROM acc CROSS JOIN (VALUES (0, 'active_users'), (1, 'logins')) m (i, metric)`,
    );
    if (d % 10 === 9)
      log(`  metrics: day ${d + 1}/${shape.days}, ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(0)} s`);
  }
  const eventBase = base + shape.days * 2 * n;
  await step(
    'events',
    `INSERT INTO events (event_id, account_id, owner_email, body, seq)
     SELECT 'ev_' || a || '_' || d, account_id, owner_email, jsonb_build_object('event_id', 'ev_' || a || '_' || d,
       'account_id', account_id, 'occurred_at',
       to_char((date '${END_DAY}' - ${shape.days} + d) + interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"'),
       'type', 'ticket_opened', 'value', null, 'contact_id', null, 'detail', null), ${eventBase} + d * ${n} + a + 1
       FROM generate_series(0, ${shape.days - 1}) d CROSS JOIN acc WHERE (a + d) % 10 = 0 ORDER BY d, a`,
  );
  const logBase = eventBase + shape.days * n;
  // The CSMs' logs: an intervention on one account in 20 (a held-out control on one in 40), an
  // item action on one in 50, an activity on one in 10; outcomes decided by a fixed rule.
  await step(
    'interventions',
    `INSERT INTO interventions (intervention_id, account_id, trigger_id, cohort, status, version, start_on, fired_on,
       manual, excluded, body, actor_email, owner_email, seq)
     SELECT id, account_id, play, cohort, status, '2026-02-20T00:00:00.000Z', start_on, start_on, false, false,
            jsonb_build_object('intervention_id', id, 'account_id', account_id, 'trigger_id', play, 'status', status,
              'cohort', cohort, 'fired_on', start_on, 'outcome', jsonb_build_object('start_on', start_on)),
            owner_email, owner_email, ${logBase} + a + 1
       FROM (SELECT a, account_id, owner_email,
                    CASE WHEN a % 20 = 0 THEN 'treated' ELSE 'control' END AS cohort,
                    CASE WHEN a % 20 = 0 THEN 'int_' ELSE 'control:' END || account_id AS id,
                    (ARRAY['${PLAYS.join("','")}'])[1 + (a / 40) % ${PLAYS.length}] AS play,
                    CASE WHEN (a * 31) % 100 < CASE WHEN a % 20 = 0 THEN 45 ELSE 35 END THEN 'succeeded' ELSE 'failed' END AS status,
                    to_char(date '${END_DAY}' - 60 + (a % 45), 'YYYY-MM-DD') AS start_on
               FROM acc WHERE a % 20 = 0 OR a % 40 = 5) i`,
  );
  await step(
    'item_actions',
    `INSERT INTO item_actions (action_id, account_id, trigger_id, action, at, snooze_until, reason, actor_email, owner_email, seq)
     SELECT 'act_' || a, account_id, 'low_usage', 'snooze', '2026-02-25T09:00:00.000Z', '2026-03-10', 'on holiday',
            owner_email, owner_email, ${logBase + n} + a + 1
       FROM acc WHERE a % 50 = 0`,
  );
  await step(
    'activities',
    `INSERT INTO activities (activity_id, account_id, body, actor_email, owner_email, seq)
     SELECT 'call_' || a, account_id, jsonb_build_object('activity_id', 'call_' || a, 'account_id', account_id,
              'type', 'call', 'at', '2026-02-26T15:00:00.000Z', 'contact_id', null, 'summary', 'Quarterly check-in',
              'outcome', null), owner_email, owner_email, ${logBase + 2 * n} + a + 1
       FROM acc WHERE a % 10 = 0`,
  );
  const last = logBase + 3 * n;
  await client.query(`SELECT setval('hub_seq', ${last})`);
  const teams = Math.ceil(shape.csms / shape.teamSize);
  await client.query(
    `INSERT INTO hub_users (email, role, team)
     SELECT 'csm' || lpad(i::text, 3, '0') || '@bench.example', 'csm', 'team' || lpad((i / ${shape.teamSize})::text, 2, '0')
       FROM generate_series(0, ${shape.csms - 1}) i
     UNION ALL
     SELECT 'lead' || lpad(t::text, 2, '0') || '@bench.example', 'lead', 'team' || lpad(t::text, 2, '0')
       FROM generate_series(0, ${teams - 1}) t
     ON CONFLICT (email) DO NOTHING`,
  );
  await client.query('COMMIT');
  // The indexes the migrations make, built once over the filled tables (as a first load into
  // empty tables could), the pull's (owner_email, seq) first.
  await step('index metrics (owner_email, seq)', 'CREATE INDEX metrics_owner_seq ON metrics (owner_email, seq)');
  await step('index events', 'CREATE INDEX events_owner_seq ON events (owner_email, seq)');
  await step('events keys', 'ALTER TABLE events ADD PRIMARY KEY (event_id)');
  await step('events (seq), (account)', 'CREATE INDEX events_seq ON events (seq)');
  await step('events account', 'CREATE INDEX events_account ON events (account_id)');
  await step('metrics (seq)', 'CREATE INDEX metrics_seq ON metrics (seq)');
  await step('metrics primary key', 'ALTER TABLE metrics ADD PRIMARY KEY (account_id, metric, contact_id, date)');
  // Hint bits and statistics now, so the first measured read does not pay for writing them.
  await step('vacuum analyze', 'VACUUM (ANALYZE)');
  return last;
}
