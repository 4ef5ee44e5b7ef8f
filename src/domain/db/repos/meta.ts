import type { Db } from '../open.ts';
import { perConnection } from '../per-connection.ts';

/** Small pieces of app state: last sync time, whether the book is demo data, and so on. */
export const metaRepo = perConnection((db: Db) => {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM app_meta WHERE key = ?');
  const set = db.prepare(
    'INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM app_meta WHERE key = ?');
  return {
    get: (key: string): string | null => get.get(key)?.value ?? null,
    set: (key: string, value: string): void => void set.run(key, value),
    remove: (key: string): void => void remove.run(key),
  };
});

export const META_KEYS = {
  lastSyncAt: 'last_sync_at',
  demoSeed: 'demo_seed',
  demoDismissed: 'demo_dismissed',
  /** The user's own owner email, for "my accounts" and as the actor of what they do. */
  ownerIdentity: 'risk.owner_email',
} as const;
