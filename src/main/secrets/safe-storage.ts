/**
 * Electron's safeStorage as a StringCipher, using the asynchronous API (encryptStringAsync /
 * decryptStringAsync, isAsyncEncryptionAvailable; see node_modules/electron/electron.d.ts): the
 * synchronous one is deprecated and going away. If a runtime lacks the async functions (an older
 * Electron), the sync ones are used behind the same promise interface; Electron documents that
 * what encryptString wrote, decryptStringAsync reads, so nothing needs migrating later.
 */
import { safeStorage } from 'electron';
import type { StringCipher } from './encrypted-secret-store.ts';

type SafeStorageLike = Pick<
  typeof safeStorage,
  'encryptString' | 'decryptString' | 'isEncryptionAvailable' | 'getSelectedStorageBackend'
> &
  Partial<Pick<typeof safeStorage, 'encryptStringAsync' | 'decryptStringAsync' | 'isAsyncEncryptionAvailable'>>;

export function safeStorageBackendName(storage: SafeStorageLike, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'linux') return storage.getSelectedStorageBackend();
  return platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : 'unknown';
}

/** Call after app 'ready' (the Linux backend is only known then). */
export function safeStorageCipher(
  storage: SafeStorageLike = safeStorage,
  platform: NodeJS.Platform = process.platform,
): StringCipher {
  const hasAsync = typeof storage.encryptStringAsync === 'function' && typeof storage.decryptStringAsync === 'function';
  return {
    backend: safeStorageBackendName(storage, platform),
    async isAvailable() {
      if (typeof storage.isAsyncEncryptionAvailable === 'function') return storage.isAsyncEncryptionAvailable();
      return storage.isEncryptionAvailable();
    },
    async encrypt(plainText) {
      if (hasAsync) return storage.encryptStringAsync!(plainText);
      return storage.encryptString(plainText);
    },
    async decrypt(cipherText) {
      const buffer = Buffer.from(cipherText);
      if (hasAsync) {
        const { result, shouldReEncrypt } = await storage.decryptStringAsync!(buffer);
        return { value: result, shouldReEncrypt };
      }
      return { value: storage.decryptString(buffer), shouldReEncrypt: false };
    },
  };
}
