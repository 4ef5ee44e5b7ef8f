import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import type { NativeBridge } from '../../src/app/native.ts';
import type { ApiEvent } from '../../src/shared/api.ts';
import type { BackupCreated, BackupsOverview, PreferencesView, RestoreOutcome } from '../../src/shared/dto/desktop.ts';
import { sampleAccount, tempDir } from '../support/temp.ts';

function setup(native: NativeBridge | undefined = undefined) {
  const dbPath = join(tempDir(), 'foresight.db');
  let clock = new Date('2025-03-01T09:00:00Z');
  const app = createApp({ dbPath, now: () => clock, ...(native ? { native } : {}) });
  const events: ApiEvent[] = [];
  app.subscribe((event) => events.push(event));
  const call = async <T>(method: string, input: unknown = {}) => {
    const result = await app.dispatch(method, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  const addAccount = (id: string) =>
    app.ctx.db
      .prepare('INSERT INTO accounts (account_id, name, arr, currency, status) VALUES (?, ?, ?, ?, ?)')
      .run(id, sampleAccount().name, 1000, 'USD', 'active');
  const count = () => (app.ctx.db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
  return { app, call, events, addAccount, count, setClock: (d: Date) => (clock = d), dbPath };
}

describe('Settings › Data safety calls', () => {
  it('Back up now, list, and restore a listed backup by name', async () => {
    const { app, call, addAccount, count, setClock, events } = setup();
    addAccount('a1');
    const created = await call<BackupCreated>('backups.create');
    expect(created.backup).toMatchObject({ kind: 'manual', takenAt: '2025-03-01T09:00:00.000Z' });
    addAccount('a2');
    setClock(new Date('2025-03-02T10:00:00Z'));

    const overview = await call<BackupsOverview>('backups.list');
    expect(overview.backups.map((b) => b.id)).toEqual([created.backup.id]);
    expect(overview.policy).toEqual({ daily: 7, weekly: 4 });
    expect(overview.canChooseFile).toBe(false);
    expect(overview.lastRecovery).toBeNull();

    const outcome = await call<RestoreOutcome>('backups.restore', { id: created.backup.id });
    expect(outcome.message).toContain('Restored the backup taken 2025-03-01 09:00 UTC');
    expect(count()).toBe(1);
    // Everything was replaced, so every screen must reload (risk, templates, settings, sync too).
    expect(events).toContainEqual({ type: 'data-changed', kinds: ['all'] });

    const after = await call<BackupsOverview>('backups.list');
    expect(after.lastRecovery?.kind).toBe('restored-by-user');
    expect(after.backups.map((b) => b.kind).sort()).toEqual(['manual', 'pre-restore']);
    app.close();
  });

  it('restores only files in the backups folder; a path or an unknown name is refused', async () => {
    const { app } = setup();
    expect(await app.dispatch('backups.restore', { id: 'nope.db' })).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_NOT_FOUND' },
    });
    expect(await app.dispatch('backups.restore', { id: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await app.dispatch('backups.restore', { fromFile: true })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_DESKTOP_APP' },
    });
    app.close();
  });

  it('"Restore…" from a file goes through the native file chooser, and cancelling changes nothing', async () => {
    let chosen: string[] = [];
    const native: NativeBridge = {
      saveFile: async () => ({ saved: false, path: null }),
      chooseFiles: async () => chosen,
    };
    const { app, call, addAccount, count, dbPath } = setup(native);
    addAccount('a1');
    const other = join(tempDir(), 'exported.db');
    const { createBackup } = await import('../../src/domain/safety/backup.ts');
    await createBackup(app.ctx.db, { dbPath, now: new Date('2025-02-01T08:00:00Z'), out: other });
    addAccount('a2');
    expect(await call('backups.restore', { fromFile: true })).toBeNull();
    expect(count()).toBe(2);
    chosen = [other];
    const outcome = await call<RestoreOutcome>('backups.restore', { fromFile: true });
    expect(outcome.backupTakenAt).toBe('2025-02-01T08:00:00.000Z');
    expect(count()).toBe(1);
    app.close();
  });
});

function confirmingBridge(answer: boolean) {
  const asked: string[] = [];
  const native: NativeBridge = {
    saveFile: async () => ({ saved: false, path: null }),
    chooseFiles: async () => [],
    confirm: async ({ message }) => {
      asked.push(message);
      return answer;
    },
  };
  return { native, asked };
}

describe('Settings › external-link allow-list', () => {
  it('adds a host only after the native confirmation, and removes one without asking', async () => {
    const yes = confirmingBridge(true);
    const { app, call } = setup(yes.native);
    await call('preferences.set', { externalLinks: { allowedHosts: ['crm.example.com', 'wiki.example.com'] } });
    expect(yes.asked).toEqual(['Let Foresight open links to crm.example.com, wiki.example.com in your browser?']);
    await call('preferences.set', { externalLinks: { allowedHosts: ['crm.example.com'] } });
    expect(yes.asked).toHaveLength(1);
    expect((await call<PreferencesView>('preferences.get')).preferences.externalLinks.allowedHosts).toEqual([
      'crm.example.com',
    ]);
    app.close();
  });

  it('keeps the list when the user declines, and in the web preview (no native dialog) refuses new hosts', async () => {
    const no = confirmingBridge(false);
    const desktop = setup(no.native);
    expect(
      await desktop.app.dispatch('preferences.set', { externalLinks: { allowedHosts: ['evil.example'] } }),
    ).toMatchObject({ ok: false, error: { code: 'ALLOW_LIST_NOT_CONFIRMED' } });
    expect(no.asked).toHaveLength(1);
    desktop.app.close();
    const web = setup();
    expect(
      await web.app.dispatch('preferences.set', { externalLinks: { allowedHosts: ['evil.example'] } }),
    ).toMatchObject({ ok: false, error: { code: 'ALLOW_LIST_CONFIG_ONLY' } });
    expect((await web.call<PreferencesView>('preferences.get')).preferences.externalLinks.allowedHosts).toEqual([]);
    web.app.close();
  });
});

describe('Settings › preferences calls', () => {
  it('reads and changes the user-editable preferences, validating input', async () => {
    const { app, call } = setup(confirmingBridge(true).native);
    const initial = await call<PreferencesView>('preferences.get');
    expect(initial.persistence).toBe('session');
    expect(initial.preferences.theme).toBe('system');
    expect(initial).not.toHaveProperty('preferences.window');
    const next = await call<PreferencesView>('preferences.set', {
      theme: 'dark',
      identity: { ownerEmail: 'me@example.com' },
      externalLinks: { allowedHosts: ['app.hubspot.com'] },
    });
    expect(next.preferences).toMatchObject({
      theme: 'dark',
      identity: { ownerEmail: 'me@example.com', displayName: null },
      externalLinks: { allowedHosts: ['app.hubspot.com'] },
    });
    expect((await call<PreferencesView>('preferences.get')).preferences.theme).toBe('dark');
    expect(await app.dispatch('preferences.set', { lastScreen: 'https://evil.example' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await app.dispatch('preferences.set', { secrets: { allowBasicTextStorage: true } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    app.close();
  });

  it('"my accounts" is one identity: the preference and the risk screens\' owner agree both ways', async () => {
    const { app, call } = setup();
    await call('preferences.set', { identity: { ownerEmail: 'me@example.com' } });
    expect(await call('risk.me.get')).toEqual({ ownerEmail: 'me@example.com' });
    await call('risk.me.set', { ownerEmail: 'other@example.com' });
    expect((await call<PreferencesView>('preferences.get')).preferences.identity.ownerEmail).toBe('other@example.com');
    await call('preferences.set', { identity: { ownerEmail: null } });
    expect(await call('risk.me.get')).toEqual({ ownerEmail: null });
    app.close();
  });
});
