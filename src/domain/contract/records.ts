/**
 * The data contract (docs/data-contract.md) as runtime schemas. Importers coerce raw cells into
 * these shapes first; these schemas then decide what is a valid record. Messages are written to
 * complete the sentence "line N, FIELD: …".
 */
import { z } from 'zod';
import { isIsoDay, toIsoInstant } from './dates.ts';

export const STANDARD_METRICS = [
  'active_users',
  'seats_used',
  'logins',
  'core_feature_uses',
  'usage',
  'latency_ms',
  'api_errors',
] as const;

export const STANDARD_EVENT_TYPES = [
  'setup_completed',
  'onboarding_completed',
  'payment_failed',
  'payment_succeeded',
  'ticket_opened',
  'ticket_closed',
  'ticket_escalated',
  'nps_response',
  'champion_left',
  'champion_assigned',
  'plan_upgraded',
  'plan_downgraded',
  'renewed',
  'churned',
  'csm_touch',
  'sync_failed',
  'integration_error',
  'sync_succeeded',
] as const;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

const text = z.string().trim().min(1, 'is required');
const optionalText = z.string().trim().min(1).nullable().default(null);
const isoDay = z.string().refine(isIsoDay, { error: 'is not a date (expected YYYY-MM-DD)' });
const instant = z.string().transform((value, ctx) => {
  const normalised = toIsoInstant(value);
  if (normalised === null) {
    ctx.addIssue({ code: 'custom', message: 'is not a date and time (expected ISO 8601)' });
    return z.NEVER;
  }
  return normalised;
});
const count = z.number({ error: 'is not a number' }).int('must be a whole number').min(0, 'must not be negative');
const flag = z.boolean({ error: 'is not true or false' });

export const accountRecord = z.object({
  account_id: text,
  name: text,
  owner_email: z.email({ error: 'is not an email address' }).nullable().default(null),
  segment: optionalText,
  plan: optionalText,
  arr: z.number({ error: 'is not a number' }).finite().min(0, 'must not be negative'),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .refine((code) => CURRENCIES.has(code), {
      error: 'is not an ISO 4217 currency code',
    })
    .default('USD'),
  seats_purchased: count.nullable().default(null),
  usage_limit: z.number().min(0, 'must not be negative').nullable().default(null),
  renewal_date: isoDay.nullable().default(null),
  created_at: isoDay.nullable().default(null),
  lifecycle_stage: optionalText,
  status: z.enum(['active', 'churned'], { error: 'is not active or churned' }).default('active'),
  churned_at: isoDay.nullable().default(null),
  timezone: z.string().refine(isTimeZone, { error: 'is not an IANA time zone' }).nullable().default(null),
  locale: z.string().refine(isLocale, { error: 'is not a BCP 47 locale' }).nullable().default(null),
  updated_at: instant.nullable().default(null),
});

/**
 * A phone number for SMS: digits with an optional leading +, written with any spaces, dashes,
 * dots or brackets, stored without them ("+49 (30) 1234-567" → "+49301234567").
 */
export function normalisePhone(value: string): string | null {
  const trimmed = value.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/[^\d]/g, '');
  if (digits.length < 6 || digits.length > 15) return null;
  return `${trimmed.startsWith('+') ? '+' : ''}${digits}`;
}

export const contactRecord = z.object({
  contact_id: text,
  account_id: text,
  name: optionalText,
  email: z.email({ error: 'is not an email address' }).nullable().default(null),
  phone: z
    .string()
    .transform((value, ctx) => {
      const phone = normalisePhone(value);
      if (phone === null) ctx.addIssue({ code: 'custom', message: 'is not a phone number' });
      return phone ?? value;
    })
    .nullable()
    .default(null),
  role: optionalText,
  is_champion: flag.default(false),
  active: flag.default(true),
  last_seen_at: instant.nullable().default(null),
});

export const metricRecord = z.object({
  account_id: text,
  date: isoDay,
  metric: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a lower-case name such as active_users'),
  value: z.number({ error: 'is not a number' }).finite(),
  contact_id: z.string().trim().default(''),
});

export const eventRecord = z
  .object({
    event_id: z.string().trim().min(1).nullable().default(null),
    account_id: text,
    occurred_at: instant,
    type: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a lower-case name such as payment_failed'),
    value: z.number({ error: 'is not a number' }).finite().nullable().default(null),
    contact_id: optionalText,
    detail: z.string().nullable().default(null),
  })
  .superRefine((event, ctx) => {
    if (
      event.type === 'nps_response' &&
      (event.value === null || event.value < 0 || event.value > 10 || !Number.isInteger(event.value))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'is not an NPS score from 0 to 10',
      });
    }
  });

export type AccountRecord = z.output<typeof accountRecord>;
export type ContactRecord = z.output<typeof contactRecord>;
export type MetricRecord = z.output<typeof metricRecord>;
export type EventRecord = Omit<z.output<typeof eventRecord>, 'event_id'> & { event_id: string };
export type EventInput = z.output<typeof eventRecord>;
