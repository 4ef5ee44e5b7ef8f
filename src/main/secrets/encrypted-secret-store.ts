/**
 * Feed tokens at rest: encrypted by the OS (safeStorage in the app, an injected cipher in tests),
 * kept in userData/secrets.json as base64 ciphertext, never in the database, preferences, logs or
 * exports. Where the OS offers no real protection (Linux `basic_text`), the user is warned and
 * asked before anything is stored; where it offers nothing, nothing is stored.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserFacingError } from '../../domain/errors.ts';
import type { SecretStore } from '../../domain/secrets/secret-store.ts';
import type { Redactor } from '../logging/redact.ts';

/** What the store needs from safeStorage, so tests can inject a cipher. */
export interface StringCipher {
  /** Linux: safeStorage.getSelectedStorageBackend(); elsewhere a fixed name ('keychain', 'dpapi'). */
  readonly backend: string;
  isAvailable(): Promise<boolean>;
  encrypt(plainText: string): Promise<Uint8Array>;
  decrypt(cipherText: Uint8Array): Promise<{ value: string; shouldReEncrypt: boolean }>;
}

export interface EncryptedSecretStoreOptions {
  file: string;
  cipher: StringCipher;
  /** Asked before storing when the backend is basic_text; resolves true when the user agrees. */
  confirmWeakStorage(): Promise<boolean>;
  redactor?: Redactor;
  env?: NodeJS.ProcessEnv;
}

export interface EncryptedSecretStore extends SecretStore {
  readonly backend: string;
  /** True when set() will ask first (basic_text). */
  readonly needsConsent: boolean;
}

/** Backends that only obfuscate: a hard-coded key, no OS keyring. */
export const WEAK_BACKENDS = new Set(['basic_text']);

const NAME = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$/;
const MAX_SECRET_LENGTH = 16_384;

interface SecretsFile {
  version: 1;
  entries: Record<string, string>;
}

export async function createEncryptedSecretStore(options: EncryptedSecretStoreOptions): Promise<EncryptedSecretStore> {
  const available = await options.cipher.isAvailable().catch(() => false);
  const weak = WEAK_BACKENDS.has(options.cipher.backend);
  const env = options.env ?? process.env;

  const read = (): SecretsFile => {
    if (!existsSync(options.file)) return { version: 1, entries: {} };
    try {
      const parsed = JSON.parse(readFileSync(options.file, 'utf8')) as Partial<SecretsFile>;
      const entries: Record<string, string> = {};
      for (const [name, value] of Object.entries(parsed.entries ?? {}))
        if (NAME.test(name) && typeof value === 'string') entries[name] = value;
      return { version: 1, entries };
    } catch {
      return { version: 1, entries: {} };
    }
  };
  const write = (data: SecretsFile) => {
    mkdirSync(dirname(options.file), { recursive: true });
    const partial = `${options.file}.partial`;
    writeFileSync(partial, JSON.stringify(data, null, 2), { mode: 0o600 });
    renameSync(partial, options.file);
  };
  const checkName = (name: string) => {
    if (typeof name !== 'string' || !NAME.test(name))
      throw new UserFacingError('SECRET_NAME', 'A secret name is letters, digits and ":._-", at most 100 characters.');
  };

  return {
    backend: options.cipher.backend,
    isEncrypted: available && !weak,
    needsConsent: available && weak,

    async get(name) {
      if (name.startsWith('env:')) {
        const value = env[name.slice(4)] ?? null;
        if (value) options.redactor?.add(value);
        return value;
      }
      checkName(name);
      const stored = read().entries[name];
      if (!stored || !available) return null;
      const { value, shouldReEncrypt } = await options.cipher.decrypt(Buffer.from(stored, 'base64'));
      options.redactor?.add(value);
      if (shouldReEncrypt) {
        const data = read();
        data.entries[name] = Buffer.from(await options.cipher.encrypt(value)).toString('base64');
        write(data);
      }
      return value;
    },

    async set(name, value) {
      checkName(name);
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SECRET_LENGTH) {
        throw new UserFacingError('SECRET_VALUE', 'A token must be between 1 and 16,384 characters.');
      }
      // Registered before anything can fail, so even an error about this value is logged masked.
      options.redactor?.add(value);
      if (!available) {
        throw new UserFacingError(
          'SECRETS_UNAVAILABLE',
          'This computer offers no way to encrypt the token, so it was not stored; use the CLI with --token-env instead.',
        );
      }
      if (weak && !(await options.confirmWeakStorage())) {
        throw new UserFacingError(
          'SECRETS_NOT_STORED',
          'The token was not stored: without a system keyring it could only be kept obfuscated, and you chose not to.',
        );
      }
      const cipherText = Buffer.from(await options.cipher.encrypt(value));
      if (cipherText.includes(Buffer.from(value, 'utf8')))
        throw new Error('The cipher returned the token in clear text; refusing to store it.');
      const data = read();
      data.entries[name] = cipherText.toString('base64');
      write(data);
    },

    async delete(name) {
      checkName(name);
      const data = read();
      if (!(name in data.entries)) return;
      delete data.entries[name];
      if (Object.keys(data.entries).length === 0) rmSync(options.file, { force: true });
      else write(data);
    },
  };
}
