/**
 * Playbooks (issue 17 item 2): each trigger's ordered steps, in three tiers, and the tasks a risk
 * item's checklist is made of. Renderer-safe: the step schema validates Settings edits in the app.
 */
import { z } from 'zod';

/** 1 self-healing (handed to the product), 2 automated outreach (a template sent on approval), 3 a human call or meeting. */
export const PLAYBOOK_TIERS = [1, 2, 3] as const;
export type PlaybookTier = (typeof PLAYBOOK_TIERS)[number];

export const TIER_LABELS: Record<PlaybookTier, string> = {
  1: 'Self-healing',
  2: 'Automated outreach',
  3: 'Human',
};

/** The owner of a step: the account's owner, or a role (e.g. "Support lead"). */
export const ACCOUNT_OWNER = 'account_owner';

export const playbookStepSchema = z
  .object({
    tier: z.union([z.literal(1), z.literal(2), z.literal(3)], { message: 'the tier must be 1, 2 or 3' }),
    title: z
      .string({ message: 'each step needs a title' })
      .trim()
      .min(1, 'each step needs a title')
      .max(200, 'a title has at most 200 characters'),
    offsetDays: z
      .number({ message: 'the due offset must be a whole number of days' })
      .int('the due offset must be a whole number of days')
      .min(0, 'the due offset cannot be before the item opened (0 days or more)')
      .max(365, 'the due offset is at most 365 days'),
    owner: z.string().trim().min(1, 'say who owns the step').max(100).default(ACCOUNT_OWNER),
    templateId: z.string().trim().min(1).max(200).nullable().default(null),
    /** Tier 2 only: send the email by rule when the step is due, without waiting for approval. */
    autoSend: z.boolean({ message: 'send automatically must be yes or no' }).default(false),
  })
  .strict()
  .superRefine((step, ctx) => {
    if (step.tier === 2 && !step.templateId)
      ctx.addIssue({ code: 'custom', path: ['templateId'], message: 'an automated-outreach step needs a template' });
    if (step.tier !== 2 && step.templateId)
      ctx.addIssue({
        code: 'custom',
        path: ['templateId'],
        message: 'only an automated-outreach step sends a template',
      });
    if (step.tier !== 2 && step.autoSend)
      ctx.addIssue({
        code: 'custom',
        path: ['autoSend'],
        message: 'only an automated-outreach step can send automatically',
      });
  });

export type PlaybookStep = z.output<typeof playbookStepSchema>;
export type PlaybookStepInput = z.input<typeof playbookStepSchema>;

export const playbookStepsSchema = z
  .array(playbookStepSchema)
  .min(1, 'a playbook needs at least one step')
  .max(20, 'a playbook has at most 20 steps');

export interface PlaybookView {
  triggerId: string;
  label: string;
  steps: PlaybookStep[];
  /** True when the user's copy replaces the default. */
  customised: boolean;
}

export const TASK_STATUSES = ['pending', 'done', 'skipped', 'closed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface PlaybookTask {
  taskId: number;
  itemId: number;
  accountId: string;
  accountName: string;
  triggerId: string;
  triggerLabel: string;
  stepNo: number;
  tier: PlaybookTier;
  title: string;
  /** An email (the account owner's) or a role. */
  owner: string;
  templateId: string | null;
  dueOn: string;
  status: TaskStatus;
  /** Pending and due on or before the as-of day. */
  due: boolean;
  doneBy: string | null;
  doneAt: string | null;
  note: string | null;
  mailId: string | null;
  interventionId: string | null;
  /** The step sends its email by rule when due (a copy of the step's flag when the item opened). */
  autoSend: boolean;
  /**
   * Pending and sent by rule: the day the rule sends it (its due day, or the as-of day when that is
   * later); null when it waits for a person (not a rule step, or sending by rule is switched off).
   */
  sendsOn: string | null;
  /** Why the rule has not sent it yet, in a sentence (outside working hours, the fatigue cap…). */
  ruleWait: string | null;
}

/** A list of tasks, capped (`tasks` holds at most the first 1,000), with the true counts. */
export interface TaskPage {
  tasks: PlaybookTask[];
  /** Every task that matches, listed or not. */
  total: number;
  /** How many of them are tier-2 (outreach) steps. */
  tier2Total: number;
}

/** Who a task sent by rule was done by (`doneBy`), in the words the checklist shows. */
export const RULE_ACTOR = 'sent by rule';

/** The kill switch over every rule: off, nothing is sent without a person's approval. */
export interface RuleSendSettings {
  enabled: boolean;
}

/** What one run of the rule did. */
export interface RuleSendRun {
  /** Why the run sent nothing (the kill switch is off, no SMTP server is set up), else null. */
  problem: string | null;
  queued: { taskId: number; accountName: string; title: string; mailId: string }[];
  waiting: { taskId: number; accountName: string; title: string; reason: string }[];
  /** Whether a step's wait reason changed (so open checklists reload). */
  changed: boolean;
}

const taskId = z.number().int().min(1);
/** The note on a done or skipped step, in characters. */
export const TASK_NOTE_MAX = 2000;
const note = z.string().trim().max(TASK_NOTE_MAX).optional();

export const taskSchemas = {
  list: z
    .object({
      /** 'today': pending tasks due on or before the as-of day. */
      due: z.literal('today').optional(),
      accountId: z.string().min(1).max(200).optional(),
      itemId: z.number().int().min(1).optional(),
      tier: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
      /** Only tasks on accounts this CSM (an email) owns. */
      owner: z.string().min(1).max(320).optional(),
      asOf: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
        .optional(),
    })
    .strict(),
  done: z.object({ taskId, note }).strict(),
  skip: z.object({ taskId, note }).strict(),
  act: z.object({ taskId }).strict(),
};

export const ruleSendSchemas = {
  save: z.object({ enabled: z.boolean() }).strict(),
};

export const playbookSchemas = {
  save: z.object({ triggerId: z.string().min(1).max(100), steps: z.array(z.unknown()) }).strict(),
  reset: z.object({ triggerId: z.string().min(1).max(100) }).strict(),
};
