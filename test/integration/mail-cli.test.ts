/**
 * `foresight mail`: the outbox listed (text and JSON), a queued message cancelled, a message of
 * unknown delivery sent again through a real SMTP server with the Message-ID it was queued with,
 * and one-sentence refusals.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { contactsRepo } from '../../src/domain/db/repos/contacts.ts';
import { closeDatabase, openDatabase } from '../../src/domain/db/open.ts';
import { queueMail } from '../../src/domain/mail/enqueue.ts';
import { saveSmtpSettings } from '../../src/domain/mail/settings.ts';
import type { MailRow } from '../../src/shared/dto/mail.ts';
import { runCli, runCliAsync } from '../support/cli.ts';
import { localSmtpSettings, startSmtp } from '../support/smtp-server.ts';
import { sampleAccount, tempDir } from '../support/temp.ts';

const NOW = new Date('2026-03-10T15:00:00Z');

function fixture(port: number) {
  const path = join(tempDir(), 'f.db');
  const { db } = openDatabase(path, { create: true });
  accountsRepo(db).upsert(sampleAccount({ account_id: 'acc_1', name: 'Acme Corp', timezone: 'UTC' }));
  contactsRepo(db).upsert({
    contact_id: 'c1',
    account_id: 'acc_1',
    name: 'Ana Silva',
    email: 'ana.silva@acme.example',
    phone: null,
    role: null,
    is_champion: true,
    active: true,
    last_seen_at: null,
  });
  saveSmtpSettings(db, localSmtpSettings(port));
  const mail = (subject: string) => queueMail(db, { accountId: 'acc_1', to: ['c1'], subject, body: 'Hi Ana' }, NOW);
  const waiting = mail('Still waiting');
  const unknown = mail('Never confirmed');
  db.prepare(
    "UPDATE mail_queue SET status = 'unknown', attempts = 1, last_error = 'Not confirmed.' WHERE mail_id = ?",
  ).run(unknown.mail_id);
  closeDatabase(db);
  return { path, waiting, unknown };
}

describe('foresight mail', () => {
  it('lists the outbox, cancels a queued message and retries one of unknown delivery with its Message-ID', async () => {
    const smtp = await startSmtp();
    try {
      const { path, waiting, unknown } = fixture(smtp.port);
      const list = runCli(['mail', '--db', path, '--json']);
      expect(list.stderr).toBe('');
      expect(list.code).toBe(0);
      const rows = list.json<MailRow[]>();
      expect(rows.map((r) => [r.mail_id, r.status, r.account_name])).toEqual(
        expect.arrayContaining([
          [waiting.mail_id, 'queued', 'Acme Corp'],
          [unknown.mail_id, 'unknown', 'Acme Corp'],
        ]),
      );
      const text = runCli(['mail', '--db', path]);
      expect(text.stderr).toBe('');
      expect(text.stdout).toContain(`${unknown.mail_id}  delivery unknown`);
      expect(text.stdout).toContain('Not confirmed.');
      expect(runCli(['mail', '--status', 'unknown', '--db', path]).stdout.split('\n')[0]).toBe('1 message');

      const cancel = runCli(['mail', 'cancel', waiting.mail_id, '--db', path, '--json']);
      expect(cancel.code).toBe(0);
      expect(cancel.json<MailRow>().status).toBe('cancelled');
      const again = runCli(['mail', 'cancel', waiting.mail_id, '--db', path]);
      expect(again.code).toBe(1);
      expect(again.stderr.trim()).toBe('Only a queued message can be cancelled; this one is “cancelled”.');

      const retry = await runCliAsync(['mail', 'retry', unknown.mail_id, '--db', path, '--json']);
      expect(retry.stderr).toBe('');
      const retried = JSON.parse(retry.stdout) as { mail: MailRow };
      expect(retried.mail).toMatchObject({ status: 'sent', attempts: 2, message_id: unknown.message_id });
      expect(smtp.received).toHaveLength(1);
      expect(/^Message-ID: (.+)$/im.exec(smtp.received[0]!.data)?.[1]?.trim()).toBe(unknown.message_id);
      // The cancelled message never went.
      expect(smtp.received[0]!.data).toContain('Subject: Never confirmed');

      const sentAgain = runCli(['mail', 'retry', unknown.mail_id, '--db', path]);
      expect(sentAgain.code).toBe(1);
      expect(sentAgain.stderr.trim()).toBe(
        'Only a failed message or one whose delivery is unknown can be retried; this one is “sent”.',
      );
      expect(runCli(['mail', 'retry', 'mail_nope', '--db', path]).stderr.trim()).toBe(
        'There is no message "mail_nope" in the outbox.',
      );
    } finally {
      await smtp.close();
    }
  });
});
