/** The SMTP settings (app_meta `mail.smtp`) and the password they point to. */
import type { Db } from '../db/open.ts';
import { metaRepo } from '../db/repos/meta.ts';
import { UserFacingError } from '../errors.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { smtpSettingsSchema, type SmtpSettings } from '../../shared/dto/mail.ts';
import { passwordEnvProblem } from './password-destination.ts';
import { invalidInputSentence } from '../../shared/input-sentence.ts';

export const SMTP_KEY = 'mail.smtp';
export const SMTP_SECRET = 'smtp-password';

export function loadSmtpSettings(db: Db): SmtpSettings | null {
  const raw = metaRepo(db).get(SMTP_KEY);
  if (!raw) return null;
  const parsed = smtpSettingsSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

export function saveSmtpSettings(db: Db, input: unknown): SmtpSettings {
  const parsed = smtpSettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new UserFacingError('INVALID_SMTP_SETTINGS', invalidInputSentence(smtpSettingsSchema, parsed.error, input));
  }
  metaRepo(db).set(SMTP_KEY, JSON.stringify(parsed.data));
  return parsed.data;
}

/** The password, or a sentence saying where it should be. Null password + null problem: no login. */
export async function smtpPassword(
  settings: SmtpSettings,
  secrets: SecretStore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ password: string | null; problem: string | null }> {
  const ref = settings.passwordRef;
  if (ref === null) return { password: null, problem: null };
  if (ref.startsWith('env:')) {
    const refused = passwordEnvProblem(ref);
    if (refused) return { password: null, problem: refused };
    const password = env[ref.slice(4)] ?? null;
    return password
      ? { password, problem: null }
      : {
          password: null,
          problem: `the SMTP password is missing: the environment variable ${ref.slice(4)} is not set`,
        };
  }
  const password = await secrets.get(SMTP_SECRET).catch(() => null);
  return password
    ? { password, problem: null }
    : { password: null, problem: 'the SMTP password is not stored on this computer; enter it again in Settings' };
}
