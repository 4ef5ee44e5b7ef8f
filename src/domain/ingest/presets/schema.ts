/**
 * What a preset file says (docs/sync.md, "Presets"): how one vendor's standard CSV export becomes
 * Foresight records. Presets are data: the built-in ones are JSON files in `builtin/`, and a user's
 * own go in the `presets` folder next to the database, in the same shape.
 */
import { z } from 'zod';
import { isTimeZone } from '../../contract/records.ts';
import { KINDS } from '../fields.ts';

/** A header name, or several spellings of it: the first one the file has is used. */
const columns = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/**
 * How one output field gets its value from a row. Dates: "auto" reads ISO 8601 and epoch seconds or
 * milliseconds (by size); a token format (DD/MM/YYYY HH:mm) reads local times in `timeZone`.
 */
export const fieldSpecSchema = z
  .object({
    column: columns.optional(),
    /** Several columns joined by a space (first and last name). */
    join: z.array(z.string().min(1)).min(2).optional(),
    /** A constant value. */
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    /** Cell value (compared case-insensitively) → stored value; null skips the record. */
    map: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    /** When the cell is not in `map`: skip the record (default) or keep the cell as it is. */
    otherwise: z.enum(['skip', 'keep']).default('skip'),
    date: z.string().min(2).optional(),
    /** IANA zone of times written without an offset (default UTC). */
    timeZone: z
      .string()
      .refine(isTimeZone, { error: (issue) => `${JSON.stringify(issue.input)} is not an IANA time zone` })
      .optional(),
    /** Divide a number by this, e.g. 100 for amounts in cents. */
    divide: z.number().positive().optional(),
    /** Keep the cell only when it is an email address (HubSpot's owner column holds names). */
    emailOnly: z.boolean().optional(),
    prefix: z.string().optional(),
    suffix: z.string().optional(),
    /** The record is skipped when this field has no value (instead of being rejected). */
    optional: z.boolean().optional(),
  })
  .strict();

export type FieldSpec = z.output<typeof fieldSpecSchema>;

const fieldSpec = z.union([z.string().min(1), z.array(z.string().min(1)).min(1), fieldSpecSchema]);

/** One record made from each row; a row can make several (a ticket opened and one closed). */
const recordSpec = z
  .object({
    kind: z.enum(KINDS),
    fields: z.record(z.string(), fieldSpec),
    /** Only rows where this column has a value make this record. */
    when: columns.optional(),
  })
  .strict();

/** How a row names its account (docs/sync.md, "Matching accounts across sources"). */
const accountMatch = z
  .object({
    /** The source system's own id for the account (Stripe customer id, analytics group id). */
    key: columns.optional(),
    /** A column that holds Foresight's account_id itself. */
    id: columns.optional(),
    domain: columns.optional(),
    email: columns.optional(),
    name: columns.optional(),
  })
  .strict();

/** A raw event log (one row per product event or session) rolled up into daily metrics. */
const rollupSpec = z
  .object({
    time: fieldSpec,
    user: fieldSpec,
    event: fieldSpec.optional(),
    /** "sessions": every row is a session (a login). */
    rowsAre: z.enum(['events', 'sessions']).default('events'),
    /** Event names (case-insensitive) that are a login or the start of a session. */
    loginEvents: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const presetSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    title: z.string().min(1),
    /** The vendor, also the namespace of its account keys in the alias table. */
    source: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    /** The vendor documentation page the columns follow, and what was followed. */
    documentation: z.string().url(),
    follows: z.string().min(1),
    /** Headers (any spelling that normalises the same) that must all be present to detect this preset. */
    detect: z.array(z.string().min(1)).min(1),
    account: accountMatch.default({}),
    /** Accounts presets: columns whose value is also remembered as an alias of the account. */
    aliases: z.object({ domain: columns.optional(), key: columns.optional() }).strict().default({}),
    records: z.array(recordSpec).default([]),
    rollup: rollupSpec.optional(),
  })
  .strict()
  .refine((p) => p.records.length > 0 || p.rollup !== undefined, {
    message: 'a preset needs records or a rollup',
  });

export type Preset = z.output<typeof presetSchema>;
export type RecordSpec = Preset['records'][number];
export type RollupSpec = NonNullable<Preset['rollup']>;

/** A field spec as written (a header, several spellings, or the full object) in its full form. */
export function fullSpec(spec: z.output<typeof fieldSpec>): FieldSpec {
  if (typeof spec === 'string' || Array.isArray(spec)) return { column: spec, otherwise: 'skip' };
  return spec;
}

export function columnList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}
