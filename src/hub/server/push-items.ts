/**
 * The shapes apps push (docs/team-hub.md, hub-protocol v1.1). `actor_email` is never read from the
 * body: the hub sets it from the token. Messages complete "item N, FIELD: …".
 */
import { z } from 'zod';
import { isIsoDay, toIsoInstant } from '../../domain/contract/dates.ts';

const id = z.string().trim().min(1, 'is required').max(200, 'is longer than 200 characters');
const instant = z.string().transform((value, ctx) => {
  const iso = toIsoInstant(value);
  if (iso === null) {
    ctx.addIssue({ code: 'custom', message: `'${value}' is not a date and time (expected ISO 8601)` });
    return z.NEVER;
  }
  return iso;
});
const day = z.string().refine(isIsoDay, { message: 'is not a date (expected YYYY-MM-DD)' });
const text = (max: number) => z.string().max(max, `is longer than ${max} characters`);

export const itemActionItem = z
  .object({
    action_id: id,
    account_id: id,
    trigger_id: id,
    action: z.enum(['start', 'snooze', 'dismiss', 'resolve', 'reopen'], {
      error: 'is not one of start, snooze, dismiss, resolve or reopen',
    }),
    at: instant,
    snooze_until: day.nullable().default(null),
    reason: text(2000).nullable().default(null),
  })
  .superRefine((item, ctx) => {
    if (item.action === 'snooze' && item.snooze_until === null)
      ctx.addIssue({ code: 'custom', path: ['snooze_until'], message: 'is required for a snooze' });
  });

export const activityItem = z.object({
  activity_id: id,
  account_id: id,
  type: z.enum(['call', 'meeting', 'email', 'note'], { error: 'is not one of call, meeting, email or note' }),
  at: instant,
  contact_id: id.nullable().default(null),
  summary: text(20_000),
  outcome: text(2000).nullable().default(null),
});

/** The intervention as the app's outbox sends it: its own columns are kept as they come. */
export const interventionItem = z
  .object({
    intervention_id: id,
    account_id: id,
    trigger_id: id,
    status: z.enum(['planned', 'sent', 'succeeded', 'failed', 'expired', 'pending'], {
      error: 'is not a known intervention status',
    }),
    version: instant,
    cohort: z.enum(['treated', 'control']).default('treated'),
    /** The risk item's firing day: the team report's episodes are (account, play, firing month). */
    fired_on: day.nullable().default(null),
    sent_at: z.string().nullable().optional(),
    created_at: z.string().nullable().optional(),
    excluded_from_uplift: z.union([z.boolean(), z.number()]).optional(),
    outcome: z
      .looseObject({ start_on: day.optional(), manual: z.union([z.boolean(), z.number()]).optional() })
      .nullable()
      .default(null),
  })
  .loose();

export type ItemAction = z.output<typeof itemActionItem>;
export type ActivityItem = z.output<typeof activityItem>;
export type InterventionItem = z.output<typeof interventionItem>;

export const PUSH_SCHEMAS = {
  item_actions: itemActionItem,
  activities: activityItem,
  interventions: interventionItem,
} as const;
export type PushKind = keyof typeof PUSH_SCHEMAS;

export const MAX_PUSH_ITEMS = 100;

/** The items of a push body, or the sentence that says what is wrong with it. */
export function parsePushBody(
  kind: PushKind,
  body: unknown,
): { ok: true; items: Record<string, unknown>[] } | { ok: false; error: string } {
  if (body === null || typeof body !== 'object' || !Array.isArray((body as { items?: unknown }).items))
    return { ok: false, error: 'the body must be a JSON object with an "items" array' };
  const raw = (body as { items: unknown[] }).items;
  if (raw.length > MAX_PUSH_ITEMS)
    return { ok: false, error: `a push holds at most ${MAX_PUSH_ITEMS} items; this one has ${raw.length}` };
  const items: Record<string, unknown>[] = [];
  for (const [index, item] of raw.entries()) {
    const parsed = PUSH_SCHEMAS[kind].safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = issue.path.join('.');
      return { ok: false, error: `item ${index + 1}${path ? `, ${path}` : ''}: ${issue.message}` };
    }
    const { actor_email: _ignored, ...clean } = parsed.data as Record<string, unknown>;
    items.push(clean);
  }
  return { ok: true, items };
}
