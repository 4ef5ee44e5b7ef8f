import { z } from 'zod';

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

export type MailStatus = 'queued' | 'sent' | 'failed';

export interface MailRow {
  mail_id: string;
  account_id: string;
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
}

export interface FlushResult {
  sent: number;
  /** Still queued: the server could not be reached or answered "try later". */
  waiting: number;
  failed: number;
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
    })
    .strict(),
  list: z
    .object({ accountId: z.string().max(200).nullish(), status: z.enum(['queued', 'sent', 'failed']).nullish() })
    .strict(),
  saveSettings: z
    .object({
      settings: smtpSettingsSchema.omit({ passwordRef: true }).extend({
        passwordEnv: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a name such as SMTP_PASSWORD (letters, digits and _)')
          .meta({ title: 'password’s environment variable' })
          .nullish(),
      }),
      /** A new password for the secret store (desktop app); omitted keeps the stored one. */
      password: z.string().max(1_000).meta({ title: 'SMTP password' }).nullish(),
    })
    .strict(),
};
