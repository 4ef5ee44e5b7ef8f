import { queueMail } from '../../domain/mail/enqueue.ts';
import { cancelMail, retryMail } from '../../domain/mail/outbox.ts';
import { mailRepo, toMailRow } from '../../domain/mail/repo.ts';
import { checkPasswordDestination, rememberPasswordDestination } from '../../domain/mail/password-destination.ts';
import { loadSmtpSettings, saveSmtpSettings, SMTP_SECRET, smtpPassword } from '../../domain/mail/settings.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { canStoreSecrets } from '../../domain/secrets/secret-store.ts';
import type { FlushResult, MailRow, SmtpSettings, SmtpSettingsView } from '../../shared/dto/mail.ts';
import type { AppContext } from '../context.ts';
import type { HandlerMap } from '../dispatcher.ts';
import { sendQueuedMail } from '../services/mail.ts';

async function settingsView(ctx: AppContext): Promise<SmtpSettingsView> {
  const settings = loadSmtpSettings(ctx.db);
  if (!settings) return { settings: null, passwordAvailable: false };
  const { password } = await smtpPassword(settings, ctx.secrets);
  return { settings, passwordAvailable: settings.passwordRef === null || password !== null };
}

/** Tries the queue now and returns the message the user acted on as it is after the attempt. */
async function attempt(ctx: AppContext, mailId: string): Promise<{ mail: MailRow; flushed: FlushResult }> {
  const flushed = await sendQueuedMail(ctx, mailId);
  ctx.emit({ type: 'data-changed', kinds: ['interventions', 'mail'] });
  return { mail: toMailRow(mailRepo(ctx.db).get(mailId)!), flushed };
}

export const mailHandlers = {
  /** Queues the message and tries to send it at once; offline, it waits for the next attempt. */
  'mail.send': async (input, ctx) => {
    const queued = queueMail(ctx.db, input, ctx.now());
    return attempt(ctx, queued.mail_id);
  },
  'mail.list': (input, ctx) => mailRepo(ctx.db).list({ accountId: input.accountId, status: input.status }),
  'mail.retry': (input, ctx) => {
    retryMail(ctx.db, input.mailId);
    return attempt(ctx, input.mailId);
  },
  'mail.cancel': (input, ctx) => {
    const mail = cancelMail(ctx.db, input.mailId);
    ctx.emit({ type: 'data-changed', kinds: ['mail'] });
    return mail;
  },
  'mail.flush': (_input, ctx) => sendQueuedMail(ctx),
  'mail.settings.get': (_input, ctx) => settingsView(ctx),
  'mail.settings.save': async (input, ctx) => {
    const { passwordEnv, ...rest } = input.settings;
    let passwordRef: SmtpSettings['passwordRef'] = loadSmtpSettings(ctx.db)?.passwordRef ?? null;
    if (input.password) {
      if (!canStoreSecrets(ctx.secrets))
        throw new UserFacingError(
          'SECRETS_UNAVAILABLE',
          'This computer cannot store the password safely; set it in an environment variable and name the variable instead.',
        );
      await ctx.secrets.set(SMTP_SECRET, input.password);
      passwordRef = `secret:${SMTP_SECRET}`;
    } else if (passwordEnv) passwordRef = `env:${passwordEnv}`;
    if (!rest.username) passwordRef = null;
    const previous = loadSmtpSettings(ctx.db);
    checkPasswordDestination(ctx.db, previous, { ...rest, passwordRef }, Boolean(input.password));
    rememberPasswordDestination(ctx.db, saveSmtpSettings(ctx.db, { ...rest, passwordRef }));
    return settingsView(ctx);
  },
} satisfies Partial<HandlerMap>;
