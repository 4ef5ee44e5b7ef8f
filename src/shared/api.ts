/**
 * The one contract between the renderer and the app. Every call the renderer can make is declared
 * here with a runtime schema for its input; main (IPC), the web preview (HTTP) and the preload all
 * derive their types from this object, so a call cannot exist in one transport and not the other.
 */
import { z } from 'zod';
import type { AccountRow, AppStatus, Page } from './dto/core.ts';
import type { ApiEvent } from './events.ts';
import {
  userPreferencesPatchSchema,
  type BackupCreated,
  type BackupsOverview,
  type PreferencesView,
  type RestoreOutcome,
} from './dto/desktop.ts';
import type {
  EmlFile,
  LintResult,
  LoggedTouch,
  OutreachDraft,
  OutreachCatalog,
  OutreachSettingsDto,
  TemplateDetail,
  TemplatePreview,
  TemplateSummary,
  LintWarning,
} from './dto/outreach.ts';
import {
  interventionSchemas,
  type EvaluationSummaryDto,
  type ExportResult,
  type ImportOutcomesResult,
  type InterventionListResult,
  type InterventionListRow,
  type InterventionRow,
  type OutcomeReport,
  type SetStatusResult,
  type TriggerOutcomeSettingsDto,
} from './dto/interventions.ts';
import {
  syncSchemas,
  type AccountAlias,
  type ChooseResult,
  type PresetSummary,
  type ImportResult,
  type QuarantineExport,
  type QuarantinePage,
  type RetryResult,
  type RunRow,
  type SourceView,
  type SyncOverview,
  type RefusedRow,
  type SyncResult,
  type UploadStarted,
} from './dto/sync.ts';
import {
  BANDS,
  CONFIG_NOTE_MAX,
  RISK_SORT_COLUMNS,
  type AccountRisk,
  type RescoreResult,
  type RiskFacets,
  type RiskItemDto,
  type RiskListPage,
  type ScoreConfigDto,
  type ScoreQuality,
} from './dto/risk.ts';
import { activitySchemas, type ActivityRow } from './dto/activities.ts';
import { successPlanSchemas, type AccountGoal, type AccountNote } from './dto/success-plan.ts';
import { renewalSchemas, type RenewalsReport } from './dto/renewals.ts';
import { gridSchemas, type GridPage } from './dto/accounts-grid.ts';
import { viewSchemas, type SavedView } from './dto/views.ts';
import { CLOSE_REASON_MAX, snoozeReason } from './dto/snooze.ts';
import { mailSchemas, type FlushResult, type MailRow, type SmtpSettingsView } from './dto/mail.ts';
import {
  playbookSchemas,
  ruleSendSchemas,
  taskSchemas,
  type PlaybookTask,
  type TaskPage,
  type PlaybookView,
  type RuleSendRun,
  type RuleSendSettings,
} from './dto/playbooks.ts';
import type { ApiResult } from './result.ts';

export type { ApiResult, ApiError } from './result.ts';
export type { ApiEvent } from './events.ts';

/** Pairs an input schema with the TypeScript type of the value the call resolves to. */
const returns =
  <Output>() =>
  <Input extends z.ZodType>(input: Input) => ({ input, output: undefined as unknown as Output });

const empty = z.object({}).strict();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2026-12-14');
/** The day an evaluation is made as of; today when omitted. */
const asOf = isoDate.meta({ title: 'as-of date' }).optional();
const id = z.string().min(1).max(200);
const paging = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).meta({ title: 'number of rows' }).default(100),
};

export const schemas = { empty, isoDate, id, paging };

// Outreach input pieces, shared by several calls below.
const outreachChannel = z.enum(['email', 'in_app', 'sms', 'call']);
const touchFields = {
  accountId: id,
  triggerId: z.string().min(1).max(100),
  riskItemId: z.number().int().nullish(),
  templateId: z.string().max(200).nullish(),
  templateVersion: z.number().int().min(1).nullish(),
  channel: outreachChannel,
  to: z.string().max(400).nullish(),
  subject: z.string().max(2_000).nullish(),
};
const messageSubject = z.string().max(2_000).meta({ title: 'subject' });
const messageBody = z.string().max(50_000).meta({ title: 'message body' });
const templateFields = {
  name: z.string().max(120).meta({ title: 'template name' }).default(''),
  triggerId: z.string().max(100).nullable(),
  channel: outreachChannel,
  subject: z.string().max(2_000).meta({ title: 'template subject' }).nullish(),
  body: z.string().max(50_000).meta({ title: 'template body' }),
};

export const apiContract = {
  // --- core ---
  'app.status': returns<AppStatus>()(empty),
  'demo.load': returns<AppStatus>()(
    z
      .object({ accounts: z.number().int().min(1).max(50_000).default(400), seed: z.number().int().default(42) })
      .strict(),
  ),
  'demo.clear': returns<AppStatus>()(empty),
  'accounts.list': returns<Page<AccountRow>>()(
    z.object({ search: z.string().max(200).default(''), ...paging }).strict(),
  ),
  /** A failure in the renderer (a crashed screen, an uncaught error), written with its stack to the app's log. */
  'app.reportError': returns<{ logged: true }>()(
    z
      .object({
        source: z.enum(['boundary', 'error', 'unhandledrejection']),
        message: z.string().max(2_000),
        stack: z.string().max(20_000).nullish(),
        componentStack: z.string().max(20_000).nullish(),
        /** The screen's route, e.g. "#/accounts/acc_1". */
        screen: z.string().max(500).nullish(),
      })
      .strict(),
  ),

  // --- sync ---
  'sync.overview': returns<SyncOverview>()(syncSchemas.overview),
  'sync.sources.save': returns<SourceView>()(syncSchemas.saveSource),
  'sync.sources.remove': returns<{ removed: string }>()(syncSchemas.removeSource),
  'sync.sources.resolveRefused': returns<RefusedRow>()(syncSchemas.resolveRefused),
  'sync.run': returns<SyncResult>()(syncSchemas.run),
  'sync.import.choose': returns<ChooseResult>()(syncSchemas.choose),
  'sync.upload.begin': returns<UploadStarted>()(syncSchemas.uploadBegin),
  'sync.upload.chunk': returns<{ received: number }>()(syncSchemas.uploadChunk),
  'sync.upload.finish': returns<ImportResult>()(syncSchemas.uploadFinish),
  'sync.upload.cancel': returns<{ cancelled: boolean }>()(syncSchemas.uploadCancel),
  'sync.runs.list': returns<Page<RunRow>>()(syncSchemas.runs),
  'sync.quarantine.list': returns<QuarantinePage>()(syncSchemas.quarantineList),
  'sync.quarantine.export': returns<QuarantineExport>()(syncSchemas.quarantineExport),
  'sync.quarantine.retry': returns<RetryResult>()(syncSchemas.quarantineRetry),
  'sync.quarantine.discard': returns<{ discarded: number }>()(syncSchemas.quarantineDiscard),
  'sync.presets.list': returns<{ folder: string; presets: PresetSummary[]; problems: string[] }>()(
    syncSchemas.presetsList,
  ),
  'sync.aliases.list': returns<AccountAlias[]>()(syncSchemas.aliasesList),
  'sync.aliases.set': returns<AccountAlias[]>()(syncSchemas.aliasSet),
  'sync.aliases.remove': returns<{ removed: boolean }>()(syncSchemas.aliasRemove),

  // --- risk ---
  'risk.list': returns<RiskListPage>()(
    z
      .object({
        asOf,
        /** 'all', 'me' (the owner set with risk.me.set) or an owner email. */
        owner: z.string().max(320).default('all'),
        segment: z.string().max(200).nullish(),
        band: z.enum(BANDS).nullish(),
        trigger: z.string().max(100).nullish(),
        search: z.string().max(200).default(''),
        sort: z.enum(RISK_SORT_COLUMNS).default('rank'),
        direction: z.enum(['asc', 'desc']).default('asc'),
        ...paging,
      })
      .strict(),
  ),
  'risk.facets': returns<RiskFacets>()(z.object({ asOf }).strict()),
  'risk.account': returns<AccountRisk>()(z.object({ accountId: id, asOf }).strict()),
  'risk.item.start': returns<RiskItemDto>()(z.object({ itemId: z.number().int().min(1) }).strict()),
  'risk.item.snooze': returns<RiskItemDto>()(
    z
      .object({
        itemId: z.number().int().min(1),
        until: isoDate.meta({ title: 'snooze end date' }),
        reason: snoozeReason,
      })
      .strict(),
  ),
  'risk.item.unsnooze': returns<RiskItemDto>()(z.object({ itemId: z.number().int().min(1) }).strict()),
  'risk.item.dismiss': returns<RiskItemDto>()(
    z
      .object({
        itemId: z.number().int().min(1),
        reason: z.string().max(CLOSE_REASON_MAX).meta({ title: 'reason' }).nullish(),
      })
      .strict(),
  ),
  'risk.item.resolve': returns<RiskItemDto>()(
    z
      .object({
        itemId: z.number().int().min(1),
        reason: z.string().max(CLOSE_REASON_MAX).meta({ title: 'reason' }).nullish(),
      })
      .strict(),
  ),
  'risk.me.get': returns<{ ownerEmail: string | null }>()(empty),
  'risk.me.set': returns<{ ownerEmail: string | null }>()(
    z.object({ ownerEmail: z.string().trim().max(320).nullable() }).strict(),
  ),
  'risk.config.get': returns<ScoreConfigDto>()(empty),
  'risk.config.save': returns<ScoreConfigDto>()(
    z.object({ config: z.record(z.string(), z.unknown()), note: z.string().max(CONFIG_NOTE_MAX).nullish() }).strict(),
  ),
  'risk.quality': returns<ScoreQuality>()(empty),
  'risk.rescore': returns<RescoreResult>()(z.object({ asOf }).strict()),

  // --- outreach ---
  /** A ready draft for one account: trigger, recipient, template, guard decision, rendered text and lint. */
  'outreach.draft': returns<OutreachDraft>()(
    z
      .object({
        accountId: id,
        triggerId: z.string().max(100).nullish(),
        riskItemId: z.number().int().nullish(),
        templateId: z.string().max(200).nullish(),
        channel: outreachChannel.nullish(),
        /** The CSM's locale, for dates in the guard's explanations. */
        locale: z.string().max(35).nullish(),
      })
      .strict(),
  ),
  /** Lints text as typed in the composer; accountId lets the check require the sender's name. */
  'outreach.lint': returns<LintResult>()(
    z
      .object({
        channel: outreachChannel,
        subject: messageSubject.nullish(),
        body: messageBody,
        accountId: id.nullish(),
      })
      .strict(),
  ),
  /** The mailto: URL; `fits` is false when it is too long for mail clients to accept. */
  'outreach.mailto': returns<{ url: string; fits: boolean }>()(
    z.object({ to: z.string().max(320).nullish(), subject: messageSubject, body: messageBody }).strict(),
  ),
  /** Builds the draft as an .eml file: saved through the native dialog in the app, returned for download in the web preview. */
  'outreach.eml': returns<EmlFile>()(
    z
      .object({
        accountId: id,
        to: z
          .object({ name: z.string().max(200).nullish(), email: z.string().email().max(320) })
          .strict()
          .nullish(),
        subject: messageSubject,
        body: messageBody,
        label: z.string().max(100).default('draft'),
      })
      .strict(),
  ),
  /** "Mark as sent": records the touch as a sent intervention. Refused for control-group accounts and over the fatigue cap. */
  'outreach.markSent': returns<LoggedTouch>()(z.object(touchFields).strict()),
  /** Records the touch as planned for `plannedAt` (e.g. the start of the customer's working hours). */
  'outreach.schedule': returns<LoggedTouch>()(
    z.object({ ...touchFields, plannedAt: z.string().min(10).max(40) }).strict(),
  ),
  /** The vocabulary the composer and template editor need: tokens, triggers and channel length limits. */
  'outreach.catalog': returns<OutreachCatalog>()(empty),
  'outreach.templates.list': returns<TemplateSummary[]>()(
    z
      .object({
        triggerId: z.string().max(100).nullish(),
        channel: outreachChannel.nullish(),
        includeArchived: z.boolean().default(false),
      })
      .strict(),
  ),
  'outreach.templates.get': returns<TemplateDetail>()(z.object({ templateId: id }).strict()),
  /** Renders and lints a template being edited, against a real account or the sample one. */
  'outreach.templates.preview': returns<TemplatePreview>()(
    z.object({ ...templateFields, accountId: id.nullish() }).strict(),
  ),
  /** Refuses unknown tokens; refuses lint warnings unless acknowledgeWarnings. Saving an existing template adds a version. */
  'outreach.templates.save': returns<{ template: TemplateDetail; warnings: LintWarning[] }>()(
    z
      .object({
        ...templateFields,
        name: z.string().trim().min(1, 'a template needs a name').max(120).meta({ title: 'template name' }),
        templateId: id.nullish(),
        basedOn: id.nullish(),
        acknowledgeWarnings: z.boolean().default(false),
      })
      .strict(),
  ),
  'outreach.templates.archive': returns<{ archived: true }>()(z.object({ templateId: id }).strict()),
  'outreach.settings.get': returns<OutreachSettingsDto>()(empty),
  'outreach.settings.save': returns<OutreachSettingsDto>()(
    z
      .object({
        fatigue: z.object({ maxTouches: z.number().int(), windowDays: z.number().int() }).partial().strict().optional(),
        activeHours: z
          .object({
            start: z.string(),
            end: z.string(),
            weekdays: z.array(z.number().int()),
            channels: z.array(outreachChannel),
            fallbackTimeZone: z.string(),
          })
          .partial()
          .strict()
          .optional(),
        links: z.record(z.string(), z.string().max(500)).optional(),
        senders: z
          .record(
            z.string(),
            z
              .object({ name: z.string().max(120), phone: z.string().max(40), bookingLink: z.string().max(500) })
              .partial()
              .strict(),
          )
          .optional(),
      })
      .strict(),
  ),

  // --- interventions ---
  /** Interventions with their outcome, newest first, filtered; counts per status under the same filters. */
  'interventions.list': returns<InterventionListResult>()(interventionSchemas.list),
  /** Logs a touch. Refused (HOLDOUT) for a control-group account unless force; a forced one is left out of uplift. */
  'interventions.log': returns<InterventionRow>()(interventionSchemas.log),
  /** Bulk status change. succeeded/failed/expired by hand are overrides and need a note; "sent" hands a decision back to the evaluation. */
  'interventions.setStatus': returns<SetStatusResult>()(interventionSchemas.setStatus),
  /** The customer-effort rating (1–7) of the reply, and notes. */
  'interventions.update': returns<InterventionListRow>()(interventionSchemas.update),
  'interventions.heldOut': returns<{ heldOut: boolean; share: number }>()(interventionSchemas.heldOut),
  'outcomes.report': returns<OutcomeReport>()(interventionSchemas.report),
  /** Evaluates every success criterion now (it also runs after each import or sync and on a new day). */
  'outcomes.evaluate': returns<EvaluationSummaryDto>()(empty),
  /** Saved through the native dialog in the app; returned as base64 for a download in the web preview. */
  'outcomes.export': returns<ExportResult>()(interventionSchemas.export),
  /** Team-lead merge of other CSMs' exported files (CSV or XLSX), de-duplicated by record id. */
  'outcomes.import': returns<ImportOutcomesResult>()(interventionSchemas.import),
  'outcomes.clearImported': returns<{ removed: number }>()(empty),
  'outcomes.settings': returns<TriggerOutcomeSettingsDto[]>()(empty),
  'outcomes.saveSettings': returns<TriggerOutcomeSettingsDto[]>()(interventionSchemas.saveSettings),

  // --- the CSM's day (issue 17) ---
  /** Logs a call, meeting, email or note; all but a note count as a CSM touch and rescore the account. */
  'activities.add': returns<ActivityRow>()(activitySchemas.add),
  'activities.list': returns<ActivityRow[]>()(activitySchemas.list),
  /** Account notes (newest first) and the success plan's goals (open ones by target day, then closed). */
  'notes.list': returns<AccountNote[]>()(successPlanSchemas.notesList),
  'notes.add': returns<AccountNote>()(successPlanSchemas.noteAdd),
  'notes.edit': returns<AccountNote>()(successPlanSchemas.noteEdit),
  'notes.remove': returns<AccountNote>()(successPlanSchemas.noteRemove),
  'goals.list': returns<AccountGoal[]>()(successPlanSchemas.goalsList),
  'goals.add': returns<AccountGoal>()(successPlanSchemas.goalAdd),
  'goals.edit': returns<AccountGoal>()(successPlanSchemas.goalEdit),
  'goals.remove': returns<AccountGoal>()(successPlanSchemas.goalRemove),
  /** Overdue renewals first, then those within withinDays, with health, P(churn) and ARR expected to renew. */
  'renewals.list': returns<RenewalsReport>()(renewalSchemas.list),
  /** Accounts with health, band, trend, P(churn), ARR sorted in USD, renewal, last touch and data age. */
  'accounts.grid': returns<GridPage>()(gridSchemas.list),
  /** The grid's current view (filters, sort, columns) as CSV or XLSX. */
  'accounts.export': returns<ExportResult>()(gridSchemas.export),
  /** Named views of a screen (its URL query), stored locally; each call returns the screen's views. */
  'views.list': returns<SavedView[]>()(viewSchemas.list),
  'views.save': returns<SavedView[]>()(viewSchemas.save),
  'views.rename': returns<SavedView[]>()(viewSchemas.rename),
  'views.remove': returns<SavedView[]>()(viewSchemas.remove),
  /** Email through the user's SMTP server to contacts of the account (To/CC); queued while offline. */
  'mail.send': returns<{ mail: MailRow; flushed: FlushResult }>()(mailSchemas.send),
  'mail.list': returns<MailRow[]>()(mailSchemas.list),
  /** Tries the queued mail now (it is also tried on every background tick and on reconnect). */
  'mail.flush': returns<FlushResult>()(empty),
  /** Puts a failed or unknown message back in the queue (same Message-ID) and tries it now. */
  'mail.retry': returns<{ mail: MailRow; flushed: FlushResult }>()(mailSchemas.one),
  /** Cancels a message that is still queued. */
  'mail.cancel': returns<MailRow>()(mailSchemas.one),
  'mail.settings.get': returns<SmtpSettingsView>()(empty),
  'mail.settings.save': returns<SmtpSettingsView>()(mailSchemas.saveSettings),

  // --- playbooks and their tasks (issue 17 item 2) ---
  /** Each trigger's playbook in effect (the user's copy or the default). */
  'playbooks.list': returns<PlaybookView[]>()(empty),
  'playbooks.save': returns<PlaybookView>()(playbookSchemas.save),
  'playbooks.reset': returns<PlaybookView>()(playbookSchemas.reset),
  /** Checklist tasks: of an account or item, or those due today (`due: 'today'`). */
  'tasks.list': returns<TaskPage>()(taskSchemas.list),
  'tasks.done': returns<PlaybookTask>()(taskSchemas.done),
  /** Skipping needs a note saying why. */
  'tasks.skip': returns<PlaybookTask>()(taskSchemas.skip),
  /** A tier-2 step: renders its template, sends it through SMTP (queued while offline), logs it. */
  'tasks.approve': returns<{ task: PlaybookTask; mail: MailRow; flushed: FlushResult }>()(taskSchemas.act),
  /** A tier-1 step: logged as an in-app intervention that the feed outbox hands to the product. */
  'tasks.handToProduct': returns<PlaybookTask>()(taskSchemas.act),
  /** The kill switch over tier-2 steps sent by rule (on unless switched off). */
  'playbooks.rules.get': returns<RuleSendSettings>()(empty),
  'playbooks.rules.save': returns<RuleSendSettings>()(ruleSendSchemas.save),
  /** Queues the rule steps that may go now and sends the queue (the background tick does the same). */
  'tasks.runDue': returns<{ run: RuleSendRun; flushed: FlushResult }>()(empty),

  // --- desktop ---
  'backups.list': returns<BackupsOverview>()(empty),
  'backups.create': returns<BackupCreated>()(empty),
  /** A backup from the backups folder by file name, or one the user picks in a native dialog (null if cancelled). */
  'backups.restore': returns<RestoreOutcome | null>()(
    z.union([
      z
        .object({
          id: z
            .string()
            .min(1)
            .max(200)
            .regex(/^[^/\\]+$/, 'expected a backup file name'),
        })
        .strict(),
      z.object({ fromFile: z.literal(true) }).strict(),
    ]),
  ),
  'preferences.get': returns<PreferencesView>()(empty),
  'preferences.set': returns<PreferencesView>()(userPreferencesPatchSchema),
} as const;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
export type ApiInput<M extends ApiMethod> = z.input<ApiContract[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<ApiContract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = ApiContract[M]['output'];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiContract, name);
}

/** What the preload exposes as `window.foresight`, and what the HTTP client implements. */
export interface ForesightApi {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiResult<ApiOutput<M>>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Which transport is in use; the web preview cannot show native dialogs. */
  readonly transport: 'ipc' | 'http';
}

/** IPC channel names, shared by main and preload (in a zod-free module the sandboxed preload can bundle). */
export { IPC_CALL, IPC_EVENT } from './ipc-channels.ts';
