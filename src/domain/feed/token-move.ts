/**
 * A feed token is never sent to an address the user did not give it for. A stored token needs
 * typing again with a new URL. An environment variable's *name* is no secret (anything that can
 * call the API can repeat it), so a variable is bound to the origin it was first used with
 * (`env-binding.ts`): the API may use it only there. Another origin needs a new variable, which
 * only the user can set where Foresight runs, or `foresight source add` in a terminal (which
 * rebinds it).
 */
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import { bindEnv, envBinding } from '../secrets/env-binding.ts';
import { feedRepo } from './repo.ts';
import { checkEnvVarName, normaliseFeedUrl } from './sources.ts';

const originOf = (url: string) => new URL(url).origin;

/** The origins the variable may be sent to: its binding, and sources already using it (older books). */
function boundOrigins(db: Db, env: string): Set<string> {
  const origins = new Set<string>();
  const bound = envBinding(db, 'feed', env);
  if (bound) origins.add(bound);
  for (const source of feedRepo(db).list()) if (source.token_ref === `env:${env}`) origins.add(originOf(source.url));
  return origins;
}

/** Refuses an API save that would send a token somewhere it was not given for. */
export function refuseTokenMove(
  db: Db,
  existing: { url: string; token_ref: string | null } | undefined,
  input: { name: string; url: string; token?: string; tokenEnv?: string },
): void {
  if (input.token !== undefined) return;
  const url = normaliseFeedUrl(input.url);
  if (input.tokenEnv !== undefined) {
    const env = checkEnvVarName(input.tokenEnv);
    const origins = boundOrigins(db, env);
    if (origins.size === 0 || origins.has(originOf(url))) return;
    throw new UserFacingError(
      'TOKEN_NEEDED',
      `The token in ${env} is for ${[...origins].join(', ')}, so Foresight does not send it to ${originOf(url)} on this screen's word; set the token in a new variable (such as ${env}_2) where Foresight runs and name that one, or run "foresight source add ${input.name} --url ${url} --token-env ${env}" in a terminal.`,
    );
  }
  if (!existing?.token_ref || url === existing.url) return;
  throw new UserFacingError(
    'TOKEN_NEEDED',
    'Changing the address of a source needs its token again, so a token is never sent to a new address without you entering it.',
  );
}

/** After a save: the variable is bound to this origin (the API binds only a new variable; the terminal rebinds). */
export function bindTokenEnv(db: Db, tokenRef: string | null, url: string, rebind: boolean): void {
  if (tokenRef?.startsWith('env:')) bindEnv(db, 'feed', tokenRef.slice(4), originOf(url), rebind);
}
