/**
 * Where feed tokens live. The desktop app implements it with Electron safeStorage (encrypted at
 * rest); the CLI reads tokens from environment variables and never stores them. Domain code only
 * ever sees this interface, so no token can reach the database, a log or an export by accident.
 */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** False where secrets cannot be stored safely (e.g. Linux basic_text). */
  readonly isEncrypted: boolean;
  /**
   * True where the store can keep a secret only weakly protected and will ask the user before
   * doing so (Linux basic_text); set() then resolves or refuses with the user's answer.
   */
  readonly needsConsent: boolean;
}

/** Whether set() can succeed at all: encrypted, or weakly protected with the user's consent. */
export function canStoreSecrets(store: SecretStore): boolean {
  return store.isEncrypted || store.needsConsent;
}

/** A store that reads `VAR` from the environment for a secret named `env:VAR`, and stores nothing. */
export function environmentSecretStore(env: NodeJS.ProcessEnv = process.env): SecretStore {
  return {
    isEncrypted: false,
    needsConsent: false,
    get: async (name) => (name.startsWith('env:') ? (env[name.slice(4)] ?? null) : null),
    set: async () => {
      throw new Error('The CLI does not store secrets; pass --token-env VAR instead.');
    },
    delete: async () => {},
  };
}
