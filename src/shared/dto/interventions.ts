/** Data shapes and input schemas of the interventions and outcomes calls. Plain JSON; the renderer imports these. */
import { z } from 'zod';

export const INTERVENTION_CHANNELS = ['email', 'in_app', 'sms', 'call', 'other'] as const;
export type InterventionChannel = (typeof INTERVENTION_CHANNELS)[number];

export const INTERVENTION_STATUSES = ['planned', 'sent', 'succeeded', 'failed', 'expired'] as const;
export type InterventionStatus = (typeof INTERVENTION_STATUSES)[number];

/** Statuses that close an intervention; setting one by hand is an override and needs a note. */
export const OUTCOME_STATUSES = ['succeeded', 'failed', 'expired'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export const OUTCOME_GROUPINGS = ['trigger', 'template', 'channel', 'owner', 'month'] as const;
export type OutcomeGrouping = (typeof OUTCOME_GROUPINGS)[number];

/** One row of the interventions table, as stored (booleans as booleans). */
export interface InterventionRow {
  intervention_id: string;
  account_id: string;
  risk_item_id: number | null;
  trigger_id: string;
  template_id: string | null;
  template_version: number | null;
  channel: InterventionChannel;
  owner_email: string | null;
  status: InterventionStatus;
  planned_at: string | null;
  sent_at: string | null;
  notes: string | null;
  effort_rating: number | null;
  /** When the customer replied to this touch (logged on it), or null. */
  replied_at: string | null;
  /** Logged with force past the contact-fatigue cap (recorded so the override stays visible). */
  fatigue_override: boolean;
  /** Logged with force against a control-group account: kept, but left out of uplift. */
  excluded_from_uplift: boolean;
  /** The account was in the control group for this trigger when the intervention was logged. */
  holdout: boolean;
  created_at: string;
  updated_at: string;
}

/** An intervention with its account and its evaluated outcome, for lists and exports. */
export interface InterventionListRow extends InterventionRow {
  account_name: string;
  /** The name of the template (at the version used), kept after the template is deleted; null if none. */
  template_name: string | null;
  arr: number;
  currency: string;
  trigger_label: string;
  /** The first day of the success window (the day the intervention was sent). */
  start_on: string | null;
  /** The last day of the success window: the outcome is final the day after. */
  due_on: string | null;
  outcome_on: string | null;
  days_to_success: number | null;
  evidence: string | null;
  /** The status was set by a person (with manual_note), not by the evaluation. */
  manual: boolean;
  manual_note: string | null;
  evaluated_on: string | null;
  /**
   * When the customer replied: logged on the intervention, else (in lists) the first
   * `reply_received` event within 14 days of sending; null when no reply is known.
   */
  reply_at: string | null;
  /** Where `reply_at` comes from. */
  reply_source: 'logged' | 'event' | null;
}

export interface InterventionListResult {
  rows: InterventionListRow[];
  total: number;
  offset: number;
  counts: Record<InterventionStatus, number>;
  /**
   * Colleagues' interventions merged into this book (their files, or the team hub): they count in
   * the outcome report but are not listed here, where only this book's own interventions are.
   */
  merged: number;
}

export interface SetStatusResult {
  updated: number;
  unchanged: number;
  rows: InterventionListRow[];
}

export interface Proportion {
  n: number;
  succeeded: number;
  success_rate: number | null;
  /** 95% Wilson score interval of the success rate; null when n is 0. */
  ci_low: number | null;
  ci_high: number | null;
}

export interface Uplift {
  value: number;
  ci_low: number;
  ci_high: number;
}

/** A 95% interval around an amount of money (the incremental ARR). */
export interface MoneyInterval {
  value: number;
  ci_low: number;
  ci_high: number;
}

/** How many more decided outcomes would let a 10-point difference show (80% power, 5% two-sided). */
export interface PowerHint {
  difference: number;
  needed_per_group: number;
  more_treated: number;
  more_control: number;
}

/**
 * Intention to treat for one row of the report (see docs/interventions.md): every firing that was
 * not held out ("eligible", contacted or not) against every held-out firing, both judged from the
 * firing day over the same window.
 */
export interface RowComparison {
  /** The eligible firings (not held out), one per account episode, whether or not a touch went out. */
  treated: Proportion;
  control: Proportion;
  /**
   * Eligible minus control success rate with its 95% interval; null when it cannot be measured.
   * Within one stratum: the plain difference (Newcombe). Across several: Mantel–Haenszel weights,
   * stratified by book × play × firing month.
   */
  uplift: Uplift | null;
  /** Why uplift is null, in one sentence, or null. */
  uplift_note: string | null;
  uplift_method: 'newcombe' | 'mantel_haenszel';
  /** Plays (triggers) with both groups decided. */
  plays_compared: number;
  /** Strata (book × play × firing month) with both groups decided: the uplift compares within each. */
  strata_compared: number;
  /** Decided eligible firings that a touch actually reached. */
  contacted: number;
  /** The uplift per contacted account: uplift ÷ (contacted ÷ eligible), or null. */
  per_contacted: Uplift | null;
  /**
   * Decided held-out firings whose account got a touch for another play inside the episode's
   * window (the holdout is per play). They stay in the control group (intention to treat), which
   * tends to shrink the measured uplift; the report says how many.
   */
  control_contacted: number;
  /** No held-out firing at all: the uplift cannot be measured, however long one waits. */
  no_control: boolean;
  /** Decided treated episodes whose status a person set by hand. */
  overrides: number;
  /** Always false: the uplift judges every firing from the data, so hand-set verdicts never count in it. */
  overrides_included: boolean;
  /** ARR of the eligible firings in the compared strata. */
  treated_arr: number;
  /** ARR retained because of outreach: Σ over strata of the stratum's uplift × its eligible ARR. */
  incremental_arr: MoneyInterval | null;
  power: PowerHint;
}

export interface OutcomeRow extends RowComparison {
  key: string;
  label: string;
  n: number;
  succeeded: number;
  failed: number;
  expired: number;
  /** Not decided yet: the tally's "open" part (src/shared/intervention-tally.ts), so the four add up to n. */
  pending: number;
  /** succeeded / (succeeded + failed); expired and pending are left out. */
  success_rate: number | null;
  median_days_to_success: number | null;
  /** Gross: ARR of the accounts whose play succeeded, whether or not outreach caused it. */
  arr_retained: number;
  currency: string;
  mean_effort: number | null;
  /** Share of sent messages with a known reply status that got a reply. */
  response_rate: number | null;
}

export interface RetentionComparison {
  trigger_id: string;
  label: string;
  treated: { n: number; retained: number; rate: number | null; tickets_n: number; tickets_per_account: number | null };
  control: { n: number; retained: number; rate: number | null; tickets_n: number; tickets_per_account: number | null };
  retention_uplift: Uplift | null;
}

/** Inbound tickets per active account in one 30-day period after the start. */
export interface DeflectionPeriod {
  period: string;
  treated: { accounts: number; per_account: number | null };
  /** Standardised to the treated group's mix of plays. */
  control: { accounts: number; per_account: number | null };
}

export interface ResponseRate {
  /**
   * Sent proactive messages whose reply window (14 days) has passed, so whether they got a reply is
   * known (logged, or a reply_received event).
   */
  sent: number;
  replied: number;
  rate: number | null;
  /** Messages sent within the reply window: left out until it has passed, replied or not. */
  waiting: number;
}

export interface ResolutionTimes {
  /** Days from the start to success of triggered outreach. */
  outreach: { n: number; median_days: number | null };
  /** Days from ticket_opened to its ticket_closed (oldest open first), for the same accounts' inbound tickets. */
  tickets: { n: number; median_days: number | null };
}

export interface OutcomeReport {
  as_of: string;
  by: OutcomeGrouping;
  from: string | null;
  to: string | null;
  /** The smallest treated and control group for which uplift is shown. */
  min_group_size: number;
  rows: OutcomeRow[];
  totals: OutcomeRow;
  comparisons: RetentionComparison[];
  /** Days to success of every succeeded treated intervention, for the distribution chart. */
  days_to_success: number[];
  /** ARR of succeeded interventions by month of success. */
  arr_by_month: { month: string; arr: number }[];
  imported_rows: number;
  /** Whether manual overrides count in the uplift (the report's switch). */
  include_overrides: boolean;
  /** Inbound tickets per active account after the start, treated vs control. */
  deflection: DeflectionPeriod[];
  response: ResponseRate;
  /** Null for a report built from merged files alone (no events to read). */
  resolution: ResolutionTimes | null;
}

export interface ExportResult {
  format: 'csv' | 'xlsx';
  filename: string;
  rows: number;
  /** Where the desktop app saved it; null in the web preview or when the dialog was cancelled. */
  path: string | null;
  saved: boolean;
  /** The file itself, base64, when there is no native save dialog (web preview). */
  base64: string | null;
  mime: string;
}

export interface ImportOutcomesResult {
  files: {
    file: string;
    rows: number;
    added: number;
    updated: number;
    unchanged: number;
    /** Rows judged earlier than the ones already merged: the newer verdicts were kept. */
    older: number;
    rejected: { line: number; reason: string }[];
  }[];
  added: number;
  updated: number;
  unchanged: number;
  older: number;
  rejected: number;
}

export interface EvaluationSummaryDto {
  asOf: string;
  interventions: { evaluated: number; changed: number; statusChanged: number };
  control: { evaluated: number; changed: number };
}

/** A trigger's success criterion (JSON, as in the catalog) and holdout share, with its defaults. */
export interface TriggerOutcomeSettingsDto {
  trigger_id: string;
  label: string;
  success: Record<string, unknown> & { kind: string };
  success_description: string;
  holdout_share: number;
  default_success_description: string;
  default_holdout_share: number;
  overridden: { success: boolean; holdout_share: boolean };
}

// --- input schemas (used by src/shared/api.ts) ---

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const text = (max: number) => z.string().max(max);

/** The longest note on an intervention (its notes, and the reason for a verdict set by hand), everywhere. */
export const MAX_NOTE_LENGTH = 2000;
const note = text(MAX_NOTE_LENGTH);
const days = z.number().int().min(1).max(730);
const share = z.number().min(0).max(1);

/** The success criteria a trigger can use (see SuccessCriterion in src/domain/risk/catalog.ts). */
export const successCriterionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event_within'), event: text(60).regex(/^[a-z][a-z0-9_]*$/), days }).strict(),
  z.object({ kind: z.literal('metric_positive_within'), metric: text(60).regex(/^[a-z][a-z0-9_]*$/), days }).strict(),
  z.object({ kind: z.literal('contact_login_within'), days }).strict(),
  z
    .object({
      kind: z.literal('metric_recovers'),
      metric: text(60).regex(/^[a-z][a-z0-9_]*$/),
      fallbackMetric: text(60)
        .regex(/^[a-z][a-z0-9_]*$/)
        .optional(),
      windowDays: days,
      share: z.number().min(0).max(10),
      days,
    })
    .strict(),
  z.object({ kind: z.literal('utilisation_at_least'), share, days }).strict(),
  z
    .object({
      kind: z.literal('event_by_renewal'),
      event: text(60).regex(/^[a-z][a-z0-9_]*$/),
      graceDays: z.number().int().min(0).max(365),
    })
    .strict(),
  z.object({ kind: z.literal('tickets_back_to_baseline'), days }).strict(),
  z.object({ kind: z.literal('nps_at_least'), score: z.number().int().min(0).max(10), days }).strict(),
  z.object({ kind: z.literal('latency_back_to_norm'), share: z.number().min(1).max(10), days }).strict(),
]);

export const interventionSchemas = {
  list: z
    .object({
      status: z.enum(INTERVENTION_STATUSES).nullish(),
      triggerId: text(100).nullish(),
      channel: z.enum(INTERVENTION_CHANNELS).nullish(),
      ownerEmail: text(320).nullish(),
      accountId: text(200).nullish(),
      search: text(200).nullish(),
      from: day.nullish(),
      to: day.nullish(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    })
    .strict(),
  log: z
    .object({
      accountId: text(200).min(1),
      triggerId: text(100).min(1),
      riskItemId: z.number().int().nullish(),
      templateId: text(200).nullish(),
      templateVersion: z.number().int().min(1).nullish(),
      channel: z.enum(INTERVENTION_CHANNELS),
      ownerEmail: text(320).nullish(),
      status: z.enum(['planned', 'sent']).default('sent'),
      plannedAt: text(40).nullish(),
      sentAt: text(40).nullish(),
      notes: note.nullish(),
      effortRating: z.number().int().min(1).max(7).nullish(),
      repliedAt: text(40).nullish(),
      force: z.boolean().default(false),
    })
    .strict(),
  setStatus: z
    .object({
      ids: z.array(text(200).min(1)).min(1).max(1000),
      status: z.enum(INTERVENTION_STATUSES),
      note: note.nullish(),
    })
    .strict(),
  update: z
    .object({
      id: text(200).min(1),
      effortRating: z.number().int().min(1).max(7).nullish(),
      notes: note.nullish(),
      /** When the customer replied (an instant or a day); null clears it. */
      repliedAt: text(40).nullish(),
    })
    .strict(),
  heldOut: z.object({ accountId: text(200).min(1), triggerId: text(100).min(1), asOf: day.nullish() }).strict(),
  report: z
    .object({
      asOf: day.nullish(),
      by: z.enum(OUTCOME_GROUPINGS).default('trigger'),
      from: day.nullish(),
      to: day.nullish(),
      includeImported: z.boolean().default(true),
      /** Count manual overrides in the uplift (they are shown, and left out, by default). */
      includeOverrides: z.boolean().default(false),
    })
    .strict(),
  export: z
    .object({
      format: z.enum(['csv', 'xlsx']),
      asOf: day.nullish(),
      from: day.nullish(),
      to: day.nullish(),
      includeImported: z.boolean().default(true),
    })
    .strict(),
  import: z
    .object({
      /** Files uploaded from the renderer (web preview); without them the app opens a file dialog. */
      files: z
        .array(z.object({ name: text(260).min(1), base64: z.string().max(40_000_000) }).strict())
        .max(20)
        .optional(),
    })
    .strict(),
  saveSettings: z
    .object({
      triggerId: text(100).min(1),
      success: successCriterionSchema.nullish(),
      holdoutShare: share.nullish(),
    })
    .strict(),
};
