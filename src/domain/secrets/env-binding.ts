/**
 * Which place (a feed's origin, an SMTP server) a secret read from an environment variable was
 * first given for. The variable's *name* is not a secret: anything that can call the API can type
 * it, so repeating it proves nothing. Only the user can set a new variable where Foresight runs, so
 * an API caller may use a variable only for the place it is bound to; a new place needs a new
 * variable (or, for feeds, the terminal: `foresight source add`, which rebinds).
 */
import type { Db } from '../db/open.ts';
import { metaRepo } from '../db/repos/meta.ts';

export type EnvBindingScope = 'feed' | 'smtp';

const key = (scope: EnvBindingScope, name: string) => `env-binding.${scope}.${name}`;

export function envBinding(db: Db, scope: EnvBindingScope, name: string): string | null {
  return metaRepo(db).get(key(scope, name));
}

/** Binds the variable to `place` unless it is bound already (`rebind` for the user's own terminal). */
export function bindEnv(db: Db, scope: EnvBindingScope, name: string, place: string, rebind = false): void {
  if (rebind || envBinding(db, scope, name) === null) metaRepo(db).set(key(scope, name), place);
}
