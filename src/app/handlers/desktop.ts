/**
 * Backups, restore and preferences for Settings. The same calls work in the desktop app and the
 * web preview; only "Restore from file…" needs the desktop app's native file chooser.
 */
import { basename } from 'node:path';
import { createBackup } from '../../domain/safety/backup.ts';
import { backupsDirFor, listBackups, type BackupFile } from '../../domain/safety/backup-files.ts';
import { readLastRecovery, restoreDatabase } from '../../domain/safety/restore.ts';
import { DEFAULT_ROTATION } from '../../domain/safety/rotation.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { metaRepo } from '../../domain/db/repos/meta.ts';
import type { Db } from '../../domain/db/open.ts';
import type { BackupInfo, PreferencesView } from '../../shared/dto/desktop.ts';
import type { AppContext } from '../context.ts';
import type { HandlerMap } from '../dispatcher.ts';
import { confirmAllowListChange } from '../allow-list-change.ts';
import { preferencesFor, userPart, type Preferences } from '../preferences.ts';
import { OWNER_IDENTITY_KEY } from './risk.ts';

const toInfo = (backup: BackupFile): BackupInfo => ({
  id: backup.fileName,
  path: backup.path,
  takenAt: backup.takenAt.toISOString(),
  kind: backup.kind,
  bytes: backup.bytes,
});

async function chooseBackupFile(ctx: AppContext): Promise<string | null> {
  if (!ctx.native)
    throw new UserFacingError(
      'NOT_IN_DESKTOP_APP',
      'Restoring from a file needs the desktop app; use "foresight restore FILE" instead.',
    );
  const [file] = await ctx.native.chooseFiles({
    title: 'Restore Foresight data from a backup',
    filters: [{ name: 'Foresight backup', extensions: ['db', 'sqlite', 'bak'] }],
    multiple: false,
  });
  return file ?? null;
}

/**
 * "My accounts": the owner email the risk screens use (kept with the book, in app_meta) wins; the
 * preference is the fallback and is mirrored into it, so Settings, the risk list, the digest and
 * the badge always agree.
 */
export function effectiveOwnerEmail(db: Db, preferences: Preferences): string | null {
  return metaRepo(db).get(OWNER_IDENTITY_KEY) ?? preferences.identity.ownerEmail;
}

function preferencesView(ctx: AppContext): PreferencesView {
  const store = preferencesFor(ctx);
  const preferences = userPart(store.get());
  return {
    preferences: {
      ...preferences,
      identity: { ...preferences.identity, ownerEmail: effectiveOwnerEmail(ctx.db, store.get()) },
    },
    persistence: store.persistence,
    secretsEncrypted: ctx.secrets.isEncrypted,
  };
}

export const desktopHandlers = {
  'backups.list': (_input, ctx) => ({
    folder: backupsDirFor(ctx.dbPath),
    backups: listBackups(ctx.dbPath).map(toInfo),
    policy: DEFAULT_ROTATION,
    lastRecovery: readLastRecovery(ctx.db),
    canChooseFile: ctx.native !== null,
  }),

  'backups.create': async (_input, ctx) => {
    const result = await createBackup(ctx.db, { dbPath: ctx.dbPath, now: ctx.now(), kind: 'manual' });
    const created = listBackups(ctx.dbPath).find((b) => b.path === result.path);
    return {
      backup: created
        ? toInfo(created)
        : {
            id: basename(result.path),
            path: result.path,
            takenAt: result.takenAt.toISOString(),
            kind: 'manual',
            bytes: result.bytes,
          },
      rotatedAway: result.rotatedAway.length,
    };
  },

  'backups.restore': async (input, ctx) => {
    let from: string | null;
    if ('id' in input) {
      // Only a file that is in the backups folder, by name: the renderer never hands us a path.
      from = listBackups(ctx.dbPath).find((b) => b.fileName === input.id)?.path ?? null;
      if (!from)
        throw new UserFacingError(
          'BACKUP_NOT_FOUND',
          `There is no backup called ${input.id} in ${backupsDirFor(ctx.dbPath)}.`,
        );
    } else {
      from = await chooseBackupFile(ctx);
      if (!from) return null;
    }
    const result = await restoreDatabase(ctx.db, { dbPath: ctx.dbPath, from, now: ctx.now() });
    // Everything in the file was replaced: risk, templates, settings and sync history too.
    ctx.emit({ type: 'data-changed', kinds: ['all'] });
    return {
      restoredFrom: result.restoredFrom,
      backupTakenAt: result.backupTakenAt,
      keptAt: result.safetyCopy,
      message: result.notice.message,
    };
  },

  'preferences.get': (_input, ctx) => preferencesView(ctx),

  'preferences.set': async (input, ctx) => {
    const store = preferencesFor(ctx);
    await confirmAllowListChange(ctx.native, store.get().externalLinks.allowedHosts, input.externalLinks?.allowedHosts);
    store.update(input);
    if (input.identity && 'ownerEmail' in input.identity) {
      const meta = metaRepo(ctx.db);
      if (input.identity.ownerEmail) meta.set(OWNER_IDENTITY_KEY, input.identity.ownerEmail);
      else meta.remove(OWNER_IDENTITY_KEY);
      ctx.emit({ type: 'data-changed', kinds: ['risk'] });
    }
    return preferencesView(ctx);
  },
} satisfies Partial<HandlerMap>;
