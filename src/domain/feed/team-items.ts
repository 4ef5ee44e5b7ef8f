/**
 * Storing one page of a pulled log kind (protocol 1.1): a colleague's item actions (logged, then
 * merged into the local risk items), interventions (kept as merged rows, so the local outcomes
 * count them) and activities (stored as activities and CSM touches, so the last touch and
 * `silent_churn` see a colleague's call). Each is idempotent by its id; an item that breaks the
 * shape is counted as rejected with "item N, field: reason" and the rest of the page is kept.
 */
import { z } from 'zod';
import type { RowError } from '../../shared/dto/sync.ts';
import { touchDetail } from '../activities/activities.ts';
import { activitiesRepo } from '../activities/repo.ts';
import { writeTouchEvent } from '../activities/touch.ts';
import { isIsoDay, toIsoInstant } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { accountsRepo } from '../db/repos/accounts.ts';
import type { OutcomeFact } from '../interventions/facts.ts';
import { importedRepo } from '../interventions/imported-repo.ts';
import { applyEpisode } from '../item-actions/merge.ts';
import { itemActionsRepo, ITEM_ACTIONS } from '../item-actions/repo.ts';
import type { AccountIdSet } from '../ingest/counts.ts';
import { teamRepo, type LogKind } from './team-repo.ts';

const instant = z
  .string()
  .transform(
    (value, ctx) =>
      toIsoInstant(value) ??
      (ctx.addIssue({ code: 'custom', message: `'${value.slice(0, 40)}' is not an ISO 8601 time` }), z.NEVER),
  );
const day = z.string().refine(isIsoDay, 'is not a date (expected YYYY-MM-DD)');
const text = (max: number) => z.string().max(max);
const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((v) => v ?? null);

const itemActionSchema = z
  .object({
    action_id: z.string().regex(/^act_[A-Za-z0-9_-]{1,76}$/, 'is not an action id (act_…)'),
    account_id: text(200).min(1),
    trigger_id: text(100).min(1),
    action: z.enum(ITEM_ACTIONS),
    at: instant,
    snooze_until: day.nullish().transform((v) => v ?? null),
    reason: optionalText(2000),
    actor_email: optionalText(320),
  })
  .refine((a) => (a.action === 'snooze') === (a.snooze_until !== null), {
    message: 'a snooze needs a date and no other action has one',
    path: ['snooze_until'],
  });

const activitySchema = z.object({
  activity_id: text(80).min(1),
  account_id: text(200).min(1),
  type: z.enum(['call', 'meeting', 'email', 'note']),
  at: instant,
  contact_id: optionalText(200),
  summary: text(2000).min(1),
  outcome: optionalText(2000),
  actor_email: optionalText(320),
});

const outcomeSchema = z
  .object({
    start_on: day,
    due_on: day.nullish(),
    outcome_on: day.nullish(),
    days_to_success: z.number().int().nullish(),
    evidence: z.string().nullish(),
    retained_90d: z.union([z.literal(0), z.literal(1)]).nullish(),
    tickets_30d: z.number().int().nullish(),
    tickets_31_60d: z.number().int().nullish(),
    tickets_61_90d: z.number().int().nullish(),
    manual: z.union([z.literal(0), z.literal(1), z.boolean()]).nullish(),
  })
  .nullish();

const interventionSchema = z.object({
  intervention_id: text(200).min(1),
  account_id: text(200).min(1),
  trigger_id: text(100).min(1),
  template_id: optionalText(200),
  template_version: z.number().int().nullish(),
  channel: optionalText(40),
  status: z.enum(['planned', 'sent', 'pending', 'succeeded', 'failed', 'expired']),
  /** A colleague's held-out firing (the team's comparison group) or an intervention. */
  cohort: z.enum(['treated', 'control']).nullish(),
  fired_on: day.nullish(),
  owner_email: optionalText(320),
  actor_email: optionalText(320),
  planned_at: z.string().nullish(),
  sent_at: z.string().nullish(),
  created_at: z.string(),
  replied_at: z.string().nullish(),
  effort_rating: z.number().int().min(1).max(7).nullish(),
  excluded_from_uplift: z.union([z.literal(0), z.literal(1), z.boolean()]).nullish(),
  fatigue_override: z.union([z.literal(0), z.literal(1), z.boolean()]).nullish(),
  notes: z.string().nullish(),
  outcome: outcomeSchema,
});

export interface LogPageContext {
  db: Db;
  source: string;
  now: string;
  changed: AccountIdSet;
  /** The page's origin, for messages: "feed:team/v1/activities?cursor=…". */
  origin: string;
}

export interface LogPageResult {
  /** Items new here (an id already held is not counted). */
  added: number;
  /** Touch events written (a colleague's call, meeting or email). */
  touches: number;
  errors: RowError[];
}

function problem(context: LogPageContext, index: number, error: z.ZodError): RowError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || null;
  const reason =
    issue?.code === 'invalid_type' && issue.input === undefined ? 'is missing' : (issue?.message ?? 'is not valid');
  return {
    file: context.origin,
    line: index + 1,
    field,
    message: `item ${index + 1}${field ? `, ${field}` : ''}: ${reason}`,
  };
}

/** Validates every item of the page with `schema` and hands the good ones to `store`. */
function eachValid<S extends z.ZodType>(
  context: LogPageContext,
  items: readonly unknown[],
  schema: S,
  store: (item: z.output<S>, index: number) => boolean | RowError,
): LogPageResult {
  const result: LogPageResult = { added: 0, touches: 0, errors: [] };
  items.forEach((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return void result.errors.push(problem(context, index, parsed.error));
    const stored = store(parsed.data, index);
    if (stored === true) result.added++;
    else if (stored !== false) result.errors.push(stored);
  });
  return result;
}

function storeItemActions(context: LogPageContext, items: readonly unknown[]): LogPageResult {
  const repo = itemActionsRepo(context.db);
  const episodes = new Map<string, { account: string; trigger: string }>();
  const result = eachValid(context, items, itemActionSchema, (action) => {
    const added = repo.add({ ...action, origin: context.source, received_at: context.now });
    if (added)
      episodes.set(`${action.account_id}\u0000${action.trigger_id}`, {
        account: action.account_id,
        trigger: action.trigger_id,
      });
    return added;
  });
  for (const { account, trigger } of episodes.values())
    if (applyEpisode(context.db, account, trigger, context.now)) context.changed.add(account);
  return result;
}

function toFact(db: Db, item: z.output<typeof interventionSchema>, now: string): OutcomeFact {
  const account = accountsRepo(db).get(item.account_id);
  const outcome = item.outcome ?? null;
  const started = item.sent_at ?? item.planned_at ?? item.created_at;
  return {
    record_id: item.intervention_id,
    cohort: item.cohort ?? 'treated',
    source: 'imported',
    account_id: item.account_id,
    account_name: account?.name ?? null,
    owner_email: item.owner_email ?? item.actor_email ?? null,
    trigger_id: item.trigger_id,
    template_id: item.template_id,
    template_version: item.template_version ?? null,
    channel: item.channel,
    status: item.status,
    fired_on: item.fired_on ?? null,
    start_on: outcome?.start_on ?? started.slice(0, 10),
    due_on: outcome?.due_on ?? null,
    outcome_on: outcome?.outcome_on ?? null,
    days_to_success: outcome?.days_to_success ?? null,
    arr: account?.arr ?? null,
    currency: account?.currency ?? null,
    effort_rating: item.effort_rating ?? null,
    excluded_from_uplift: item.excluded_from_uplift === 1 || item.excluded_from_uplift === true,
    manual: outcome?.manual === 1 || outcome?.manual === true,
    replied: item.sent_at ? Boolean(item.replied_at) : null,
    retained_90d: outcome?.retained_90d ?? null,
    tickets_30d: outcome?.tickets_30d ?? null,
    tickets_31_60d: outcome?.tickets_31_60d ?? null,
    tickets_61_90d: outcome?.tickets_61_90d ?? null,
    evidence: outcome?.evidence ?? null,
    notes: item.notes ?? null,
    fatigue_override:
      item.fatigue_override == null ? null : item.fatigue_override === 1 || item.fatigue_override === true,
    // The hub keeps each row's latest version, so what it serves is current as of this pull.
    as_of: now.slice(0, 10),
  };
}

function storeInterventions(context: LogPageContext, items: readonly unknown[]): LogPageResult {
  const team = teamRepo(context.db);
  const merged = importedRepo(context.db);
  return eachValid(context, items, interventionSchema, (item) => {
    // Our own interventions and control episodes come back from the hub too: the local row is the truth for them.
    if (team.isLocalIntervention(item.intervention_id)) return false;
    return merged.put(toFact(context.db, item, context.now), `hub:${context.source}`, context.now) !== 'unchanged';
  });
}

function storeActivities(context: LogPageContext, items: readonly unknown[]): LogPageResult {
  const { db } = context;
  const team = teamRepo(db);
  const accounts = accountsRepo(db);
  const contacts = activitiesRepo(db);
  let touches = 0;
  const result = eachValid(context, items, activitySchema, (item, index) => {
    if (!accounts.get(item.account_id))
      return {
        file: context.origin,
        line: index + 1,
        field: 'account_id',
        message: `item ${index + 1}, account_id: '${item.account_id}' is not a known account (sync its account first)`,
      };
    const { actor_email, ...activity } = item;
    if (
      !team.addRemoteActivity({
        ...activity,
        author_email: actor_email,
        origin: context.source,
        created_at: context.now,
      })
    )
      return false;
    if (item.type !== 'note') {
      const contact = item.contact_id ? contacts.contact(item.contact_id) : undefined;
      const known = contact?.account_id === item.account_id;
      writeTouchEvent(db, {
        eventId: `touch_${item.activity_id}`,
        accountId: item.account_id,
        occurredAt: item.at,
        contactId: known ? item.contact_id : null,
        detail: `${touchDetail(item.type, known ? (contact?.name ?? null) : null, item.summary, item.outcome)}${actor_email ? ` (${actor_email})` : ''}`,
      });
      touches++;
      context.changed.add(item.account_id);
    }
    return true;
  });
  return { ...result, touches };
}

export const STORE_LOG_PAGE: Record<LogKind, (context: LogPageContext, items: readonly unknown[]) => LogPageResult> = {
  item_actions: storeItemActions,
  interventions: storeInterventions,
  activities: storeActivities,
};
