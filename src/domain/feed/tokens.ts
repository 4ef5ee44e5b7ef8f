/**
 * Finds a source's token from its reference: `env:FORESIGHT_FEED_TOKEN_*` (an environment
 * variable, what the CLI stores) or `secret:NAME` (the app's encrypted SecretStore). The token goes straight into the
 * request header and nowhere else.
 */
import type { SecretStore } from '../secrets/secret-store.ts';
import type { SourceRow } from './repo.ts';
import { FEED_TOKEN_ENV_PREFIX, isFeedTokenEnvName } from './sources.ts';

const suggestSuffix = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

export const secretNameFor = (source: string) => `feed-token:${source}`;

export async function resolveFeedToken(
  secrets: SecretStore,
  source: Pick<SourceRow, 'name' | 'token_ref'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ token: string | null; problem: string | null }> {
  const ref = source.token_ref;
  if (ref === null) return { token: null, problem: null };
  if (ref.startsWith('env:')) {
    const variable = ref.slice(4);
    // A reference saved before the prefix rule (or written into the file by hand) is not followed.
    if (!isFeedTokenEnvName(variable))
      return {
        token: null,
        problem: `the token for ${source.name} is set to come from ${variable}, but Foresight reads feed tokens only from variables named ${FEED_TOKEN_ENV_PREFIX}<NAME>; run "foresight source add ${source.name} --url URL --token-env ${FEED_TOKEN_ENV_PREFIX}${suggestSuffix(source.name)}"`,
      };
    const token = (await secrets.get(ref).catch(() => null)) ?? env[variable] ?? null;
    return token
      ? { token, problem: null }
      : {
          token: null,
          problem: `the token for ${source.name} is missing: the environment variable ${variable} is not set`,
        };
  }
  const token = await secrets.get(ref.slice('secret:'.length)).catch(() => null);
  return token
    ? { token, problem: null }
    : {
        token: null,
        problem: `the token for ${source.name} is not stored on this computer; enter it again on the Sync screen`,
      };
}
