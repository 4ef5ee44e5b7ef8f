/**
 * The desktop app's preferences: one zod schema (pure, so it is tested in Node) that electron-store
 * also enforces on disk through the JSON Schema generated from it. The user-editable part comes
 * from the shared contract (src/shared/dto/desktop.ts); window state, the last screen and consents
 * are main-process only.
 */
import { z } from 'zod';
import { userPreferencesSchema, type UserPreferences, type UserPreferencesPatch } from '../shared/dto/desktop.ts';

export const windowStateSchema = z
  .object({
    x: z.number().int().min(-100_000).max(100_000).nullable(),
    y: z.number().int().min(-100_000).max(100_000).nullable(),
    width: z.number().int().min(400).max(20_000),
    height: z.number().int().min(300).max(20_000),
    maximized: z.boolean(),
    fullScreen: z.boolean(),
  })
  .strict();

export type WindowState = z.infer<typeof windowStateSchema>;

/** A hash route of the renderer, e.g. "#/accounts/acc_1"; anything else is not restored. */
export const lastScreenSchema = z
  .string()
  .max(300)
  .regex(/^#\/[A-Za-z0-9/_\-.~%?=&]*$/, 'expected an in-app route such as #/today');

export const preferencesSchema = userPreferencesSchema
  .extend({
    window: windowStateSchema.nullable(),
    lastScreen: lastScreenSchema,
    secrets: z
      .object({
        /** The user agreed to keep feed tokens where only basic_text obfuscation is available (Linux without a keyring). */
        allowBasicTextStorage: z.boolean(),
      })
      .strict(),
  })
  .strict();

export type Preferences = z.infer<typeof preferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = {
  theme: 'system',
  identity: { ownerEmail: null, displayName: null },
  sync: { enabled: true, intervalMinutes: 60 },
  notifications: { enabled: true, dailyDigest: true, digestTime: '09:00', badge: true },
  externalLinks: { allowedHosts: [] },
  window: null,
  lastScreen: '#/today',
  secrets: { allowBasicTextStorage: false },
};

/**
 * Reads whatever is on disk section by section: a section that fails the schema falls back to its
 * default instead of the whole file being thrown away, and unknown keys are dropped.
 */
export function normalisePreferences(raw: unknown): { preferences: Preferences; rejected: string[] } {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const rejected: string[] = [];
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_PREFERENCES) as (keyof Preferences)[]) {
    const field = preferencesSchema.shape[key];
    const parsed = field.safeParse(source[key]);
    if (parsed.success) result[key] = parsed.data;
    else {
      if (source[key] !== undefined) rejected.push(key);
      result[key] = structuredClone(DEFAULT_PREFERENCES[key]);
    }
  }
  return { preferences: preferencesSchema.parse(result), rejected };
}

/** Applies a validated patch; the result is validated again as a whole. */
export function applyPreferencesPatch(current: Preferences, patch: UserPreferencesPatch): Preferences {
  const next = {
    ...current,
    ...(patch.theme !== undefined ? { theme: patch.theme } : {}),
    identity: { ...current.identity, ...patch.identity },
    sync: { ...current.sync, ...patch.sync },
    notifications: { ...current.notifications, ...patch.notifications },
    externalLinks: { ...current.externalLinks, ...patch.externalLinks },
  };
  if (patch.externalLinks?.allowedHosts)
    next.externalLinks.allowedHosts = [...new Set(patch.externalLinks.allowedHosts)];
  return preferencesSchema.parse(next);
}

export function userPart(preferences: Preferences): UserPreferences {
  const { theme, identity, sync, notifications, externalLinks } = preferences;
  return { theme, identity, sync, notifications, externalLinks };
}

/** The JSON Schema electron-store (conf + ajv) validates every write against. */
export function preferencesJsonSchema(): { properties: Record<string, unknown>; additionalProperties: false } {
  const schema = z.toJSONSchema(preferencesSchema, { target: 'draft-2020-12' }) as {
    properties: Record<string, unknown>;
  };
  return { properties: schema.properties, additionalProperties: false };
}

/** Options for `new ElectronStore(...)`, kept here so a Node test can build the same store. */
export function electronStoreOptions() {
  const { properties } = preferencesJsonSchema();
  return {
    name: 'preferences',
    schema: properties,
    rootSchema: { additionalProperties: false },
    defaults: DEFAULT_PREFERENCES,
    // A file the schema rejects is not silently wiped; the adapter keeps it aside and starts from defaults.
    clearInvalidConfig: false,
  };
}

/** Where preferences are read and written: electron-store in the app, memory in the web preview and tests. */
export interface PreferencesBackend {
  read(): unknown;
  write(preferences: Preferences): void;
}

export interface PreferencesStore {
  readonly persistence: 'desktop' | 'session';
  get(): Preferences;
  update(patch: UserPreferencesPatch): Preferences;
  /** For main-only fields (window, lastScreen, consents). */
  setInternal<K extends 'window' | 'lastScreen' | 'secrets'>(key: K, value: Preferences[K]): Preferences;
  onChange(listener: (next: Preferences, previous: Preferences) => void): () => void;
}

export function createPreferencesStore(
  backend: PreferencesBackend,
  persistence: 'desktop' | 'session',
  log: (message: string) => void = () => {},
): PreferencesStore {
  const loaded = normalisePreferences(backend.read());
  if (loaded.rejected.length > 0)
    log(`[preferences] reset invalid section(s) to defaults: ${loaded.rejected.join(', ')}`);
  let current = loaded.preferences;
  const listeners = new Set<(next: Preferences, previous: Preferences) => void>();
  const commit = (next: Preferences): Preferences => {
    const previous = current;
    backend.write(next);
    current = next;
    listeners.forEach((listener) => listener(next, previous));
    return next;
  };
  return {
    persistence,
    get: () => current,
    update: (patch) => commit(applyPreferencesPatch(current, patch)),
    setInternal: (key, value) => commit(preferencesSchema.parse({ ...current, [key]: value })),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function memoryPreferencesBackend(initial: unknown = DEFAULT_PREFERENCES): PreferencesBackend {
  let stored: unknown = structuredClone(initial);
  return {
    read: () => stored,
    write: (preferences) => {
      stored = structuredClone(preferences);
    },
  };
}

/**
 * The preferences store of a running app. The desktop shell attaches its electron-store; the web
 * preview and tests get an in-memory store with the defaults, so Settings works in both.
 */
const attached = new WeakMap<object, PreferencesStore>();

export function attachPreferences(ctx: object, store: PreferencesStore): void {
  attached.set(ctx, store);
}

export function preferencesFor(ctx: object): PreferencesStore {
  let store = attached.get(ctx);
  if (!store) {
    store = createPreferencesStore(memoryPreferencesBackend(), 'session');
    attached.set(ctx, store);
  }
  return store;
}
