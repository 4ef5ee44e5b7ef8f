/**
 * Settings › Email (SMTP): the user's own mail server for "Send email…". The password goes to the
 * secret store (desktop) or stays in an environment variable named here (web preview, CLI); it is
 * never shown again, only whether it is available.
 */
import { useState } from 'react';
import type { SmtpSettings } from '../../../shared/dto/mail.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { api, errorMessage } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { toast } from '../../ui/toast-store.ts';

interface Draft {
  host: string;
  port: string;
  security: SmtpSettings['security'];
  username: string;
  password: string;
  passwordEnv: string;
  fromEmail: string;
  fromName: string;
}

function draftOf(settings: SmtpSettings | null): Draft {
  return {
    host: settings?.host ?? '',
    port: String(settings?.port ?? 587),
    security: settings?.security ?? 'starttls',
    username: settings?.username ?? '',
    password: '',
    passwordEnv: settings?.passwordRef?.startsWith('env:') ? settings.passwordRef.slice(4) : '',
    fromEmail: settings?.fromEmail ?? '',
    fromName: settings?.fromName ?? '',
  };
}

/**
 * What to do when the password cannot be found, for where it is kept: an environment variable has
 * no field here (it is set where Foresight starts), and the web preview cannot read the desktop
 * app's secret store.
 */
export function missingPasswordSentence(passwordRef: SmtpSettings['passwordRef'], webPreview: boolean): string {
  if (passwordRef?.startsWith('env:'))
    return `The password is read from the environment variable ${passwordRef.slice(4)}, which is not set where Foresight runs; set it and start Foresight again so queued email can be sent.`;
  if (webPreview)
    return "The password is in the desktop app's secret store, which the web preview cannot read; name an environment variable that holds it above, and set it where Foresight runs.";
  return 'The password is not available on this computer; enter it again so queued email can be sent.';
}

export function SmtpSection() {
  const view = useApiQuery('mail.settings.get', {}, { reloadOn: false });
  if (view.error || !view.data) return <QueryFallback query={view} what="the email settings" size="inline" />;
  return (
    <SmtpForm settings={view.data.settings} passwordAvailable={view.data.passwordAvailable} onSaved={view.reload} />
  );
}

function SmtpForm({
  settings,
  passwordAvailable,
  onSaved,
}: {
  settings: SmtpSettings | null;
  passwordAvailable: boolean;
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const save = useApiMutation('mail.settings.save');
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const webPreview = api.transport === 'http';

  const submit = async () => {
    const port = Number(draft.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return setError('The port is a number from 1 to 65535.');
    setError(null);
    try {
      await save.run({
        settings: {
          host: draft.host,
          port,
          security: draft.security,
          username: draft.username.trim() || null,
          passwordEnv: draft.passwordEnv.trim() || null,
          fromEmail: draft.fromEmail,
          fromName: draft.fromName.trim() || null,
        },
        password: draft.password || null,
      });
      setDraft((d) => ({ ...d, password: '' }));
      toast({ title: 'Email settings saved', tone: 'success' });
      onSaved();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <form
      // Our own sentences, not the browser's bubbles.
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p className="settings__muted">
        Email you send from the composer goes through your own mail server, as if sent from your mail app. While the
        server cannot be reached, messages wait in a queue and go out on the next try.
      </p>
      <div className="settings__form">
        <label htmlFor="smtp-host">Server</label>
        <input
          id="smtp-host"
          type="text"
          value={draft.host}
          placeholder="smtp.company.com"
          onChange={(e) => set('host', e.target.value)}
        />
        <label htmlFor="smtp-port">Port</label>
        <input
          id="smtp-port"
          type="number"
          min={1}
          max={65535}
          value={draft.port}
          onChange={(e) => set('port', e.target.value)}
        />
        <label htmlFor="smtp-security">Security</label>
        <select
          id="smtp-security"
          value={draft.security}
          onChange={(e) => set('security', e.target.value as Draft['security'])}
        >
          <option value="starttls">STARTTLS (usually port 587)</option>
          <option value="tls">TLS from the start (usually port 465)</option>
          <option value="none">None (a local test server only)</option>
        </select>
        <label htmlFor="smtp-user">Username (empty: no login)</label>
        <input id="smtp-user" type="text" value={draft.username} onChange={(e) => set('username', e.target.value)} />
        {webPreview ? (
          <>
            <label htmlFor="smtp-env">Password environment variable</label>
            <input
              id="smtp-env"
              type="text"
              value={draft.passwordEnv}
              placeholder="FORESIGHT_SMTP_PASSWORD"
              onChange={(e) => set('passwordEnv', e.target.value)}
            />
          </>
        ) : (
          <>
            <label htmlFor="smtp-password">
              Password {passwordAvailable && settings?.passwordRef ? '(stored; type to replace)' : ''}
            </label>
            <input
              id="smtp-password"
              type="password"
              autoComplete="new-password"
              value={draft.password}
              onChange={(e) => set('password', e.target.value)}
            />
          </>
        )}
        <label htmlFor="smtp-from">From address</label>
        <input
          id="smtp-from"
          type="email"
          value={draft.fromEmail}
          placeholder="you@company.com"
          onChange={(e) => set('fromEmail', e.target.value)}
        />
        <label htmlFor="smtp-from-name">From name</label>
        <input
          id="smtp-from-name"
          type="text"
          value={draft.fromName}
          onChange={(e) => set('fromName', e.target.value)}
        />
      </div>
      {settings?.username && !passwordAvailable && (
        <p className="settings__notice" role="status">
          {missingPasswordSentence(settings.passwordRef, webPreview)}
        </p>
      )}
      {error && (
        <p className="settings__notice" role="alert">
          {error}
        </p>
      )}
      <div className="settings__actions">
        <Button type="submit" variant="primary" loading={save.running}>
          Save email settings
        </Button>
      </div>
    </form>
  );
}
