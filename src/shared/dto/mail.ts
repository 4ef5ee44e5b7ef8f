import { z } from 'zod';

/**
 * The SMTP password is read only from environment variables with this prefix, set by the user
 * outside the app: a caller of the API must not be able to name any other variable (say
 * AWS_SECRET_ACCESS_KEY) and have it sent to a server of its choosing.
 */
export const SMTP_PASSWORD_ENV_PREFIX = 'FORESIGHT_SMTP_PASSWORD';

/**
 * The user's own SMTP server. The password is never here: `passwordRef` names where it lives,
 * `secret:smtp-password` (the desktop app's encrypted store) or `env:VAR` (the CLI, the web preview).
 */
export const smtpSettingsSchema = z
  .object({
    host: z.string().trim().min(1).max(255).meta({ title: 'SMTP server' }),
    port: z
      .number()
      .int()
      .min(1, 'the port is a number from 1 to 65535')
      .max(65535, 'the port is a number from 1 to 65535')
      .meta({ title: 'SMTP port' }),
    /** 'tls': TLS from the first byte (usually port 465); 'starttls': upgrade (587); 'none': local test servers only. */
    security: z.enum(['tls', 'starttls', 'none']),
    username: z.string().trim().max(320).nullable().meta({ title: 'SMTP user name' }),
    passwordRef: z
      .string()
      .regex(
        /^(env:[A-Za-z_][A-Za-z0-9_]*|secret:smtp-password)$/,
        'the password is kept in the secret store or an environment variable',
      )
      .nullable(),
    fromEmail: z.string().trim().email('the From address must be an email address').meta({ title: 'From address' }),
    fromName: z.string().trim().max(200).nullable().meta({ title: 'From name' }),
  })
  .strict();
export type SmtpSettings = z.infer<typeof smtpSettingsSchema>;

export interface SmtpSettingsView {
  settings: SmtpSettings | null;
  /** Whether a password is stored or its environment variable is set (the value never leaves the app). */
  passwordAvailable: boolean;
}

/**
 * Where a message is: `queued` (waiting; tried on every background tick once `not_before` has
 * passed), `sending` (handed to the SMTP server now), `sent`, `failed` (refused for good),
 * `unknown` (the server had the whole message but never confirmed it: it may have been delivered,
 * so only the user sends it again) and `cancelled`.
 */
export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** Each status in words, for the outbox, the CLI and sentences ("this one is sent"). */
export const MAIL_STATUS_WORDS: Record<MailStatus, string> = {
  queued: 'queued',
  sending: 'being sent',
  sent: 'sent',
  failed: 'failed',
  unknown: 'delivery unknown',
  cancelled: 'cancelled',
};

/** mail.list answers the newest this many messages. */
export const MAIL_LIST_LIMIT = 200;

export interface MailRow {
  mail_id: string;
  account_id: string;
  /** The account's name (null when a row is built before it is read back). */
  account_name: string | null;
  risk_item_id: number | null;
  trigger_id: string | null;
  to: { name: string | null; email: string }[];
  cc: { name: string | null; email: string }[];
  subject: string;
  status: MailStatus;
  attempts: number;
  /** Why the last attempt did not send, in a sentence. */
  last_error: string | null;
  queued_at: string;
  sent_at: string | null;
  /** The message's Message-ID, chosen when it was queued and kept for every attempt. */
  message_id: string | null;
  /** Not tried before this time (the customer's working hours). */
  not_before: string | null;
  last_attempt_at: string | null;
}

export interface FlushResult {
  sent: number;
  /** Still queued: the server could not be reached or answered "try later". */
  waiting: number;
  failed: number;
  /** Handed over but never confirmed: left for the user to check and retry. */
  unknown: number;
  /** One sentence when nothing could be tried (no settings, no password). */
  problem: string | null;
}

export const mailSchemas = {
  send: z
    .object({
      accountId: z.string().min(1).max(200),
      triggerId: z.string().max(100).nullish(),
      riskItemId: z.number().int().nullish(),
      templateId: z.string().max(200).nullish(),
      templateVersion: z.number().int().min(1).nullish(),
      /** Contact ids of the account. */
      to: z
        .array(z.string().min(1).max(200))
        .min(1, 'choose at least one recipient')
        .max(20)
        .meta({ title: 'list of recipients' }),
      cc: z.array(z.string().min(1).max(200)).max(20).meta({ title: 'CC list' }).default([]),
      subject: z.string().trim().min(1, 'an email needs a subject').max(2_000).meta({ title: 'email subject' }),
      body: z.string().min(1, 'an email needs a body').max(50_000).meta({ title: 'email body' }),
      /** Not sent before this time: the customer's next working hour (the draft's `scheduleAt`). */
      notBefore: z.iso.datetime({ message: 'the send time must be an ISO time' }).nullish(),
    })
    .strict(),
  list: z.object({ accountId: z.string().max(200).nullish(), status: z.enum(MAIL_STATUSES).nullish() }).strict(),
  /** One message of the outbox: retry a failed or unknown one, cancel a queued one. */
  one: z.object({ mailId: z.string().min(1).max(200) }).strict(),
  saveSettings: z
    .object({
      settings: smtpSettingsSchema.omit({ passwordRef: true }).extend({
        passwordEnv: z
          .string()
          .regex(
            /^FORESIGHT_SMTP_PASSWORD[A-Z0-9_]{0,100}$/,
            'expected FORESIGHT_SMTP_PASSWORD or a name starting with it (capitals, digits and _)',
          )
          .meta({ title: 'password’s environment variable' })
          .nullish(),
      }),
      /** A new password for the secret store (desktop app); omitted keeps the stored one. */
      password: z.string().max(1_000).meta({ title: 'SMTP password' }).nullish(),
    })
    .strict(),
};
