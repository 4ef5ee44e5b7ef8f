/**
 * The contract's fields per record kind, how a raw cell is coerced for each, and the header
 * synonyms that common CRM and BI exports use for them. Headers are compared after
 * `normaliseHeader`, so "Account ID", "account_id" and "ACCOUNT-ID" are the same column.
 */
import { RECORD_KINDS, type RecordKind } from '../../shared/dto/core.ts';

/** The contract's record kinds (declared once, in the shared contract), parents first. */
export const KINDS = RECORD_KINDS;

export function isRecordKind(value: unknown): value is RecordKind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}

/** How a raw cell becomes the value the contract schema checks. */
export type Coercion = 'text' | 'number' | 'boolean' | 'date' | 'instant' | 'lower' | 'freeText';

export const KIND_FIELDS: Record<RecordKind, readonly (readonly [string, Coercion])[]> = {
  accounts: [
    ['account_id', 'text'],
    ['name', 'text'],
    ['owner_email', 'text'],
    ['segment', 'text'],
    ['plan', 'text'],
    ['arr', 'number'],
    ['currency', 'text'],
    ['seats_purchased', 'number'],
    ['usage_limit', 'number'],
    ['renewal_date', 'date'],
    ['created_at', 'date'],
    ['lifecycle_stage', 'text'],
    ['status', 'lower'],
    ['churned_at', 'date'],
    ['timezone', 'text'],
    ['locale', 'text'],
    ['updated_at', 'instant'],
  ],
  contacts: [
    ['contact_id', 'text'],
    ['account_id', 'text'],
    ['name', 'text'],
    ['email', 'text'],
    ['phone', 'text'],
    ['role', 'text'],
    ['is_champion', 'boolean'],
    ['active', 'boolean'],
    ['last_seen_at', 'instant'],
  ],
  metrics: [
    ['account_id', 'text'],
    ['date', 'date'],
    ['metric', 'text'],
    ['value', 'number'],
    ['contact_id', 'text'],
  ],
  events: [
    ['event_id', 'text'],
    ['account_id', 'text'],
    ['occurred_at', 'instant'],
    ['type', 'text'],
    ['value', 'number'],
    ['contact_id', 'text'],
    ['detail', 'freeText'],
  ],
};

export const FIELD_NAMES: Record<RecordKind, readonly string[]> = {
  accounts: KIND_FIELDS.accounts.map(([name]) => name),
  contacts: KIND_FIELDS.contacts.map(([name]) => name),
  metrics: KIND_FIELDS.metrics.map(([name]) => name),
  events: KIND_FIELDS.events.map(([name]) => name),
};

/** Columns a file must have (or a mapping constant must supply) to be read as that kind. */
export const REQUIRED_FIELDS: Record<RecordKind, readonly string[]> = {
  accounts: ['account_id', 'name', 'arr'],
  contacts: ['contact_id', 'account_id'],
  metrics: ['account_id', 'date', 'metric', 'value'],
  events: ['account_id', 'occurred_at', 'type'],
};

/** The key fields of a wide metrics file; every other column is a metric. */
export const WIDE_METRIC_KEYS = ['account_id', 'date', 'contact_id'] as const;

/** "ARR (USD)" → "arr usd"; "account_id" → "account id". */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** "Active Users" → "active_users": how a wide file's column names become metric names. */
export function metricNameFromHeader(header: string): string {
  return normaliseHeader(header).replace(/ /g, '_');
}

const ACCOUNT_ID = [
  'account id',
  'accountid',
  'acct id',
  'account number',
  'account no',
  'account key',
  'company id',
  'customer id',
  'customer number',
  'crm id',
  'crm account id',
  'salesforce account id',
  'sfdc account id',
  'hubspot company id',
];
const CONTACT_ID = ['contact id', 'contactid', 'person id', 'contact key', 'user id'];

/** Synonyms per kind (already normalised). The field's own name is always accepted too. */
const SYNONYMS: Record<RecordKind, Record<string, readonly string[]>> = {
  accounts: {
    account_id: ACCOUNT_ID,
    name: [
      'account name',
      'company',
      'company name',
      'customer',
      'customer name',
      'account',
      'organization',
      'organisation',
      'organization name',
      'organisation name',
    ],
    owner_email: [
      'owner email',
      'account owner email',
      'csm email',
      'csm',
      'owner',
      'account owner',
      'customer success manager',
      'customer success manager email',
      'csm owner email',
    ],
    segment: ['customer segment', 'account segment', 'market segment', 'tier', 'customer tier'],
    plan: ['plan name', 'subscription plan', 'subscription', 'edition', 'package', 'product plan'],
    arr: [
      'arr',
      'annual revenue',
      'annual recurring revenue',
      'arr amount',
      'annualrevenue',
      'recurring revenue',
      'contract arr',
      'current arr',
    ],
    currency: ['currency code', 'arr currency', 'currency iso code'],
    seats_purchased: [
      'seats',
      'licenses',
      'licences',
      'purchased seats',
      'licensed seats',
      'seat count',
      'number of seats',
      'license count',
      'licence count',
      'seats purchased',
    ],
    usage_limit: ['usage limit', 'plan limit', 'quota', 'usage quota'],
    renewal_date: [
      'renewal date',
      'contract end date',
      'contract end',
      'renewal',
      'next renewal date',
      'renews on',
      'contract renewal date',
      'subscription end date',
    ],
    created_at: [
      'created date',
      'customer since',
      'start date',
      'contract start date',
      'signup date',
      'account created',
      'created',
    ],
    lifecycle_stage: ['lifecycle', 'stage', 'customer stage', 'journey stage', 'lifecycle stage'],
    status: ['account status', 'customer status'],
    churned_at: ['churn date', 'churned date', 'cancellation date', 'cancelled at', 'canceled at', 'churned on'],
    timezone: ['time zone', 'tz'],
    locale: ['language', 'lang'],
    updated_at: ['last modified', 'last modified date', 'modified at', 'updated', 'last updated', 'modified date'],
  },
  contacts: {
    contact_id: CONTACT_ID,
    account_id: ACCOUNT_ID,
    name: ['full name', 'contact name', 'contact', 'person'],
    email: ['e mail', 'email address', 'contact email', 'work email'],
    phone: [
      'phone number',
      'mobile',
      'mobile phone',
      'mobile number',
      'cell',
      'cell phone',
      'telephone',
      'tel',
      'sms number',
    ],
    role: ['title', 'job title', 'position'],
    is_champion: ['champion', 'is champion', 'primary contact', 'key contact'],
    active: ['is active', 'still active', 'enabled', 'active contact'],
    last_seen_at: ['last seen', 'last login', 'last active', 'last activity', 'last seen date'],
  },
  metrics: {
    account_id: ACCOUNT_ID,
    date: ['day', 'metric date', 'usage date', 'snapshot date', 'as of', 'as of date'],
    metric: ['metric name', 'measure', 'kpi'],
    value: ['metric value', 'amount', 'count'],
    contact_id: CONTACT_ID,
  },
  events: {
    event_id: ['event id', 'eventid', 'activity id'],
    account_id: ACCOUNT_ID,
    occurred_at: ['timestamp', 'time', 'event time', 'event date', 'occurred', 'occurred on', 'date'],
    type: ['event type', 'event', 'event name', 'activity type'],
    value: ['score', 'amount'],
    contact_id: CONTACT_ID,
    detail: ['details', 'description', 'notes', 'note', 'comment', 'summary'],
  },
};

/** normalised header → field, per kind. */
export const HEADER_LOOKUP: Record<RecordKind, ReadonlyMap<string, string>> = Object.fromEntries(
  KINDS.map((kind) => {
    const map = new Map<string, string>();
    for (const field of FIELD_NAMES[kind]) map.set(normaliseHeader(field), field);
    for (const [field, synonyms] of Object.entries(SYNONYMS[kind]))
      for (const synonym of synonyms) if (!map.has(synonym)) map.set(synonym, field);
    return [kind, map];
  }),
) as unknown as Record<RecordKind, ReadonlyMap<string, string>>;

/** "ARR (EUR)" names both the field and the currency of the column. */
const ARR_WITH_CURRENCY = /^(?:arr|annual recurring revenue|annual revenue) ([a-z]{3})$/;

export function headerToField(kind: RecordKind, normalised: string): { field: string; currency?: string } | null {
  const field = HEADER_LOOKUP[kind].get(normalised);
  if (field) return { field };
  if (kind === 'accounts') {
    const match = ARR_WITH_CURRENCY.exec(normalised);
    if (match) return { field: 'arr', currency: match[1]!.toUpperCase() };
  }
  return null;
}

/** Synonyms to quote in "has no column for arr (looked for …)". */
export function synonymsFor(kind: RecordKind, field: string): string[] {
  return [...new Set([field, ...(SYNONYMS[kind][field] ?? [])])];
}
