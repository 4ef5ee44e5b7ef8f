/**
 * Finds a source's token from its reference: `env:VAR` (an environment variable, what the CLI
 * stores) or `secret:NAME` (the app's encrypted SecretStore). The token goes straight into the
 * request header and nowhere else.
 */
import type { SecretStore } from '../secrets/secret-store.ts';
import type { SourceRow } from './repo.ts';

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
