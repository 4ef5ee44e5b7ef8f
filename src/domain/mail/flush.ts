/**
 * Sends the queue with the SMTP settings and password on record, or says in a sentence why mail
 * waits. The app (services/mail.ts, which also rescores) and the CLI both send through here.
 */
import type { Db } from '../db/open.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { FlushResult } from '../../shared/dto/mail.ts';
import { flushMailQueue, smtpTransport } from './deliver.ts';
import { plainPasswordProblem } from './password-destination.ts';
import { loadSmtpSettings, smtpPassword } from './settings.ts';

export async function flushConfiguredMail(
  db: Db,
  secrets: SecretStore,
  now: () => Date,
  waiting: number,
): Promise<FlushResult> {
  const settings = loadSmtpSettings(db);
  if (!settings)
    return {
      sent: 0,
      waiting,
      failed: 0,
      unknown: 0,
      problem: 'Set up your SMTP server in Settings → Email (SMTP) to send email.',
    };
  // Settings saved before the rule (or written around the API) are checked again before sending.
  const plain = plainPasswordProblem(settings);
  if (plain) return { sent: 0, waiting, failed: 0, unknown: 0, problem: `Email waits: ${plain}` };
  const { password, problem } = await smtpPassword(settings, secrets);
  if (problem) return { sent: 0, waiting, failed: 0, unknown: 0, problem: `Email waits: ${problem}.` };
  return flushMailQueue(db, smtpTransport(settings, password), settings, now);
}
