/**
 * `foresight mail`: the outbox, as in the app — every queued, sending, failed, unknown, sent or
 * cancelled message; `mail retry ID` sends a failed or unknown one again (same Message-ID) through
 * the SMTP server in Settings; `mail cancel ID` cancels a queued one.
 */
import type { Command } from 'commander';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { flushConfiguredMail } from '../../domain/mail/flush.ts';
import { cancelMail, retryMail } from '../../domain/mail/outbox.ts';
import { mailRepo, toMailRow } from '../../domain/mail/repo.ts';
import { environmentSecretStore } from '../../domain/secrets/secret-store.ts';
import { MAIL_STATUS_WORDS, MAIL_STATUSES, type MailRow, type MailStatus } from '../../shared/dto/mail.ts';
import { plural } from '../../domain/risk/explain.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

/** Times as the user's computer writes them, with the zone, so a not-before time is unambiguous. */
const when = (iso: string) =>
  new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));

export function mailLine(m: MailRow): string {
  const to = m.to.map((a) => a.email).join(', ');
  const times = [
    `queued ${when(m.queued_at)}`,
    m.not_before && m.status === 'queued' ? `not before ${when(m.not_before)}` : null,
    m.sent_at ? `sent ${when(m.sent_at)}` : null,
  ].filter(Boolean);
  const head = `${m.mail_id}  ${MAIL_STATUS_WORDS[m.status].padEnd(16)}  ${m.account_name ?? m.account_id} (${m.account_id})  “${m.subject}” to ${to}`;
  const tail = `    ${m.attempts} attempt${m.attempts === 1 ? '' : 's'}; ${times.join('; ')}`;
  return [head, tail, ...(m.last_error && m.status !== 'sent' ? [`    ${m.last_error}`] : [])].join('\n');
}

export function registerMail(program: Command): void {
  const mail = program.command('mail');
  withGlobalOptions(mail.command('retry'))
    .description('send a failed message, or one whose delivery is unknown, again (it keeps its Message-ID)')
    .argument('<mail-id>', 'the message id, from `foresight mail`')
    .action(async (mailId: string, _options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db } = openDatabase(dbPath);
      try {
        retryMail(db, mailId);
        // The CLI reads the SMTP password from the environment variable Settings names.
        const flushed = await flushConfiguredMail(db, environmentSecretStore(), () => new Date(), 1);
        const row = toMailRow(mailRepo(db).get(mailId)!);
        emit(json, { mail: row, flushed }, () =>
          row.status === 'sent'
            ? `Sent “${row.subject}”.`
            : row.status === 'queued'
              ? `Queued again; ${flushed.problem ?? 'it is sent on the next attempt.'}`
              : `${MAIL_STATUS_WORDS[row.status]}: ${row.last_error ?? ''}`,
        );
      } finally {
        closeDatabase(db);
      }
    });
  withGlobalOptions(mail.command('cancel'))
    .description('cancel a queued message')
    .argument('<mail-id>', 'the message id, from `foresight mail`')
    .action((mailId: string, _options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db } = openDatabase(dbPath);
      try {
        const row = cancelMail(db, mailId);
        emit(json, row, () => `Cancelled “${row.subject}”.`);
      } finally {
        closeDatabase(db);
      }
    });
  withGlobalOptions(mail)
    .description('the outbox: email queued, being sent, failed, of unknown delivery, sent or cancelled (newest first)')
    .option('--status <status>', `only one status: ${MAIL_STATUSES.join(', ')}`)
    .option('--account <id>', "only this account's mail")
    .action((options: { status?: string; account?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      if (options.status !== undefined && !(MAIL_STATUSES as readonly string[]).includes(options.status))
        throw new UsageError(`--status takes one of ${MAIL_STATUSES.join(', ')}, not "${options.status}".`);
      const { db } = openDatabase(dbPath);
      try {
        const rows = mailRepo(db).list({
          accountId: options.account ?? null,
          status: (options.status as MailStatus | undefined) ?? null,
        });
        emit(json, rows, () =>
          rows.length === 0
            ? 'The outbox is empty.'
            : [plural(rows.length, 'message'), ...rows.map(mailLine)].join('\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });
}
