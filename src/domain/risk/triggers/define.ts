/**
 * The shape of a trigger module. Everything about one trigger lives in its own file
 * (`triggers/<id>.ts`): what it is called, whether it is a risk or an opportunity, its parameters
 * with their defaults (a zod schema), how far back it reads, the check, the facts it records, how
 * an intervention on it is judged, and its evidence in words for the CSM and for the customer.
 * The catalog, the scoring windows, outreach evidence and the default success criteria are all
 * derived from these modules (`index.ts` lists them), so nothing here is restated elsewhere.
 */
import { z } from 'zod';
import type { Band, TriggerTier } from '../../../shared/dto/risk.ts';
import type { AccountBundle } from '../bundle.ts';

export type { Band } from '../../../shared/dto/risk.ts';
export type Tier = TriggerTier;
/** 1 is the most urgent. */
export type Priority = 1 | 2 | 3 | 4 | 5;
/** An opportunity (an upgrade, a milestone) opens an item but never counts as a risk of loss. */
export type TriggerKind = 'risk' | 'opportunity';

/** How an intervention on a trigger is judged. Windows are in days from the firing or the touch. */
export type SuccessCriterion =
  | { kind: 'event_within'; event: string; days: number }
  | { kind: 'metric_positive_within'; metric: string; days: number }
  | { kind: 'contact_login_within'; days: number }
  | {
      kind: 'metric_recovers';
      metric: string;
      fallbackMetric?: string;
      windowDays: number;
      share: number;
      days: number;
    }
  | { kind: 'utilisation_at_least'; share: number; days: number }
  | { kind: 'event_by_renewal'; event: string; graceDays: number }
  | { kind: 'tickets_back_to_baseline'; days: number }
  | { kind: 'nps_at_least'; score: number; days: number }
  | { kind: 'latency_back_to_norm'; share: number; days: number };

/** One account on one day, as every check sees it. */
export interface TriggerContext {
  bundle: AccountBundle;
  day: number;
  band: Band | null;
  score: number | null;
  /** The component costing the most points today, for the renewal evidence. */
  weakest?: { label: string; score: number } | null;
}

/** What a check sees besides the account: the effective params of another trigger it builds on. */
export interface CheckContext extends TriggerContext {
  paramsOf<P>(module: TriggerModule<P>): P;
}

/** The evidence placeholders a customer-facing template can use ({{evidence.summary}} and friends). */
export interface CustomerEvidence {
  summary: string;
  count: string;
  date: string;
  percent: string;
  person: string;
}

export const NO_EVIDENCE: CustomerEvidence = { summary: '', count: '', date: '', percent: '', person: '' };

/** What the customer wording may know about the account besides the trigger's facts. */
export interface CustomerContext {
  locale: string | null;
  seatsPurchased: number | null;
  renewalDate: string | null;
  createdAt: string | null;
  /** Contact ids to first names, to name a person the facts refer to by id. */
  contactNames: ReadonlyMap<string, string>;
}

export interface CheckOutcome<F> {
  fired: boolean;
  /** The CSM's evidence when fired, the current state otherwise. Built only when someone reads it. */
  text: () => string;
  /** Empty when the check had nothing to measure. */
  facts: Partial<F>;
}

/** How many days of history a check reads back from the as-of day, for metrics and for events. */
export interface Lookback {
  metricDays?: number;
  eventDays?: number;
}

export interface TriggerModule<P = Record<string, number>, F = Record<string, unknown>, Id extends string = string> {
  id: Id;
  label: string;
  /** One line a CSM reads in a tooltip. */
  description: string;
  kind: TriggerKind;
  tier: Tier;
  priority: Priority;
  /** The params, each with its default: `params.parse({})` is the defaults. */
  params: z.ZodType<P>;
  /** The facts a firing records (stored in risk_items.facts_json, read by outreach and interventions). */
  facts: z.ZodObject;
  /**
   * Metrics and event types the check reads that the scoring components do not, so the loader
   * fetches them (it skips every other type in SQL).
   */
  reads?: { metrics?: readonly string[]; events?: readonly string[] };
  /**
   * Event types whose absence the check reads as a signal ("setup not completed", "no ticket and
   * no touch"). Until the book holds at least one event of these types on the day, the check
   * waits and does not fire: a book imported a file at a time, or one whose source never sends
   * them, is not thereby at risk (issue 16). Checks that fire only on data present need none.
   */
  needs?: { events: readonly string[] };
  lookback(params: P): Lookback;
  check(ctx: CheckContext, params: P): CheckOutcome<F>;
  /** The default success criterion; Settings → Outcomes may override it per trigger. */
  success: SuccessCriterion;
  successDescription: string;
  /** Share of firings held out as the control group, 0 to 1. */
  holdoutShare: number;
  /** The evidence in the customer's words: never a metric name, and the windows from the facts or params. */
  customer(facts: Partial<F>, params: P, ctx: CustomerContext): CustomerEvidence;
}

export const DEFAULT_HOLDOUT_SHARE = 0.1;

// Built once and shared (zod schemas are immutable): each chained call builds a schema, and the
// ~50 params of the modules, built at import, were a few ms of every one-shot `foresight account`.
const DAYS = z.number().int().min(1).max(3650);
const SHARE = z.number().min(0).max(10);
const COUNT = z.number().min(0).max(1_000_000);

/** Param schema builders: a window in days, a share or multiple, a count. Each carries its default. */
export const param = {
  days: (value: number) => DAYS.default(value),
  share: (value: number) => SHARE.default(value),
  count: (value: number) => COUNT.default(value),
};

/** Nullable fields a facts schema uses over and over. */
export const fact = {
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}/),
  number: z.number().finite(),
  text: z.string(),
};

/**
 * The facts stored for an item, read back with the trigger's schema one field at a time: a field
 * that is missing or has the wrong type (an older release, an edited file) is left out, the rest
 * is kept, so the wording falls back for that field alone.
 */
export function readFacts<F>(module: TriggerModule<unknown, F>, raw: Record<string, unknown>): Partial<F> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(module.facts.shape)) {
    if (!(key in raw)) continue;
    const parsed = (schema as z.ZodType).safeParse(raw[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as Partial<F>;
}

/**
 * The defaults of a module's params. Parsed without zod's compiled fast path (jitless), which
 * generates and compiles a function per schema on its first parse: worth it for a schema parsed
 * many times, not for these, parsed once each at start-up (the catalog).
 */
export function defaultParams<P>(module: TriggerModule<P>): P {
  return module.params.parse({}, { jitless: true });
}
