/**
 * Outreach rules as data: the fatigue cap, active hours, the links templates point to and the
 * senders' names. Defaults live here; the user's overrides are JSON rows in outreach_settings, one
 * per key, validated on the way in and merged over the defaults on the way out.
 */
import { z } from 'zod';
import { issueSentence } from '../../shared/settings-issues.ts';
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { UserFacingError } from '../errors.ts';
import { OUTREACH_CHANNELS } from './channels.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM');

export const fatigueSchema = z.object({
  /** At most this many proactive touches per account… */
  maxTouches: z.number().int().min(1).max(50),
  /** …in this many days. */
  windowDays: z.number().int().min(1).max(365),
});

export const activeHoursSchema = z
  .object({
    start: hhmm,
    end: hhmm,
    /** ISO weekdays, 1 = Monday … 7 = Sunday. */
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    /** The channels that wait for active hours. */
    channels: z.array(z.enum(OUTREACH_CHANNELS)),
    /** Used for accounts without a time zone on record. */
    fallbackTimeZone: z.string().min(1),
  })
  .refine((value) => value.start < value.end, { message: 'working hours must start before they end' })
  .refine((value) => isTimeZone(value.fallbackTimeZone), {
    message: 'the time zone when unknown must be a time zone name such as Europe/Berlin',
  });

const url = z.string().url().max(500);

export const linksSchema = z.object({
  app: url,
  billing: url,
  setup: url,
  team: url,
  plans: url,
  help: url,
  status: url,
  feedback: url,
  /** A booking page per sender; "{local}" is replaced by the sender's address before the @, with dots as dashes. */
  booking: z.string().max(500),
});

export const senderSchema = z.object({
  name: z.string().trim().max(120).optional(),
  phone: z.string().trim().max(40).optional(),
  bookingLink: z.string().url().max(500).optional(),
});

export const sendersSchema = z.record(z.string().email(), senderSchema);

export type FatigueSettings = z.infer<typeof fatigueSchema>;
export type ActiveHoursSettings = z.infer<typeof activeHoursSchema>;
export type LinkSettings = z.infer<typeof linksSchema>;
export type SenderSettings = z.infer<typeof senderSchema>;

export interface OutreachSettings {
  fatigue: FatigueSettings;
  activeHours: ActiveHoursSettings;
  links: LinkSettings;
  senders: Record<string, SenderSettings>;
}

export const DEFAULT_OUTREACH_SETTINGS: OutreachSettings = {
  fatigue: { maxTouches: 2, windowDays: 14 },
  activeHours: {
    start: '09:00',
    end: '17:00',
    weekdays: [1, 2, 3, 4, 5],
    channels: ['email', 'sms'],
    fallbackTimeZone: 'UTC',
  },
  links: {
    app: 'https://app.example.com',
    billing: 'https://app.example.com/billing',
    setup: 'https://app.example.com/setup',
    team: 'https://app.example.com/team',
    plans: 'https://app.example.com/plans',
    help: 'https://help.example.com',
    status: 'https://status.example.com',
    feedback: 'https://app.example.com/feedback',
    booking: 'https://cal.example.com/{local}',
  },
  senders: {},
};

const SCHEMAS = {
  fatigue: fatigueSchema,
  activeHours: activeHoursSchema,
  links: linksSchema,
  senders: sendersSchema,
} as const;
type SettingsKey = keyof typeof SCHEMAS;
const KEYS = Object.keys(SCHEMAS) as SettingsKey[];

const zones = new Map<string, boolean>();

export function isTimeZone(zone: string): boolean {
  let known = zones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    zones.set(zone, known);
  }
  return known;
}

const readStatement = perConnection((db) =>
  db.prepare<[], { key: string; value_json: string }>('SELECT key, value_json FROM outreach_settings'),
);

export function loadOutreachSettings(db: Db): OutreachSettings {
  const rows = readStatement(db).all();
  const settings: OutreachSettings = structuredClone(DEFAULT_OUTREACH_SETTINGS);
  for (const row of rows) {
    if (!(KEYS as string[]).includes(row.key)) continue;
    const key = row.key as SettingsKey;
    let stored: unknown;
    try {
      stored = JSON.parse(row.value_json);
    } catch {
      continue;
    }
    // Merge over the defaults so a setting added later still has a value; ignore what no longer validates.
    const merged = key === 'senders' ? stored : { ...(settings[key] as object), ...(stored as object) };
    const parsed = SCHEMAS[key].safeParse(merged);
    if (parsed.success) (settings as unknown as Record<string, unknown>)[key] = parsed.data;
  }
  return settings;
}

export type OutreachSettingsChange = Partial<{
  fatigue: Partial<FatigueSettings>;
  activeHours: Partial<ActiveHoursSettings>;
  links: Partial<LinkSettings>;
  senders: Record<string, SenderSettings>;
}>;

/** Validates and stores a partial change; returns the settings now in force. */
export function saveOutreachSettings(db: Db, change: OutreachSettingsChange, now: Date): OutreachSettings {
  const current = loadOutreachSettings(db);
  const upsert = db.prepare(
    `INSERT INTO outreach_settings (key, value_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
  );
  db.transaction(() => {
    for (const key of KEYS) {
      const part = change[key];
      if (part === undefined) continue;
      const merged =
        key === 'senders' ? { ...current.senders, ...part } : { ...(current[key] as object), ...(part as object) };
      const parsed = SCHEMAS[key].safeParse(merged);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        // One sentence naming the field in words (src/shared/settings-issues.ts).
        throw new UserFacingError(
          'INVALID_SETTINGS',
          `${issue ? issueSentence({ ...issue, path: [key, ...issue.path] }) : `The ${key} setting is not valid.`} Nothing was saved.`,
        );
      }
      upsert.run(key, JSON.stringify(parsed.data), now.toISOString());
    }
  })();
  return loadOutreachSettings(db);
}
