/** Opens the hub's store from the CLI's or a test's choice: a PostgreSQL URL or an embedded directory. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserFacingError } from '../../domain/errors.ts';
import { migrateHub } from '../migrations/migrate.ts';
import { openEmbeddedStore } from './embedded-store.ts';
import { openPgStore } from './pg-store.ts';
import type { HubStore } from './store.ts';

export interface StoreChoice {
  pgUrl?: string | null;
  embeddedDir?: string | null;
}

/** PGlite's files live in DIR/pgdata, so DIR can also hold the running hub's hub.json. */
export const embeddedDataDir = (dir: string) => join(dir, 'pgdata');

export async function openHubStore(choice: StoreChoice): Promise<HubStore> {
  if (choice.pgUrl && choice.embeddedDir)
    throw new UserFacingError('HUB_STORE_CHOICE', 'Give either --pg URL or --embedded DIR, not both.');
  let store: HubStore;
  if (choice.pgUrl) {
    try {
      store = await openPgStore(choice.pgUrl);
    } catch (error) {
      throw new UserFacingError(
        'HUB_STORE_UNREACHABLE',
        `Could not connect to PostgreSQL at ${redactUrl(choice.pgUrl)}: ${(error as Error).message}.`,
      );
    }
  } else if (choice.embeddedDir) {
    mkdirSync(choice.embeddedDir, { recursive: true });
    store = await openEmbeddedStore(embeddedDataDir(choice.embeddedDir));
  } else {
    throw new UserFacingError('HUB_STORE_CHOICE', 'Say where the hub keeps its data: --pg URL or --embedded DIR.');
  }
  try {
    await migrateHub(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * The connection string with every password form masked, for messages: `user:secret@` in a URL, a
 * `password=` query parameter (pg-connection-string reads it), and a key-value conninfo's
 * `password=secret` or `password='a secret'`.
 */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    for (const key of [...url.searchParams.keys()]) if (/pass/i.test(key)) url.searchParams.set(key, '***');
    return url.toString();
  } catch {
    return text
      .replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@')
      .replace(/(pass\w*\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&]+)/gi, '$1***');
  }
}
