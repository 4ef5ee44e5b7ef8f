/**
 * Where the SMTP password may be sent. A caller of the API (the renderer, or anything holding the
 * web preview's token) must not be able to make Foresight send the password somewhere the user did
 * not give it for: to a new server, port or security (a stored password goes only to the server it
 * was typed for; an environment variable only to the server it is bound to, `env-binding.ts`), or
 * in clear over a network.
 */
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import { bindEnv, envBinding } from '../secrets/env-binding.ts';
import { SMTP_PASSWORD_ENV_PREFIX, type SmtpSettings } from '../../shared/dto/mail.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The server a password is given for: security, host and port. */
export function smtpEndpoint(settings: Pick<SmtpSettings, 'host' | 'port' | 'security'>): string {
  return `${settings.security}://${settings.host.toLowerCase()}:${settings.port}`;
}

const envName = (ref: string | null) => (ref?.startsWith('env:') ? ref.slice(4) : null);

/** A sentence when these settings would send the password in clear to another computer, else null. */
export function plainPasswordProblem(settings: SmtpSettings): string | null {
  if (settings.security !== 'none' || !settings.username || settings.passwordRef === null) return null;
  if (LOOPBACK.has(settings.host.toLowerCase())) return null;
  return `Foresight does not send the SMTP password unencrypted to another computer: choose STARTTLS or TLS for ${settings.host} (security "none" is only for a test server on this computer).`;
}

/** A sentence when the password reference names a variable outside FORESIGHT_SMTP_PASSWORD*, else null. */
export function passwordEnvProblem(ref: string | null): string | null {
  const name = envName(ref);
  if (name === null || name.startsWith(SMTP_PASSWORD_ENV_PREFIX)) return null;
  return `Foresight reads the SMTP password only from an environment variable named ${SMTP_PASSWORD_ENV_PREFIX}…, not from ${name.slice(0, 80)}; name one in Settings → Email (SMTP)`;
}

/**
 * Refuses settings that would send the password to a place it was not given for. `typedPassword`:
 * the user typed the password with these settings (it is then for this server by definition).
 */
export function checkPasswordDestination(
  db: Db,
  previous: SmtpSettings | null,
  next: SmtpSettings,
  typedPassword: boolean,
): void {
  const plain = plainPasswordProblem(next);
  if (plain) throw new UserFacingError('INSECURE_SMTP', plain);
  if (typedPassword || next.passwordRef === null || !next.username) return;
  const endpoint = smtpEndpoint(next);
  const name = envName(next.passwordRef);
  if (name !== null) {
    const places = new Set<string>();
    const bound = envBinding(db, 'smtp', name);
    if (bound) places.add(bound);
    if (previous && previous.passwordRef === next.passwordRef) places.add(smtpEndpoint(previous));
    if (places.size === 0 || places.has(endpoint)) return;
    throw new UserFacingError(
      'PASSWORD_NEEDED',
      `The password in ${name} was given for another SMTP server, port or security, so Foresight does not send it to ${next.host}:${next.port}; set the password in a new variable (such as ${SMTP_PASSWORD_ENV_PREFIX}_2) where Foresight runs and name that one.`,
    );
  }
  if (previous && smtpEndpoint(previous) !== endpoint)
    throw new UserFacingError(
      'PASSWORD_NEEDED',
      'Changing the SMTP server, port or security needs the password again, so it is never sent to a server you did not enter it for.',
    );
}

/** After saving: an environment variable used for the first time is bound to this server. */
export function rememberPasswordDestination(db: Db, saved: SmtpSettings): void {
  const name = envName(saved.passwordRef);
  if (name !== null && saved.username) bindEnv(db, 'smtp', name, smtpEndpoint(saved));
}
