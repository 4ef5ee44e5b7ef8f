import { useId, useState, type MouseEvent } from 'react';
import type { LintWarning, OutreachChannel, OutreachDraft } from '../../shared/dto/outreach.ts';
import { OUTREACH_CHANNEL_LABELS } from '../../shared/dto/outreach.ts';
import { api, errorMessage } from '../api/client.ts';
import { useApiQuery } from '../api/hooks.ts';
import { useDebouncedValue } from '../hooks/useDebouncedValue.ts';
import type { DraftRequest } from '../stores/draft-request.ts';
import { Button, buttonClass } from '../ui/Button.tsx';
import { Chip } from '../ui/Chip.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Spinner } from '../ui/Spinner.tsx';
import { toast } from '../ui/Toast.tsx';
import { ChannelPicker } from './ChannelPicker.tsx';
import { downloadText } from './download.ts';
import { LintPanel } from './LintPanel.tsx';
import { SendEmailDialog } from './SendEmailDialog.tsx';
import './outreach.css';

interface Choice {
  triggerId: string | null;
  channel: OutreachChannel | null;
  templateId: string | null;
}

interface Text {
  /** Which draft the text was loaded from; a new template or channel loads fresh text. */
  key: string;
  subject: string;
  body: string;
}

const draftKey = (draft: OutreachDraft) =>
  `${draft.accountId}|${draft.trigger?.id ?? ''}|${draft.channel}|${draft.template?.id ?? ''}|${draft.guard.status}`;

function recipientLabel(draft: OutreachDraft): string | null {
  // An SMS goes to a phone number, never to an email address.
  if (draft.channel === 'sms' && draft.to?.phone)
    return draft.to.name ? `${draft.to.name} (${draft.to.phone})` : draft.to.phone;
  if (!draft.to?.email) return null;
  return draft.to.name ? `${draft.to.name} <${draft.to.email}>` : draft.to.email;
}

/**
 * "Draft outreach": the suggested template for the trigger, rendered for this account, editable,
 * with the benefit-first check updating as you type; and the guard's explanation whenever it
 * blocks (holdout, fatigue) or defers (outside the customer's working hours) the message.
 */
export function ComposerDialog({ request, onClose }: { request: DraftRequest; onClose: () => void }) {
  const [choice, setChoice] = useState<Choice>({ triggerId: request.triggerId, channel: null, templateId: null });
  const [text, setText] = useState<Text | null>(null);
  const [busy, setBusy] = useState<null | 'sent' | 'schedule' | 'eml' | 'mail' | 'copy'>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const ids = { subject: useId(), body: useId(), count: useId(), reason: useId(), template: useId() };

  const catalog = useApiQuery('outreach.catalog', {}, { reloadOn: false });
  const sameItem = choice.triggerId === request.triggerId;
  const draftQuery = useApiQuery(
    'outreach.draft',
    {
      accountId: request.accountId,
      triggerId: choice.triggerId,
      riskItemId: sameItem ? request.riskItemId : null,
      templateId: choice.templateId,
      channel: choice.channel,
      locale: navigator.language,
    },
    // The CSM may be mid-edit: a change elsewhere must not replace their text.
    { reloadOn: false, keepPreviousData: true },
  );
  const draft = draftQuery.data;

  // Load the rendered text whenever a different draft (template, channel, trigger) arrives.
  if (draft && (text === null || text.key !== draftKey(draft))) {
    setText({ key: draftKey(draft), subject: draft.subject ?? '', body: draft.body ?? '' });
  }

  const channel = draft?.channel ?? choice.channel ?? 'email';
  const blocked = draft?.guard.status === 'blocked';
  const deferred = draft?.guard.status === 'deferred';
  const editable = Boolean(draft && !blocked && text);
  const current = { channel, subject: channel === 'email' ? (text?.subject ?? '') : null, body: text?.body ?? '' };
  const settled = useDebouncedValue(current, 300);
  const lint = useApiQuery(
    'outreach.lint',
    { channel: settled.channel, subject: settled.subject, body: settled.body, accountId: request.accountId },
    { enabled: editable, keepPreviousData: true, reloadOn: false },
  );
  const recipient = draft ? recipientLabel(draft) : null;
  const mailto = useApiQuery(
    'outreach.mailto',
    { to: draft?.to?.email ?? null, subject: settled.subject ?? '', body: settled.body },
    { enabled: editable && channel === 'email', keepPreviousData: true, reloadOn: false },
  );

  const stale = JSON.stringify(settled) !== JSON.stringify(current);
  const warnings: readonly LintWarning[] = lint.data?.warnings ?? draft?.warnings ?? [];
  const limit = catalog.data?.limits[channel] ?? null;
  const length = [...(text?.body ?? '').trim()].length;

  const update = (change: Partial<Choice>) => {
    setActionError(null);
    setChoice((previous) => ({ ...previous, ...change }));
  };

  const run = async (kind: NonNullable<typeof busy>, action: () => Promise<void>) => {
    setBusy(kind);
    setActionError(null);
    try {
      await action();
    } catch (error) {
      setActionError(errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  const touch = () => ({
    accountId: request.accountId,
    triggerId: draft?.trigger?.id ?? '',
    riskItemId: draft?.riskItemId ?? null,
    templateId: draft?.template?.id ?? null,
    templateVersion: draft?.template?.version ?? null,
    channel,
    to: recipient,
    subject: current.subject,
  });

  const markSent = () =>
    run('sent', async () => {
      await api.call('outreach.markSent', touch());
      toast({
        title: 'Marked as sent',
        description: `${draft?.accountName}: ${OUTREACH_CHANNEL_LABELS[channel].toLowerCase()} logged as an intervention.`,
        tone: 'success',
      });
      onClose();
    });

  const schedule = () =>
    run('schedule', async () => {
      if (!draft?.guard.scheduleAt) return;
      await api.call('outreach.schedule', { ...touch(), plannedAt: draft.guard.scheduleAt });
      toast({
        title: `Scheduled for ${draft.guard.scheduleLabel}`,
        description: `${draft.accountName}: logged as a planned intervention.`,
        tone: 'success',
      });
      onClose();
    });

  const copy = () =>
    run('copy', async () => {
      await navigator.clipboard.writeText(text?.body ?? '');
      toast({ title: 'Message copied', tone: 'success' });
    });

  const saveEml = () =>
    run('eml', async () => {
      if (!draft) return;
      const file = await api.call('outreach.eml', {
        accountId: request.accountId,
        to: draft.to?.email ? { name: draft.to.name, email: draft.to.email } : null,
        subject: current.subject ?? '',
        body: current.body,
        label: draft.trigger?.label ?? 'draft',
      });
      if (file.saved) {
        toast({ title: 'Saved .eml file', description: file.savedTo ?? file.fileName, tone: 'success' });
      } else if (api.transport === 'http') {
        downloadText(file.fileName, file.content, 'message/rfc822');
        toast({
          title: `Downloaded ${file.fileName}`,
          description: 'Open it in your mail app to send it.',
          tone: 'success',
        });
      }
    });

  const openInMail = (event: MouseEvent<HTMLAnchorElement>) => {
    // The link's address follows the text with a short delay; right after typing, build it fresh.
    if (!stale && mailto.data && !mailto.loading) return;
    event.preventDefault();
    void run('mail', async () => {
      const { url, fits } = await api.call('outreach.mailto', {
        to: draft?.to?.email ?? null,
        subject: current.subject ?? '',
        body: current.body,
      });
      if (!fits)
        throw new Error('The message is too long to hand to the mail app as a link; use Copy or Save .eml instead.');
      window.location.href = url;
    });
  };

  const description = draft ? (
    <span className="oc-header">
      <span className="oc-header__account">{draft.accountName}</span>
      {draft.trigger && <Chip tone="accent">{draft.trigger.label}</Chip>}
    </span>
  ) : undefined;

  const footer = (
    <div className="oc-footer">
      {editable ? (
        <>
          <div className="oc-footer__secondary">
            <Button onClick={copy} disabled={busy !== null}>
              Copy
            </Button>
            {channel === 'email' && (
              <>
                {draft?.to?.email && mailto.data?.fits !== false ? (
                  <a
                    className={buttonClass('secondary')}
                    href={mailto.data?.url ?? '#'}
                    onClick={openInMail}
                    aria-disabled={busy !== null || undefined}
                  >
                    Open in mail app
                  </a>
                ) : (
                  <Button
                    disabled
                    title={
                      draft?.to?.email
                        ? 'The message is too long for a mail link; use Copy or Save .eml'
                        : 'There is no email address for this contact'
                    }
                  >
                    Open in mail app
                  </Button>
                )}
                <Button onClick={saveEml} loading={busy === 'eml'} disabled={busy !== null}>
                  Save .eml
                </Button>
                <Button onClick={() => setSending(true)} disabled={busy !== null}>
                  Send email…
                </Button>
              </>
            )}
          </div>
          <div className="oc-footer__primary">
            {deferred && draft?.guard.scheduleLocal && (
              <Button
                onClick={schedule}
                variant="primary"
                loading={busy === 'schedule'}
                disabled={busy !== null || !draft.trigger}
              >
                Schedule for {draft.guard.scheduleLocal} local
              </Button>
            )}
            {/* Outside working hours scheduling is suggested, but sending now stays possible. */}
            <Button
              variant={deferred ? 'secondary' : 'primary'}
              onClick={markSent}
              loading={busy === 'sent'}
              disabled={busy !== null || !draft?.trigger}
            >
              Mark as sent
            </Button>
          </div>
        </>
      ) : (
        <Button onClick={onClose}>Close</Button>
      )}
    </div>
  );

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open && busy === null) onClose();
      }}
      title="Draft outreach"
      description={description}
      width="lg"
      footer={footer}
    >
      {draft && (
        <SendEmailDialog
          open={sending}
          onOpenChange={setSending}
          onSent={onClose}
          request={{
            accountId: request.accountId,
            accountName: draft.accountName,
            triggerId: draft.trigger?.id ?? null,
            riskItemId: draft.riskItemId ?? null,
            templateId: draft.template?.id ?? null,
            templateVersion: draft.template?.version ?? null,
            defaultContactId: draft.to?.contactId ?? null,
            subject: current.subject ?? '',
            body: current.body,
            sendAt:
              deferred && draft.guard.scheduleAt
                ? { at: draft.guard.scheduleAt, timeZone: draft.guard.timeZone }
                : null,
          }}
        />
      )}
      <div className="oc-composer">
        {!draft && draftQuery.loading && (
          <p className="oc-loading">
            <Spinner size={14} /> Preparing the draft…
          </p>
        )}

        <div className="oc-controls">
          <label className="oc-field">
            <span className="oc-field__label">Reason</span>
            <select
              className="oc-select"
              value={draft?.trigger?.id ?? choice.triggerId ?? ''}
              onChange={(event) => update({ triggerId: event.target.value || null, templateId: null })}
              disabled={busy !== null}
            >
              {!(draft?.trigger ?? choice.triggerId) && <option value="">Choose a reason…</option>}
              {(catalog.data?.triggers ?? (draft?.trigger ? [draft.trigger] : [])).map((trigger) => (
                <option key={trigger.id} value={trigger.id}>
                  {trigger.label}
                </option>
              ))}
            </select>
          </label>
          <label className="oc-field">
            <span className="oc-field__label">Template</span>
            <select
              className="oc-select"
              value={draft?.template?.id ?? ''}
              onChange={(event) => update({ templateId: event.target.value || null })}
              disabled={!draft || draft.templates.length === 0 || busy !== null}
            >
              {(draft?.templates ?? []).map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name} · {template.builtIn ? 'built-in' : `yours, v${template.version}`}
                </option>
              ))}
            </select>
          </label>
        </div>

        {draftQuery.error && !draft && (
          <p className="oc-guard oc-guard--blocked" role="alert">
            {draftQuery.error.message}
          </p>
        )}

        <div className="oc-row">
          {draft ? (
            <p className="oc-recipient">
              <span className="oc-recipient__label">To</span>
              {recipient ? (
                <span>
                  {recipient}
                  {draft.to?.role && <span className="muted"> · {draft.to.role}</span>}
                  {draft.to?.isChampion && <span className="muted"> · champion</span>}
                </span>
              ) : (
                <span className="oc-recipient__missing">
                  No contact with an email address on record; copy the message instead.
                </span>
              )}
            </p>
          ) : (
            <span />
          )}
          <ChannelPicker
            value={choice.channel ?? channel}
            onChange={(next) => update({ channel: next, templateId: null })}
            disabled={busy !== null}
          />
        </div>

        {draft && draft.guard.status !== 'ok' && (
          <div className={`oc-guard oc-guard--${draft.guard.status}`} role={blocked ? 'alert' : 'status'}>
            <p className="oc-guard__title">
              {blocked
                ? draft.guard.kind === 'holdout'
                  ? 'Not drafted: control group'
                  : 'Not drafted: enough touches for now'
                : 'Outside their working hours'}
            </p>
            <p>{draft.guard.reason}</p>
          </div>
        )}

        {editable && text && (
          <>
            {channel === 'email' && (
              <div className="oc-field">
                <label className="oc-field__label" htmlFor={ids.subject}>
                  Subject
                </label>
                <input
                  id={ids.subject}
                  className="oc-input"
                  value={text.subject}
                  onChange={(event) => setText({ ...text, subject: event.target.value })}
                  spellCheck
                />
              </div>
            )}
            <div className="oc-field">
              <div className="oc-field__row">
                <label className="oc-field__label" htmlFor={ids.body}>
                  Message
                </label>
                <span id={ids.count} className={`oc-count${limit !== null && length > limit ? ' oc-count--over' : ''}`}>
                  {limit !== null
                    ? `${length} / ${limit} characters`
                    : channel === 'call'
                      ? 'Call script: say it in your own words'
                      : `${length} characters`}
                </span>
              </div>
              <textarea
                id={ids.body}
                className="oc-textarea"
                value={text.body}
                onChange={(event) => setText({ ...text, body: event.target.value })}
                rows={channel === 'email' || channel === 'call' ? 11 : 4}
                aria-describedby={ids.count}
                spellCheck
              />
            </div>
            <LintPanel warnings={warnings} checking={stale || lint.loading} />
          </>
        )}

        {editable && channel === 'email' && mailto.data?.fits === false && (
          <p className="oc-note" role="status">
            This message is too long to open in the mail app as a link; use Copy or Save .eml instead.
          </p>
        )}

        {actionError && (
          <p className="dialog__error" role="alert">
            {actionError}
          </p>
        )}
      </div>
    </Dialog>
  );
}
