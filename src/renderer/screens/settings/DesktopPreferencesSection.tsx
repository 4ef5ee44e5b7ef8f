import { useEffect, useState, type FormEvent } from 'react';
import type { PreferencesView, Theme, UserPreferences } from '../../../shared/dto/desktop.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { Button } from '../../ui/Button.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { toast } from '../../ui/toast-store.ts';

interface Draft {
  theme: Theme;
  ownerEmail: string;
  displayName: string;
  syncEnabled: boolean;
  intervalMinutes: string;
  notificationsEnabled: boolean;
  dailyDigest: boolean;
  digestTime: string;
  badge: boolean;
  allowedHosts: string;
}

const toDraft = (p: UserPreferences): Draft => ({
  theme: p.theme,
  ownerEmail: p.identity.ownerEmail ?? '',
  displayName: p.identity.displayName ?? '',
  syncEnabled: p.sync.enabled,
  intervalMinutes: String(p.sync.intervalMinutes),
  notificationsEnabled: p.notifications.enabled,
  dailyDigest: p.notifications.dailyDigest,
  digestTime: p.notifications.digestTime,
  badge: p.notifications.badge,
  allowedHosts: p.externalLinks.allowedHosts.join('\n'),
});

/** The theme applies at once in the page too (the desktop app also sets it natively). */
function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** Settings › Preferences: the user-editable part of the desktop preferences. */
export function DesktopPreferencesSection() {
  const query = useApiQuery('preferences.get', {}, { reloadOn: ['all'] });
  const view = query.data;
  useEffect(() => {
    if (view) applyTheme(view.preferences.theme);
  }, [view]);
  if (query.error || !view) return <QueryFallback query={query} what="preferences" size="inline" />;
  // Keyed by the stored values, so the form starts over whenever they change.
  return <PreferencesForm key={JSON.stringify(view.preferences)} view={view} />;
}

function PreferencesForm({ view }: { view: PreferencesView }) {
  const save = useApiMutation('preferences.set');
  const [draft, setDraft] = useState<Draft>(() => toDraft(view.preferences));

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft({ ...draft, [key]: value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const next = await save.run({
        theme: draft.theme,
        identity: { ownerEmail: draft.ownerEmail.trim() || null, displayName: draft.displayName.trim() || null },
        sync: { enabled: draft.syncEnabled, intervalMinutes: Number(draft.intervalMinutes) },
        notifications: {
          enabled: draft.notificationsEnabled,
          dailyDigest: draft.dailyDigest,
          digestTime: draft.digestTime,
          badge: draft.badge,
        },
        externalLinks: {
          allowedHosts: draft.allowedHosts
            .split(/[\s,]+/)
            .map((host) => host.trim())
            .filter(Boolean),
        },
      });
      setDraft(toDraft(next.preferences));
      applyTheme(next.preferences.theme);
      toast({ title: 'Preferences saved', tone: 'success' });
    } catch {
      // The message is shown inline below.
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Preferences">
      {view.persistence === 'session' && (
        <p className="settings__muted">
          In the web preview these preferences last until the preview stops; the desktop app keeps them.
        </p>
      )}
      {view.persistence === 'desktop' && !view.secretsEncrypted && (
        <p className="settings__notice" role="note">
          This computer has no system keyring, so feed tokens can only be stored obfuscated. Foresight asks before
          storing one.
        </p>
      )}
      <div className="settings__form">
        <label htmlFor="pref-theme">Theme</label>
        <select id="pref-theme" value={draft.theme} onChange={(e) => set('theme', e.target.value as Theme)}>
          <option value="system">Same as the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>

        <label htmlFor="pref-owner">My email (account owner)</label>
        <input
          id="pref-owner"
          type="email"
          value={draft.ownerEmail}
          placeholder="you@company.com"
          onChange={(e) => set('ownerEmail', e.target.value)}
        />

        <label htmlFor="pref-name">My name</label>
        <input
          id="pref-name"
          type="text"
          value={draft.displayName}
          onChange={(e) => set('displayName', e.target.value)}
        />

        <label htmlFor="pref-interval">Background sync every (minutes)</label>
        <div className="settings__checks">
          <input
            id="pref-interval"
            type="number"
            min={5}
            max={1440}
            step={1}
            value={draft.intervalMinutes}
            onChange={(e) => set('intervalMinutes', e.target.value)}
          />
          <label>
            <input type="checkbox" checked={draft.syncEnabled} onChange={(e) => set('syncEnabled', e.target.checked)} />{' '}
            Sync in the background
          </label>
        </div>

        <span>Notifications</span>
        <div className="settings__checks">
          <label>
            <input
              type="checkbox"
              checked={draft.notificationsEnabled}
              onChange={(e) => set('notificationsEnabled', e.target.checked)}
            />{' '}
            Allow notifications
          </label>
          <label>
            <input type="checkbox" checked={draft.dailyDigest} onChange={(e) => set('dailyDigest', e.target.checked)} />{' '}
            Morning digest: new at-risk accounts, tasks due and renewals this month
          </label>
          <label>
            <input type="checkbox" checked={draft.badge} onChange={(e) => set('badge', e.target.checked)} /> Badge with
            open high-priority items
          </label>
        </div>

        <label htmlFor="pref-digest-time">Send the morning digest at (your local time, while the app runs)</label>
        <input
          id="pref-digest-time"
          type="time"
          value={draft.digestTime}
          onChange={(e) => set('digestTime', e.target.value)}
        />

        <label htmlFor="pref-hosts">Links may open in the browser for</label>
        <textarea
          id="pref-hosts"
          value={draft.allowedHosts}
          placeholder={'app.hubspot.com\n*.zendesk.com'}
          aria-describedby="pref-hosts-help"
          onChange={(e) => set('allowedHosts', e.target.value)}
        />
      </div>
      <p id="pref-hosts-help" className="settings__muted">
        One host per line; “*.example.com” covers its subdomains. Other web links are not opened. Email links always
        open in your mail app.
      </p>
      {save.error && (
        <p role="alert" className="dialog__error">
          {save.error.message}
        </p>
      )}
      <div className="settings__actions">
        <Button type="submit" variant="primary" loading={save.running}>
          Save preferences
        </Button>
      </div>
    </form>
  );
}
