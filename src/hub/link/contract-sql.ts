/**
 * The data contract (src/domain/contract/records.ts) as SQL, for warehouse tables the hub reads in
 * place (link.ts): each field of each kind is a rule, and a rule becomes an expression for the
 * field's value and a CASE arm naming the first field that breaks the contract, with the app's
 * sentence ("arr: 'abc' is not a number"). The app's zod schemas stay the authority:
 * test/integration/hub-link.test.ts runs the same rows through both and expects the same verdicts.
 * A linked table gives ISO text or typed columns (date, timestamp, numeric, boolean); the app's
 * lenient coercions of file cells (thousand separators, day-first dates) are not repeated here.
 */
import type { RecordKind } from '../../shared/dto/core.ts';

type Rule =
  | 'id'
  | 'text'
  | 'detail'
  | 'email'
  | 'number'
  | 'amount'
  | 'optional_number'
  | 'optional_amount'
  | 'count'
  | 'day'
  | 'optional_day'
  | 'instant'
  | 'optional_instant'
  | 'flag_false'
  | 'flag_true'
  | 'currency'
  | 'status'
  | 'timezone'
  | 'locale'
  | 'metric_name'
  | 'event_type'
  | 'phone'
  | 'contact_ref';

export const LINK_FIELDS: Record<RecordKind, readonly (readonly [string, Rule])[]> = {
  accounts: [
    ['account_id', 'id'],
    ['name', 'id'],
    ['owner_email', 'email'],
    ['segment', 'text'],
    ['plan', 'text'],
    ['arr', 'amount'],
    ['currency', 'currency'],
    ['seats_purchased', 'count'],
    ['usage_limit', 'optional_amount'],
    ['renewal_date', 'optional_day'],
    ['created_at', 'optional_day'],
    ['lifecycle_stage', 'text'],
    ['status', 'status'],
    ['churned_at', 'optional_day'],
    ['timezone', 'timezone'],
    ['locale', 'locale'],
    ['updated_at', 'optional_instant'],
  ],
  contacts: [
    ['contact_id', 'id'],
    ['account_id', 'id'],
    ['name', 'text'],
    ['email', 'email'],
    ['phone', 'phone'],
    ['role', 'text'],
    ['is_champion', 'flag_false'],
    ['active', 'flag_true'],
    ['last_seen_at', 'optional_instant'],
  ],
  metrics: [
    ['account_id', 'id'],
    ['date', 'day'],
    ['metric', 'metric_name'],
    ['value', 'number'],
    ['contact_id', 'contact_ref'],
  ],
  events: [
    ['event_id', 'id'],
    ['account_id', 'id'],
    ['occurred_at', 'instant'],
    ['type', 'event_type'],
    ['value', 'optional_number'],
    ['contact_id', 'text'],
    ['detail', 'detail'],
  ],
};

/** The fields a linked table must give (the others may be left out: null or their default). */
export const REQUIRED_FIELDS: Record<RecordKind, readonly string[]> = {
  accounts: ['account_id', 'name', 'arr'],
  contacts: ['contact_id', 'account_id'],
  metrics: ['account_id', 'date', 'metric', 'value'],
  events: ['event_id', 'account_id', 'occurred_at', 'type'],
};

const NUMBER = String.raw`^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$`;
const DAY = String.raw`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$`;
const INSTANT = String.raw`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?$`;
const EMAIL = String.raw`^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$`;
const NAME = String.raw`^[a-z][a-z0-9_]{0,63}$`;
const LOCALE = String.raw`^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|\d{3}))?$`;
const TRUE = `('true', 't', 'yes', 'y', '1')`;
const FALSE = `('false', 'f', 'no', 'n', '0')`;

const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;
const quoted = (v: string) => `'''' || ${v} || ''''`;

/** A day of the calendar (not 2026-02-30): CASE evaluates arms in order, so the casts are safe. */
const validDay = (v: string) =>
  `(${v} ~ ${lit(DAY)} AND substr(${v}, 9, 2)::int <= extract(day from make_date(substr(${v}, 1, 4)::int, substr(${v}, 6, 2)::int, 1) + interval '1 month - 1 day'))`;

export interface Column {
  /** The source expression (a quoted column of the linked relation), or null when not mapped. */
  sql: string | null;
  /** Its PostgreSQL type (information_schema data_type). */
  type: string;
}

/** The field's value as text: typed timestamps become ISO instants in UTC, the rest is cast. */
function asText(column: Column): string {
  if (column.sql === null) return 'NULL::text';
  if (column.type === 'timestamp with time zone')
    return `to_char(${column.sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (column.type === 'timestamp without time zone') return `to_char(${column.sql}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return `(${column.sql})::text`;
}

interface FieldSql {
  /** The value served (SQL), assuming no earlier check failed. */
  value: string;
  /** Checks in order: [condition that is true when broken, reason as SQL text]. */
  checks: [string, string][];
}

/** Numbers: finite, and for amounts and counts not negative; counts whole. */
function numberSql(rule: 'number' | 'amount' | 'optional_number' | 'optional_amount' | 'count', v: string, t: string) {
  const required = rule === 'number' || rule === 'amount';
  const checks: [string, string][] = [
    [
      required ? `${t} IS NULL OR ${t} !~ ${lit(NUMBER)}` : `${t} !~ ${lit(NUMBER)}`,
      `${quoted(`coalesce(${v}, 'null')`)} || ' is not a number'`,
    ],
  ];
  // The value as given, before the rule, as the app's importer words it (validate.ts).
  if (rule === 'count') checks.push([`${t}::numeric % 1 <> 0`, `${quoted(v)} || ' must be a whole number'`]);
  if (rule === 'amount' || rule === 'optional_amount' || rule === 'count')
    checks.push([`${t}::numeric < 0`, `${quoted(v)} || ' must not be negative'`]);
  return { value: `${t}::double precision`, checks };
}

/** Calendar days (YYYY-MM-DD) and ISO 8601 instants, served as UTC instants. */
function timeSql(rule: 'day' | 'optional_day' | 'instant' | 'optional_instant', v: string, t: string): FieldSql {
  const given = `${quoted(`coalesce(${v}, 'null')`)}`;
  if (rule === 'day' || rule === 'optional_day')
    return {
      value: t,
      checks: [
        [
          rule === 'day' ? `${t} IS NULL OR NOT ${validDay(t)}` : `NOT ${validDay(t)}`,
          `${given} || ' is not a date (expected YYYY-MM-DD)'`,
        ],
      ],
    };
  return {
    value: `to_char((${t})::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    checks: [
      [
        `${rule === 'instant' ? `${t} IS NULL OR ` : ''}NOT (${t} ~ ${lit(INSTANT)} AND ${validDay(`substr(${t}, 1, 10)`)})`,
        `${given} || ' is not a date and time (expected ISO 8601)'`,
      ],
    ],
  };
}

const blank = (v: string) => `NULLIF(btrim(${v}), '')`;

export function fieldSql(rule: Rule, column: Column, currencies: readonly string[]): FieldSql {
  const v = asText(column);
  const t = blank(v);
  switch (rule) {
    case 'id':
      return { value: t, checks: [[`${t} IS NULL`, lit('is required')]] };
    case 'text':
      return { value: t, checks: [] };
    case 'detail':
      return { value: v, checks: [] };
    case 'contact_ref':
      return { value: `coalesce(btrim(${v}), '')`, checks: [] };
    case 'email':
      return { value: t, checks: [[`${t} !~ ${lit(EMAIL)}`, `${quoted(v)} || ' is not an email address'`]] };
    case 'number':
    case 'amount':
    case 'optional_number':
    case 'optional_amount':
    case 'count':
      return numberSql(rule, v, t);
    case 'day':
    case 'optional_day':
    case 'instant':
    case 'optional_instant':
      return timeSql(rule, v, t);
    case 'flag_false':
    case 'flag_true': {
      const l = `lower(${t})`;
      return {
        value: `CASE WHEN ${t} IS NULL THEN ${rule === 'flag_true'} ELSE ${l} IN ${TRUE} END`,
        checks: [[`${l} NOT IN ${TRUE} AND ${l} NOT IN ${FALSE}`, `${quoted(v)} || ' is not true or false'`]],
      };
    }
    case 'currency':
      return {
        value: `coalesce(upper(${t}), 'USD')`,
        checks: [
          [
            `upper(${t}) <> ALL (ARRAY[${currencies.map(lit).join(',')}])`,
            `${quoted(v)} || ' is not an ISO 4217 currency code'`,
          ],
        ],
      };
    case 'status':
      return {
        value: `coalesce(lower(${t}), 'active')`,
        checks: [[`lower(${t}) NOT IN ('active', 'churned')`, `${quoted(v)} || ' is not active or churned'`]],
      };
    case 'timezone':
      return {
        value: t,
        checks: [
          [
            `${t} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = ${t})`,
            `${quoted(v)} || ' is not an IANA time zone'`,
          ],
        ],
      };
    case 'locale':
      return { value: t, checks: [[`${t} !~ ${lit(LOCALE)}`, `${quoted(v)} || ' is not a BCP 47 locale'`]] };
    case 'metric_name':
    case 'event_type':
      return {
        value: t,
        checks: [
          [
            `${t} IS NULL OR ${t} !~ ${lit(NAME)}`,
            // A missing name keeps the bare rule (quoting NULL gives NULL).
            `coalesce(${quoted(v)} || ' ' || ${lit(`must be a lower-case name such as ${rule === 'metric_name' ? 'active_users' : 'payment_failed'}`)}, ${lit(`must be a lower-case name such as ${rule === 'metric_name' ? 'active_users' : 'payment_failed'}`)})`,
          ],
        ],
      };
    case 'phone': {
      const digits = `regexp_replace(${t}, '[^0-9]', '', 'g')`;
      return {
        value: `CASE WHEN ${t} LIKE '+%' THEN '+' ELSE '' END || ${digits}`,
        checks: [
          [
            `${t} !~ ${lit(String.raw`^\+?[\d\s().-]+$`)} OR length(${digits}) NOT BETWEEN 6 AND 15`,
            `${quoted(v)} || ' is not a phone number'`,
          ],
        ],
      };
    }
  }
}

/**
 * One SELECT over the linked relation: every field's value, `problem` (null for a valid row, else
 * "field: reason" of the first broken field), `item` (the record as JSON in the contract's shape,
 * for valid rows), each field as the source gave it (`raw_…`, text) and the key fields in
 * their own type (`key_…`). Three layers: the source's
 * columns as text, then the checks once per row, then the values of the rows that passed.
 */
export function contractSelect(
  kind: RecordKind,
  relation: string,
  columns: Record<string, Column>,
  currencies: readonly string[],
  keyFields: readonly string[],
): string {
  const names = LINK_FIELDS[kind].map(([name]) => name);
  // Key columns pass through untouched (their own type), so the warehouse's indexes serve pages.
  const keys = keyFields.map((k) => `${columns[k]?.sql ?? 'NULL::text'} AS key_${k}`);
  const raw = [
    ...names.map((name) => `${asText(columns[name] ?? { sql: null, type: 'text' })} AS raw_${name}`),
    ...keys,
  ];
  const fields = LINK_FIELDS[kind].map(([name, rule]) => ({
    name,
    sql: fieldSql(rule, { sql: `raw_${name}`, type: 'text' }, currencies),
  }));
  const arms = fields.flatMap((f) =>
    f.sql.checks.map(([broken, reason]) => `WHEN ${broken} THEN ${lit(`${f.name}: `)} || ${reason}`),
  );
  if (kind === 'events') {
    const value = fields.find((f) => f.name === 'value')!.sql.value;
    const type = fields.find((f) => f.name === 'type')!.sql.value;
    arms.push(
      `WHEN ${type} = 'nps_response' AND (${value} IS NULL OR ${value} < 0 OR ${value} > 10 OR ${value}::numeric % 1 <> 0) THEN 'value: ' || ${quoted(`coalesce(raw_value, 'null')`)} || ' is not an NPS score from 0 to 10'`,
    );
  }
  const problem = arms.length ? `CASE ${arms.join('\n        ')} END` : 'NULL::text';
  const valid = (sql: string) => `CASE WHEN problem IS NULL THEN ${sql} END`;
  return `SELECT ${fields.map((f) => `${valid(f.sql.value)} AS ${f.name}`).join(',\n       ')},
       ${[...names.map((name) => `raw_${name}`), ...keyFields.map((k) => `key_${k}`)].join(', ')}, problem,
       ${valid(`jsonb_build_object(${fields.map((f) => `${lit(f.name)}, ${f.sql.value}`).join(', ')})`)} AS item
  FROM (SELECT r.*, ${problem} AS problem
          FROM (SELECT ${raw.join(', ')} FROM ${relation} src) r) c`;
}
