import { z } from 'zod';

/** What a CSM can log. A call, meeting or email is contact with the customer (a touch); a note is not. */
export const ACTIVITY_TYPES = ['call', 'meeting', 'email', 'note'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
/** The longest summary and outcome of a logged activity, in characters. */
export const ACTIVITY_SUMMARY_MAX = 2000;
export const ACTIVITY_OUTCOME_MAX = 500;

export const ActivityTypeSchema = z.enum(ACTIVITY_TYPES);

export const ACTIVITY_LABELS: Record<ActivityType, string> = {
  call: 'Call',
  meeting: 'Meeting',
  email: 'Email',
  note: 'Note',
};

export interface ActivityRow {
  activity_id: string;
  account_id: string;
  type: ActivityType;
  occurred_at: string;
  contact_id: string | null;
  contact_name: string | null;
  summary: string;
  outcome: string | null;
  author_email: string | null;
  intervention_id: string | null;
  created_at: string;
  /** True when it counts as a CSM touch (everything but a note). */
  is_touch: boolean;
}

export const ActivityInputSchema = z.object({
  accountId: z.string().min(1),
  type: ActivityTypeSchema,
  /** A day (YYYY-MM-DD) or an ISO 8601 time; defaults to now. */
  at: z.string().optional(),
  contactId: z.string().nullable().optional(),
  summary: z.string(),
  outcome: z.string().nullable().optional(),
});
export type ActivityInput = z.infer<typeof ActivityInputSchema>;

export const activitySchemas = {
  add: ActivityInputSchema.extend({
    accountId: z.string().min(1).max(200),
    at: z.string().max(40).optional(),
    contactId: z.string().max(200).nullable().optional(),
    summary: z.string().max(4_000),
    outcome: z.string().max(ACTIVITY_OUTCOME_MAX).nullable().optional(),
  }).strict(),
  list: z.object({ accountId: z.string().min(1).max(200) }).strict(),
};
