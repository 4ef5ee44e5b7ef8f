import Store from 'electron-store';
import { existsSync, renameSync } from 'node:fs';
import {
  createPreferencesStore,
  electronStoreOptions,
  type Preferences,
  type PreferencesStore,
} from '../app/preferences.ts';

/**
 * Preferences in userData/preferences.json through electron-store, which validates every write
 * against the JSON Schema generated from the zod schema. A file the schema rejects (hand-edited,
 * or from a newer version) is kept aside as preferences.invalid-<time>.json, never silently wiped.
 */
export function electronPreferencesStore(log: (message: string) => void): PreferencesStore {
  const options = electronStoreOptions();
  let store: Store<Preferences>;
  try {
    store = new Store<Preferences>(options as ConstructorParameters<typeof Store<Preferences>>[0]);
  } catch (error) {
    const probe = new Store<Preferences>({
      ...options,
      schema: undefined,
      rootSchema: undefined,
    } as ConstructorParameters<typeof Store<Preferences>>[0]);
    const bad = probe.path;
    if (existsSync(bad)) renameSync(bad, bad.replace(/\.json$/, `.invalid-${Date.now()}.json`));
    log(`[preferences] the preferences file failed validation and was kept aside: ${(error as Error).message}`);
    store = new Store<Preferences>(options as ConstructorParameters<typeof Store<Preferences>>[0]);
  }
  return createPreferencesStore(
    {
      read: () => store.store,
      write: (preferences) => {
        store.store = preferences;
      },
    },
    'desktop',
    log,
  );
}
