/** Data shapes of the outreach calls (drafts, templates, lint, settings). Plain JSON; the renderer imports these. */

export const OUTREACH_CHANNELS = ['email', 'in_app', 'sms', 'call'] as const;
export type OutreachChannel = (typeof OUTREACH_CHANNELS)[number];

export const OUTREACH_CHANNEL_LABELS: Record<OutreachChannel, string> = {
  email: 'Email',
  in_app: 'In-app message',
  sms: 'SMS',
  call: 'Call script',
};

export type LintRule =
  | 'empty'
  | 'company_first'
  | 'apology_first'
  | 'no_next_step'
  | 'multiple_ctas'
  | 'no_human_handoff'
  | 'jargon'
  | 'too_long'
  | 'unresolved_token';

/** One benefit-first lint finding: a sentence the user reads as-is. */
export interface LintWarning {
  rule: LintRule;
  field: 'subject' | 'body';
  message: string;
  excerpt: string | null;
}

/** An unknown token or a template syntax error: the template cannot be saved until it is fixed. */
export interface TemplateProblem {
  code: 'unknown_token' | 'template_syntax';
  field: 'subject' | 'body';
  token: string | null;
  message: string;
}

export interface GuardDecision {
  status: 'ok' | 'deferred' | 'blocked';
  kind: 'holdout' | 'fatigue' | 'active_hours' | null;
  /** Why the draft was blocked or deferred, as one or two sentences; null when it may go now. */
  reason: string | null;
  /** For a deferred draft: when the customer's working hours next begin. */
  scheduleAt: string | null;
  /** "09:00" */
  scheduleLocal: string | null;
  /** "09:00 local on Mon, Mar 16" */
  scheduleLabel: string | null;
  touches: { count: number; max: number; windowDays: number; nextAllowedAt: string | null };
  timeZone: string;
  /** The customer's local weekday and time now, e.g. "Tue 19:40". */
  localNow: string;
}

export interface TemplateRef {
  id: string;
  name: string;
  version: number;
  builtIn: boolean;
  channel: OutreachChannel;
  triggerId: string | null;
}

export interface DraftRecipient {
  contactId: string | null;
  name: string | null;
  /** What the greeting uses: the first name, or "there". */
  firstName: string;
  email: string | null;
  /** Where an SMS goes (normalised, e.g. +12025550100); null for other channels or when unknown. */
  phone: string | null;
  role: string | null;
  isChampion: boolean;
}

export interface OutreachDraft {
  accountId: string;
  accountName: string;
  trigger: { id: string; label: string } | null;
  riskItemId: number | null;
  channel: OutreachChannel;
  template: TemplateRef | null;
  /** Templates that fit this trigger and channel, for the picker; the suggested one first. */
  templates: TemplateRef[];
  to: DraftRecipient | null;
  from: { name: string; email: string | null };
  /** Null for channels without a subject, and when the draft is blocked. */
  subject: string | null;
  /** Null when the draft is blocked. */
  body: string | null;
  warnings: LintWarning[];
  guard: GuardDecision;
  /** The guard's reason when it blocked the draft (holdout or fatigue), else null. */
  blocked: string | null;
  /** Money and dates in the draft use this locale and the account's currency. */
  locale: string;
}

export interface TemplateSummary extends TemplateRef {
  subject: string | null;
  body: string;
  basedOn: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  archived: boolean;
}

export interface TemplateVersionInfo {
  version: number;
  name: string;
  subject: string | null;
  body: string;
  warnings: number;
  createdAt: string;
}

export interface TemplateDetail extends TemplateSummary {
  versions: TemplateVersionInfo[];
}

export interface TemplatePreview {
  /** Null when the template has problems (it cannot be rendered) or the channel has no subject. */
  subject: string | null;
  body: string | null;
  problems: TemplateProblem[];
  warnings: LintWarning[];
  /** The account the preview used: a real one, or the sample "Acme Corp". */
  accountName: string;
}

export interface TokenInfo {
  name: string;
  description: string;
  example: string;
  optional: boolean;
}

export interface OutreachCatalog {
  tokens: TokenInfo[];
  triggers: { id: string; label: string; description: string }[];
  /** Characters per message body, by channel (SMS 160, in-app 200). */
  limits: Partial<Record<OutreachChannel, number>>;
}

export interface LintResult {
  warnings: LintWarning[];
  /** Characters in the message body, and the channel's limit (null when there is none). */
  length: number;
  limit: number | null;
}

export interface LoggedTouch {
  interventionId: string;
  /** The risk item the touch answers, if any (it is now in progress). */
  riskItemId?: number | null;
  status: 'planned' | 'sent';
  sentAt: string | null;
  plannedAt: string | null;
}

export interface EmlFile {
  fileName: string;
  /** The RFC 5322 message text (CRLF line endings), for the browser to download. */
  content: string;
  /** Where the desktop app saved it; null in the web preview, or when the save dialog was cancelled. */
  savedTo: string | null;
  saved: boolean;
}

export interface OutreachSettingsDto {
  fatigue: { maxTouches: number; windowDays: number };
  activeHours: {
    start: string;
    end: string;
    weekdays: number[];
    channels: OutreachChannel[];
    fallbackTimeZone: string;
  };
  links: Record<'app' | 'billing' | 'setup' | 'team' | 'plans' | 'help' | 'status' | 'feedback' | 'booking', string>;
  senders: Record<string, { name?: string; phone?: string; bookingLink?: string }>;
}
