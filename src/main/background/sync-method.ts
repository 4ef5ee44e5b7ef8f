/**
 * The background timer syncs through the same API method the Sync screen uses, by name, so the
 * sync capability owns what a sync does. Its exact name is looked up in the contract at start-up;
 * when none exists (the capability is not built yet) the timer does not start.
 */
export const BACKGROUND_SYNC_CANDIDATES = ['sync.runAll', 'sync.all', 'sync.syncAll', 'sync.run'] as const;

export function findBackgroundSyncMethod(isApiMethod: (name: string) => boolean, candidates: readonly string[] = BACKGROUND_SYNC_CANDIDATES): string | null {
  return candidates.find((name) => isApiMethod(name)) ?? null;
}
