/**
 * Checks a coerced record against the data contract (src/domain/contract/records.ts).
 *
 * The contract's zod schemas are the authority, but running them on every row of a multi-million
 * row file would dominate the import (an account row with a time zone and a locale costs ~200 µs).
 * So each kind has a fast path that accepts only records it can prove valid, producing exactly
 * the schema's output; anything else goes through the schema, which also writes the reason.
 * test/unit/ingest-validate.test.ts checks the fast path against the schemas on generated records.
 */
import { z } from 'zod';
import type { RecordKind } from '../../shared/dto/core.ts';
import { isIsoDay, toIsoInstant } from '../contract/dates.ts';
import { withEventId } from '../contract/event-id.ts';
import { shownValue } from '../contract/shown-value.ts';
import {
  accountRecord,
  contactRecord,
  eventRecord,
  metricRecord,
  normalisePhone,
  type EventInput,
} from '../contract/records.ts';
import { GROUPED_IN_THREES, type CoerceOptions } from './coerce.ts';

export type ValidRecord = Record<string, unknown>;

export type Validation = { ok: true; record: ValidRecord } | { ok: false; field: string | null; reason: string };

const SCHEMAS = {
  accounts: accountRecord,
  contacts: contactRecord,
  metrics: metricRecord,
  events: eventRecord,
} as const;

// --- cached checks: the same dates, zones and locales repeat on every row -------------------------

function memo(check: (value: string) => boolean, limit = 50_000): (value: string) => boolean {
  let cache = new Map<string, boolean>();
  return (value) => {
    let known = cache.get(value);
    if (known === undefined) {
      known = check(value);
      if (cache.size >= limit) cache = new Map();
      cache.set(value, known);
    }
    return known;
  };
}

const isDay = memo(isIsoDay);
const isTimeZone = memo((value) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}, 2_000);
const isLocale = memo((value) => {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}, 2_000);
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const EMAIL = z.regexes.email;
const NAME = /^[a-z][a-z0-9_]{0,63}$/;

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const optionalText = (value: unknown): string | null | false =>
  value === undefined ? null : isText(value) ? value : false;

// --- fast paths: return the schema's output, or null to fall back to the schema ------------------

function fastAccount(c: Record<string, unknown>): ValidRecord | null {
  const {
    account_id,
    name,
    owner_email,
    arr,
    currency,
    seats_purchased,
    usage_limit,
    renewal_date,
    created_at,
    status,
    churned_at,
    timezone,
    locale,
    updated_at,
  } = c;
  if (!isText(account_id) || !isText(name) || !isNumber(arr) || arr < 0) return null;
  if (owner_email !== undefined && !(typeof owner_email === 'string' && EMAIL.test(owner_email))) return null;
  const segment = optionalText(c.segment);
  const plan = optionalText(c.plan);
  const lifecycle = optionalText(c.lifecycle_stage);
  if (segment === false || plan === false || lifecycle === false) return null;
  let currencyCode = 'USD';
  if (currency !== undefined) {
    if (typeof currency !== 'string') return null;
    currencyCode = currency.toUpperCase();
    if (!CURRENCIES.has(currencyCode)) return null;
  }
  if (seats_purchased !== undefined && !(Number.isSafeInteger(seats_purchased) && (seats_purchased as number) >= 0))
    return null;
  if (usage_limit !== undefined && !(isNumber(usage_limit) && usage_limit >= 0)) return null;
  for (const day of [renewal_date, created_at, churned_at])
    if (day !== undefined && !(typeof day === 'string' && isDay(day))) return null;
  if (status !== undefined && status !== 'active' && status !== 'churned') return null;
  if (timezone !== undefined && !(typeof timezone === 'string' && isTimeZone(timezone))) return null;
  if (locale !== undefined && !(typeof locale === 'string' && isLocale(locale))) return null;
  let updated: string | null = null;
  if (updated_at !== undefined) {
    if (typeof updated_at !== 'string') return null;
    updated = toIsoInstant(updated_at);
    if (updated === null) return null;
  }
  return {
    account_id,
    name,
    owner_email: owner_email ?? null,
    segment,
    plan,
    arr,
    currency: currencyCode,
    seats_purchased: seats_purchased ?? null,
    usage_limit: usage_limit ?? null,
    renewal_date: renewal_date ?? null,
    created_at: created_at ?? null,
    lifecycle_stage: lifecycle,
    status: status ?? 'active',
    churned_at: churned_at ?? null,
    timezone: timezone ?? null,
    locale: locale ?? null,
    updated_at: updated,
  };
}

function fastContact(c: Record<string, unknown>): ValidRecord | null {
  const { contact_id, account_id, email, is_champion, active, last_seen_at } = c;
  if (!isText(contact_id) || !isText(account_id)) return null;
  const name = optionalText(c.name);
  const role = optionalText(c.role);
  if (name === false || role === false) return null;
  if (email !== undefined && !(typeof email === 'string' && EMAIL.test(email))) return null;
  const phone = c.phone === undefined ? null : typeof c.phone === 'string' ? normalisePhone(c.phone) : null;
  if (c.phone !== undefined && phone === null) return null;
  if (is_champion !== undefined && typeof is_champion !== 'boolean') return null;
  if (active !== undefined && typeof active !== 'boolean') return null;
  let lastSeen: string | null = null;
  if (last_seen_at !== undefined) {
    if (typeof last_seen_at !== 'string') return null;
    lastSeen = toIsoInstant(last_seen_at);
    if (lastSeen === null) return null;
  }
  return {
    contact_id,
    account_id,
    name,
    email: email ?? null,
    phone,
    role,
    is_champion: is_champion ?? false,
    active: active ?? true,
    last_seen_at: lastSeen,
  };
}

function fastMetric(c: Record<string, unknown>): ValidRecord | null {
  const { account_id, date, metric, value, contact_id } = c;
  if (
    !isText(account_id) ||
    typeof date !== 'string' ||
    !isDay(date) ||
    typeof metric !== 'string' ||
    !NAME.test(metric) ||
    !isNumber(value)
  )
    return null;
  if (contact_id !== undefined && typeof contact_id !== 'string') return null;
  return { account_id, date, metric, value, contact_id: contact_id ?? '' };
}

function fastEvent(c: Record<string, unknown>): ValidRecord | null {
  const { event_id, account_id, occurred_at, type, value, detail } = c;
  if (!isText(account_id) || typeof occurred_at !== 'string' || typeof type !== 'string' || !NAME.test(type))
    return null;
  const id = optionalText(event_id);
  const contact = optionalText(c.contact_id);
  if (id === false || contact === false) return null;
  if (value !== undefined && !isNumber(value)) return null;
  if (type === 'nps_response' && !(Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 10))
    return null;
  if (detail !== undefined && typeof detail !== 'string') return null;
  const instant = toIsoInstant(occurred_at);
  if (instant === null) return null;
  return {
    event_id: id,
    account_id,
    occurred_at: instant,
    type,
    value: value ?? null,
    contact_id: contact,
    detail: detail ?? null,
  };
}

const FAST = { accounts: fastAccount, contacts: fastContact, metrics: fastMetric, events: fastEvent } as const;

// --- the slow path and its messages ----------------------------------------------------------------

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
};

/** One field's problem, e.g. "'31/02/2026' is not a date (expected YYYY-MM-DD)", the value as typed. */
function describeIssue(issue: z.core.$ZodIssue, field: string | null, typed: unknown, options: CoerceOptions): string {
  if (field !== null && typed === undefined) return 'is required';
  // zod's own wording ("Invalid input: expected string…") is replaced; the contract's messages are kept.
  const message =
    issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')
      ? `is not ${EXPECTED[issue.expected] ?? issue.expected}`
      : issue.message.startsWith('Invalid input')
        ? 'is not valid'
        : issue.message;
  let reason = message === 'is required' ? message : `${shownValue(typed)} ${message}`;
  if (options.ambiguousGroups && typeof typed === 'string' && GROUPED_IN_THREES.test(typed))
    reason = `${shownValue(typed)} could be a whole number grouped in thousands or a decimal in a file separated by semicolons; say which with "decimalSeparator" in a mapping file (docs/sync.md, "Mapping files")`;
  // The file's own date format is the helpful hint, not the contract's storage format.
  if (field !== null) {
    const format = options.dateFormats.get(field) ?? options.dateFormats.get('*');
    if (format)
      reason = reason
        .replace('(expected YYYY-MM-DD)', `(expected ${format.source})`)
        .replace('(expected ISO 8601)', `(expected ${format.source} or ISO 8601)`);
  }
  return reason;
}

/**
 * Every problem of the row, one a field, the first field's reason first and the others named:
 * "'x' is not a number; renewal_date: 'y' is not a date (expected YYYY-MM-DD)". Kept whole in the
 * quarantine, so fixing one problem never reveals another only on the next import.
 */
function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  coerced: Record<string, unknown>,
  raw: Readonly<Record<string, unknown>> | undefined,
  options: CoerceOptions,
): { field: string | null; reason: string } {
  const byField = new Map<string | null, string>();
  for (const issue of issues) {
    const field = typeof issue.path[0] === 'string' ? issue.path[0] : null;
    if (byField.has(field)) continue;
    const value = field === null ? undefined : coerced[field];
    // What the user typed ("1e400"), not what it became (Infinity); the coerced value when the raw one is gone.
    const given = field === null ? undefined : raw?.[field];
    const typed = value === undefined || given === undefined ? value : typeof given === 'string' ? given.trim() : given;
    byField.set(field, describeIssue(issue, field, typed, options));
  }
  const [field, ...others] = [...byField.keys()];
  const reason = [
    byField.get(field ?? null)!,
    ...others.map((name) => `${name === null ? '' : `${name}: `}${byField.get(name)}`),
  ].join('; ');
  return { field: field ?? null, reason };
}

/** `raw`: the values as they arrived, for messages that show what the user typed. */
export function validateRecord(
  kind: RecordKind,
  coerced: Record<string, unknown>,
  options: CoerceOptions,
  raw?: Readonly<Record<string, unknown>>,
): Validation {
  const fast = FAST[kind](coerced);
  if (fast) return { ok: true, record: kind === 'events' ? withEventId(fast as EventInput) : fast };
  const parsed = SCHEMAS[kind].safeParse(coerced);
  if (parsed.success) {
    const record = parsed.data as ValidRecord;
    return { ok: true, record: kind === 'events' ? withEventId(record as EventInput) : record };
  }
  return { ok: false, ...describeIssues(parsed.error.issues, coerced, raw, options) };
}

/** The schema's own verdict, without the fast path; for tests that hold the two together. */
export function validateWithSchemaOnly(
  kind: RecordKind,
  coerced: Record<string, unknown>,
): { ok: true; record: ValidRecord } | { ok: false } {
  const parsed = SCHEMAS[kind].safeParse(coerced);
  return parsed.success ? { ok: true, record: parsed.data as ValidRecord } : { ok: false };
}

export function fastPathOnly(kind: RecordKind, coerced: Record<string, unknown>): ValidRecord | null {
  return FAST[kind](coerced);
}

/** The identity of a record: what a later, corrected row must match to resolve its quarantine entry. */
export function naturalKey(kind: RecordKind, values: Readonly<Record<string, unknown>>): string | null {
  const text = (value: unknown) =>
    typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  switch (kind) {
    case 'accounts':
      return text(values.account_id) || null;
    case 'contacts':
      return text(values.contact_id) || null;
    case 'metrics': {
      const parts = [text(values.account_id), text(values.metric), text(values.contact_id), text(values.date)];
      return parts[0] && parts[1] && parts[3] ? parts.join('\u001f') : null;
    }
    case 'events':
      return text(values.event_id) || null;
  }
}
