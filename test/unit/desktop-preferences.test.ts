import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyPreferencesPatch,
  createPreferencesStore,
  DEFAULT_PREFERENCES,
  electronStoreOptions,
  memoryPreferencesBackend,
  normalisePreferences,
  preferencesSchema,
} from '../../src/app/preferences.ts';
import { userPreferencesPatchSchema } from '../../src/shared/dto/desktop.ts';
import { tempDir } from '../support/temp.ts';

// electron-store imports electron only for the app's default folder; with an absolute cwd it runs in
// plain Node. Outside Electron, `require('electron')` resolves to the binary's path, and would try to
// download the binary when it is missing: an override path makes it return a path string instead.
process.env.ELECTRON_OVERRIDE_DIST_PATH ??= join(tmpdir(), 'foresight-no-electron-binary');

describe('preferences schema', () => {
  it('accepts the defaults', () => {
    expect(preferencesSchema.parse(DEFAULT_PREFERENCES)).toEqual(DEFAULT_PREFERENCES);
  });

  it.each([
    ['an unknown theme', { theme: 'neon' }],
    ['a sync interval under 5 minutes', { sync: { intervalMinutes: 1 } }],
    ['a fractional sync interval', { sync: { intervalMinutes: 7.5 } }],
    ['a sync interval over a day', { sync: { intervalMinutes: 2000 } }],
    ['a digest time that is not HH:MM', { notifications: { digestTime: '9am' } }],
    ['an owner that is not an email', { identity: { ownerEmail: 'me' } }],
    ['a link host with a scheme', { externalLinks: { allowedHosts: ['https://evil.example'] } }],
    ['a link host with a path', { externalLinks: { allowedHosts: ['example.com/x'] } }],
    ['a bare TLD wildcard', { externalLinks: { allowedHosts: ['*.com'] } }],
    ['an unknown key', { telemetry: true }],
    ['an unknown nested key', { sync: { enabled: true, onBattery: false } }],
  ])('rejects %s', (_label, patch) => {
    expect(userPreferencesPatchSchema.safeParse(patch).success).toBe(false);
  });

  it('rejects bad main-only values: tiny windows, routes that are not in-app', () => {
    const bad = [
      { ...DEFAULT_PREFERENCES, window: { x: 0, y: 0, width: 10, height: 10, maximized: false, fullScreen: false } },
      { ...DEFAULT_PREFERENCES, lastScreen: 'https://evil.example/' },
      { ...DEFAULT_PREFERENCES, lastScreen: '#/today<script>' },
      { ...DEFAULT_PREFERENCES, secrets: { allowBasicTextStorage: 'yes' } },
    ];
    for (const value of bad) expect(preferencesSchema.safeParse(value).success).toBe(false);
  });

  it('applies a patch section by section, normalising hosts', () => {
    const patch = userPreferencesPatchSchema.parse({
      sync: { intervalMinutes: 30 },
      externalLinks: { allowedHosts: ['App.HubSpot.com ', 'app.hubspot.com'] },
    });
    const next = applyPreferencesPatch(DEFAULT_PREFERENCES, patch);
    expect(next.sync).toEqual({ enabled: true, intervalMinutes: 30 });
    expect(next.externalLinks.allowedHosts).toEqual(['app.hubspot.com']);
    expect(next.theme).toBe('system');
  });

  it('keeps good sections of a damaged file and resets only the bad ones', () => {
    const { preferences, rejected } = normalisePreferences({
      ...DEFAULT_PREFERENCES,
      theme: 'dark',
      sync: { intervalMinutes: -3 },
      extra: 1,
    });
    expect(preferences.theme).toBe('dark');
    expect(preferences.sync).toEqual(DEFAULT_PREFERENCES.sync);
    expect(rejected).toEqual(['sync']);
  });

  it('tells listeners what changed', () => {
    const store = createPreferencesStore(memoryPreferencesBackend(), 'session');
    const seen: string[] = [];
    store.onChange((next, previous) => seen.push(`${previous.theme}->${next.theme}`));
    store.update({ theme: 'dark' });
    expect(seen).toEqual(['system->dark']);
    expect(() => store.setInternal('lastScreen', 'javascript:alert(1)')).toThrow();
    expect(store.get().lastScreen).toBe('#/today');
  });
});

describe('electron-store with the generated JSON Schema', () => {
  async function electronStore(cwd: string) {
    const { default: ElectronStore } = await import('electron-store');
    return new ElectronStore({ ...electronStoreOptions(), cwd } as ConstructorParameters<typeof ElectronStore>[0]);
  }

  it('stores the defaults and refuses bad values on write', async () => {
    const cwd = tempDir();
    const store = await electronStore(cwd);
    expect(store.store).toEqual(DEFAULT_PREFERENCES);
    expect(() => store.set('theme', 'neon')).toThrow(/schema/i);
    expect(() => store.set('sync', { enabled: true, intervalMinutes: 1 })).toThrow(/schema/i);
    expect(() => store.set('identity', { ownerEmail: 'not-an-email', displayName: null })).toThrow(/schema/i);
    expect(() => store.set('externalLinks', { allowedHosts: ['http://x.example'] })).toThrow(/schema/i);
    expect(() => store.set('lastScreen', 'file:///etc/passwd')).toThrow(/schema/i);
    expect(() => store.set('unknown', 1)).toThrow(/schema/i);
    store.set('theme', 'dark');
    expect(JSON.parse(readFileSync(join(cwd, 'preferences.json'), 'utf8')).theme).toBe('dark');
  });

  it('refuses to load a file edited into an invalid state (the app then keeps it aside and starts from defaults)', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'preferences.json'), JSON.stringify({ ...DEFAULT_PREFERENCES, theme: 'neon' }));
    await expect(electronStore(cwd)).rejects.toThrow(/schema/i);
  });
});
