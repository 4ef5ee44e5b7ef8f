/**
 * Data shapes of the desktop calls (backups, restore, preferences). The user-editable part of the
 * preferences is a zod schema here because the API contract validates `preferences.set` with it;
 * the full stored schema (window bounds, last screen, consents) extends it in src/app/preferences.ts.
 */
import { z } from 'zod';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** A host the user allows links to open in the browser: "app.hubspot.com", or "*.example.com" for its subdomains. */
export const allowedHostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'expected a host name such as app.hubspot.com',
  )
  .meta({ title: 'allowed link host' });

const digestTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time such as 09:00')
  .meta({ title: 'digest time' });

export const identitySchema = z
  .object({
    /** Accounts whose owner_email is this are "my accounts" (digest, badge, filters). */
    ownerEmail: z.email().max(320).meta({ title: 'your email address' }).nullable(),
    displayName: z.string().trim().min(1).max(120).meta({ title: 'display name' }).nullable(),
  })
  .strict();

export const syncPreferencesSchema = z
  .object({
    enabled: z.boolean(),
    intervalMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60),
  })
  .strict();

export const notificationPreferencesSchema = z
  .object({
    enabled: z.boolean(),
    dailyDigest: z.boolean(),
    /** Local time of day for the digest. */
    digestTime,
    /** Dock/taskbar badge with the count of open high-priority risk items. */
    badge: z.boolean(),
  })
  .strict();

export const externalLinksSchema = z
  .object({
    allowedHosts: z.array(allowedHostSchema).max(50),
  })
  .strict();

/** What Settings shows and may change. */
export const userPreferencesSchema = z
  .object({
    theme: z.enum(THEMES),
    identity: identitySchema,
    sync: syncPreferencesSchema,
    notifications: notificationPreferencesSchema,
    externalLinks: externalLinksSchema,
  })
  .strict();

export type UserPreferences = z.infer<typeof userPreferencesSchema>;

/** `preferences.set` input: any subset, section by section. */
export const userPreferencesPatchSchema = z
  .object({
    theme: z.enum(THEMES).optional(),
    identity: identitySchema.partial().strict().optional(),
    sync: syncPreferencesSchema.partial().strict().optional(),
    notifications: notificationPreferencesSchema.partial().strict().optional(),
    externalLinks: externalLinksSchema.partial().strict().optional(),
  })
  .strict();

export type UserPreferencesPatch = z.infer<typeof userPreferencesPatchSchema>;

export type BackupKindDto = 'scheduled' | 'manual' | 'pre-restore';

export interface BackupInfo {
  /** The file name inside the backups folder; what `backups.restore` takes. */
  id: string;
  path: string;
  takenAt: string;
  kind: BackupKindDto;
  bytes: number;
}

export interface RecoveryNoticeDto {
  kind: 'restored-damaged' | 'restored-missing' | 'damaged-no-backup' | 'restored-by-user';
  at: string;
  backupPath: string | null;
  backupTakenAt: string | null;
  keptAt: string | null;
  problems: string[];
  message: string;
}

export interface BackupsOverview {
  folder: string;
  backups: BackupInfo[];
  policy: { daily: number; weekly: number };
  /** The last automatic or requested restore, so Settings can say what happened after the dialog is gone. */
  lastRecovery: RecoveryNoticeDto | null;
  /** Whether "Restore from file…" can open a native file chooser (desktop app only). */
  canChooseFile: boolean;
}

export interface BackupCreated {
  backup: BackupInfo;
  rotatedAway: number;
}

export interface RestoreOutcome {
  restoredFrom: string;
  backupTakenAt: string;
  keptAt: string;
  message: string;
}

export interface PreferencesView {
  preferences: UserPreferences;
  /** Where preferences live: the desktop app's store, or this session only (web preview). */
  persistence: 'desktop' | 'session';
  /** False where feed tokens cannot be encrypted (Linux basic_text); the app asks before storing. */
  secretsEncrypted: boolean;
}
