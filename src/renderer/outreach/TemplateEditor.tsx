import { useId, useRef, useState } from 'react';
import type { OutreachChannel, TemplateSummary } from '../../shared/dto/outreach.ts';
import { OUTREACH_CHANNEL_LABELS, OUTREACH_CHANNELS } from '../../shared/dto/outreach.ts';
import { api, ApiCallError, errorMessage } from '../api/client.ts';
import { useApiQuery } from '../api/hooks.ts';
import { formatDateTime } from '../format.ts';
import { useDebouncedValue } from '../hooks/useDebouncedValue.ts';
import { useDraftRequest } from '../stores/draft-request.ts';
import { Button } from '../ui/Button.tsx';
import { Chip } from '../ui/Chip.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { toast } from '../ui/Toast.tsx';
import { LintPanel } from './LintPanel.tsx';
import './outreach.css';

interface Form {
  templateId: string | null;
  basedOn: string | null;
  builtIn: boolean;
  name: string;
  triggerId: string | null;
  channel: OutreachChannel;
  subject: string;
  body: string;
}

const NEW_BODY = `Hi {{contact.first_name}},

What the customer gains, in one sentence. {{evidence.summary}}

One next step:
{{links.app}}

If anything is unclear, just reply and I'll help.

Best,
{{csm.name}}`;

function formOf(template: TemplateSummary): Form {
  return {
    templateId: template.id,
    basedOn: template.basedOn,
    builtIn: template.builtIn,
    name: template.name,
    triggerId: template.triggerId,
    channel: template.channel,
    subject: template.subject ?? '',
    body: template.body,
  };
}

/**
 * Settings → Templates: the library (built-ins and your own), an editor with a live preview for a
 * chosen account, the benefit-first check as you type, and unknown tokens as errors that block
 * saving. Built-ins are read-only; "Duplicate to edit" makes your own copy, which then replaces
 * the built-in as the composer's suggestion for that trigger and channel.
 */
export function TemplateEditor() {
  const [filter, setFilter] = useState<{ triggerId: string; channel: string }>({ triggerId: '', channel: '' });
  const [form, setForm] = useState<Form | null>(null);
  const [saved, setSaved] = useState<Form | null>(null);
  const [accountId, setAccountId] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [archiving, setArchiving] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const ids = {
    name: useId(),
    trigger: useId(),
    channel: useId(),
    subject: useId(),
    body: useId(),
    account: useId(),
    filterTrigger: useId(),
    filterChannel: useId(),
  };
  const requestDraft = useDraftRequest((state) => state.requestDraft);

  const catalog = useApiQuery('outreach.catalog', {}, { reloadOn: false });
  const list = useApiQuery(
    'outreach.templates.list',
    { triggerId: filter.triggerId || null, channel: (filter.channel || null) as OutreachChannel | null },
    { keepPreviousData: true, reloadOn: ['templates'] },
  );
  const [accountSearch, setAccountSearch] = useState('');
  const accountQuery = useDebouncedValue(accountSearch.trim(), 250);
  const accounts = useApiQuery(
    'accounts.list',
    { search: accountQuery, limit: 50 },
    { reloadOn: ['accounts'], keepPreviousData: true },
  );
  const detail = useApiQuery(
    'outreach.templates.get',
    { templateId: form?.templateId ?? '' },
    { enabled: Boolean(form?.templateId && !form.builtIn), reloadOn: ['templates'] },
  );

  const settledForm = useDebouncedValue(form, 250);
  const preview = useApiQuery(
    'outreach.templates.preview',
    {
      name: settledForm?.name ?? '',
      triggerId: settledForm?.triggerId ?? null,
      channel: settledForm?.channel ?? 'email',
      subject: settledForm?.channel === 'email' ? settledForm.subject : null,
      body: settledForm?.body ?? '',
      accountId: accountId || null,
    },
    { enabled: settledForm !== null, keepPreviousData: true, reloadOn: ['templates', 'outreach-settings'] },
  );

  const triggers = catalog.data?.triggers ?? [];
  const triggerLabel = (id: string | null) => (id ? (triggers.find((t) => t.id === id)?.label ?? id) : 'Any trigger');
  const dirty = form !== null && JSON.stringify(form) !== JSON.stringify(saved);
  const readOnly = form?.builtIn ?? false;
  const problems = preview.data?.problems ?? [];
  const warnings = preview.data?.warnings ?? [];
  const stale = JSON.stringify(settledForm) !== JSON.stringify(form);

  const open = (next: Form | null) => {
    setForm(next);
    setSaved(next);
    setSaveError(null);
  };
  const edit = (change: Partial<Form>) => form && setForm({ ...form, ...change });

  const duplicate = () => {
    if (!form) return;
    const copy: Form = {
      ...form,
      templateId: null,
      basedOn: form.templateId,
      builtIn: false,
      name: `${form.name} (my copy)`,
    };
    setForm(copy);
    setSaved(null);
    setSaveError(null);
  };

  const newTemplate = () => {
    const blank: Form = {
      templateId: null,
      basedOn: null,
      builtIn: false,
      name: 'New template',
      triggerId: filter.triggerId || null,
      channel: (filter.channel as OutreachChannel) || 'email',
      subject: 'What {{account.name}} gains',
      body: NEW_BODY,
    };
    setForm(blank);
    setSaved(null);
    setSaveError(null);
  };

  const insertToken = (name: string) => {
    if (!form || readOnly) return;
    const area = bodyRef.current;
    const token = `{{${name}}}`;
    const start = area?.selectionStart ?? form.body.length;
    const end = area?.selectionEnd ?? start;
    edit({ body: `${form.body.slice(0, start)}${token}${form.body.slice(end)}` });
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const save = async (acknowledgeWarnings: boolean) => {
    if (!form) return;
    setSaving(true);
    setSaveError(null);
    try {
      const result = await api.call('outreach.templates.save', {
        templateId: form.templateId,
        basedOn: form.templateId ? null : form.basedOn,
        name: form.name,
        triggerId: form.triggerId,
        channel: form.channel,
        subject: form.channel === 'email' ? form.subject : null,
        body: form.body,
        acknowledgeWarnings,
      });
      open(formOf(result.template));
      toast({
        title: `Saved “${result.template.name}”`,
        description: `Version ${result.template.version}.`,
        tone: 'success',
      });
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 'LINT_WARNINGS') setConfirming(true);
      else setSaveError(errorMessage(error));
      throw error;
    } finally {
      setSaving(false);
    }
  };

  const onSave = () => {
    if (warnings.length > 0) setConfirming(true);
    else void save(false).catch(() => undefined);
  };

  const templates = list.data ?? [];
  const mine = templates.filter((t) => !t.builtIn);
  const builtIns = templates.filter((t) => t.builtIn);
  const optionLabel = (template: TemplateSummary) =>
    `${template.name} · ${OUTREACH_CHANNEL_LABELS[template.channel]}${filter.triggerId ? '' : ` · ${triggerLabel(template.triggerId)}`}`;
  const confirmDiscard = () => !dirty || window.confirm('Discard your unsaved changes to this template?');

  return (
    <div className="te">
      <div className="te__toolbar">
        <label className="oc-field">
          <span className="oc-field__label">Trigger</span>
          <select
            id={ids.filterTrigger}
            className="oc-select"
            value={filter.triggerId}
            onChange={(event) => setFilter({ ...filter, triggerId: event.target.value })}
          >
            <option value="">All triggers</option>
            {triggers.map((trigger) => (
              <option key={trigger.id} value={trigger.id}>
                {trigger.label}
              </option>
            ))}
          </select>
        </label>
        <label className="oc-field">
          <span className="oc-field__label">Channel</span>
          <select
            id={ids.filterChannel}
            className="oc-select"
            value={filter.channel}
            onChange={(event) => setFilter({ ...filter, channel: event.target.value })}
          >
            <option value="">All channels</option>
            {OUTREACH_CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {OUTREACH_CHANNEL_LABELS[channel]}
              </option>
            ))}
          </select>
        </label>
        <label className="oc-field te__picker">
          <span className="oc-field__label">Template ({templates.length})</span>
          <select
            className="oc-select"
            value={form?.templateId ?? ''}
            onChange={(event) => {
              const picked = templates.find((t) => t.id === event.target.value);
              if (picked && confirmDiscard()) open(formOf(picked));
            }}
          >
            <option value="" disabled>
              {form && !form.templateId ? 'New template (not saved)' : 'Choose a template…'}
            </option>
            {mine.length > 0 && (
              <optgroup label="Your templates">
                {mine.map((template) => (
                  <option key={template.id} value={template.id}>
                    {optionLabel(template)}
                  </option>
                ))}
              </optgroup>
            )}
            <optgroup label="Built-in (read-only)">
              {builtIns.map((template) => (
                <option key={template.id} value={template.id}>
                  {optionLabel(template)}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <Button onClick={() => confirmDiscard() && newTemplate()}>New template</Button>
      </div>

      {form === null ? (
        <EmptyState title="Choose a template" size="inline" level={3}>
          <p>
            Pick one above to see it rendered for an account, or start a new one. Built-in templates are read-only;
            duplicate one to make it yours.
          </p>
        </EmptyState>
      ) : (
        <div className="te__workspace">
          <section className="te__edit" aria-label="Edit template">
            <div className="te__edit-header">
              <h3 className="te__title">{form.templateId ? form.name : 'New template'}</h3>
              {form.builtIn ? (
                <Chip>Built-in, read-only</Chip>
              ) : form.templateId ? (
                <Chip tone="accent">Yours · v{detail.data?.version ?? '…'}</Chip>
              ) : (
                <Chip tone="accent">Not saved yet</Chip>
              )}
              {dirty && !form.builtIn && form.templateId && <Chip tone="yellow">Unsaved changes</Chip>}
            </div>

            <div className="te__grid">
              <div className="oc-field te__span">
                <label className="oc-field__label" htmlFor={ids.name}>
                  Name
                </label>
                <input
                  id={ids.name}
                  className="oc-input"
                  value={form.name}
                  readOnly={readOnly}
                  onChange={(event) => edit({ name: event.target.value })}
                />
              </div>
              <div className="oc-field">
                <label className="oc-field__label" htmlFor={ids.trigger}>
                  For trigger
                </label>
                <select
                  id={ids.trigger}
                  className="oc-select"
                  value={form.triggerId ?? ''}
                  disabled={readOnly}
                  onChange={(event) => edit({ triggerId: event.target.value || null })}
                >
                  <option value="">Any trigger</option>
                  {triggers.map((trigger) => (
                    <option key={trigger.id} value={trigger.id}>
                      {trigger.label}
                    </option>
                  ))}
                </select>
              </div>
              <div className="oc-field">
                <label className="oc-field__label" htmlFor={ids.channel}>
                  Channel
                </label>
                <select
                  id={ids.channel}
                  className="oc-select"
                  value={form.channel}
                  disabled={readOnly}
                  onChange={(event) => edit({ channel: event.target.value as OutreachChannel })}
                >
                  {OUTREACH_CHANNELS.map((channel) => (
                    <option key={channel} value={channel}>
                      {OUTREACH_CHANNEL_LABELS[channel]}
                    </option>
                  ))}
                </select>
              </div>
              {form.channel === 'email' && (
                <div className="oc-field te__span">
                  <label className="oc-field__label" htmlFor={ids.subject}>
                    Subject
                  </label>
                  <input
                    id={ids.subject}
                    className="oc-input te__mono"
                    value={form.subject}
                    readOnly={readOnly}
                    onChange={(event) => edit({ subject: event.target.value })}
                  />
                </div>
              )}
              <div className="oc-field te__span">
                <label className="oc-field__label" htmlFor={ids.body}>
                  Template text
                </label>
                <textarea
                  id={ids.body}
                  ref={bodyRef}
                  className="oc-textarea te__mono"
                  rows={form.channel === 'email' || form.channel === 'call' ? 15 : 5}
                  value={form.body}
                  readOnly={readOnly}
                  onChange={(event) => edit({ body: event.target.value })}
                />
              </div>
            </div>

            <details className="te__tokens">
              <summary>Tokens{readOnly ? '' : ': click one to insert it at the cursor'}</summary>
              <ul>
                {(catalog.data?.tokens ?? []).map((token) => (
                  <li key={token.name}>
                    <button
                      type="button"
                      className="te__token"
                      onClick={() => insertToken(token.name)}
                      disabled={readOnly}
                      aria-label={`Insert {{${token.name}}}`}
                    >
                      {`{{${token.name}}}`}
                    </button>
                    <span className="muted">
                      {token.description}
                      {token.optional ? ' Optional: wrap it as {{#…}}…{{/…}}.' : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </details>

            <div className="te__actions">
              {form.builtIn ? (
                <Button variant="primary" onClick={duplicate}>
                  Duplicate to edit
                </Button>
              ) : (
                <>
                  <Button
                    variant="primary"
                    onClick={onSave}
                    loading={saving}
                    disabled={problems.length > 0 || stale || (!dirty && form.templateId !== null)}
                  >
                    {warnings.length > 0
                      ? `Save with ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}…`
                      : 'Save'}
                  </Button>
                  {form.templateId && (
                    <Button variant="ghost" onClick={() => setArchiving(true)}>
                      Delete…
                    </Button>
                  )}
                  {dirty && saved && (
                    <Button variant="ghost" onClick={() => setForm(saved)}>
                      Discard changes
                    </Button>
                  )}
                </>
              )}
              {problems.length > 0 && !readOnly && <span className="te__blocked">Fix the errors to save.</span>}
            </div>
            {saveError && (
              <p className="dialog__error" role="alert">
                {saveError}
              </p>
            )}

            {detail.data && detail.data.versions.length > 0 && (
              <section className="te__versions" aria-label="Version history">
                <h4>Version history</h4>
                <ol>
                  {detail.data.versions.map((version) => (
                    <li key={version.version}>
                      <span>
                        Version {version.version} · {formatDateTime(version.createdAt)}
                        {version.warnings > 0 && (
                          <span className="muted">
                            {' '}
                            · saved with {version.warnings} {version.warnings === 1 ? 'warning' : 'warnings'}
                          </span>
                        )}
                      </span>
                      {version.version !== detail.data?.version && (
                        <Button
                          size="sm"
                          variant="ghost"
                          onClick={() =>
                            edit({ name: version.name, subject: version.subject ?? '', body: version.body })
                          }
                          aria-label={`Load version ${version.version} into the editor`}
                        >
                          Load
                        </Button>
                      )}
                    </li>
                  ))}
                </ol>
              </section>
            )}
          </section>

          <section className="te__preview" aria-label="Preview">
            <div className="te__preview-header">
              <label className="oc-field te__account-search">
                <span className="oc-field__label">Find an account</span>
                <input
                  type="search"
                  className="oc-input"
                  value={accountSearch}
                  placeholder="Name or ID"
                  onChange={(event) => setAccountSearch(event.target.value)}
                />
              </label>
              <label className="oc-field">
                <span className="oc-field__label">Preview for</span>
                <select
                  id={ids.account}
                  className="oc-select"
                  value={accountId}
                  onChange={(event) => setAccountId(event.target.value)}
                >
                  <option value="">Sample account (Acme Corp)</option>
                  {accountId && !(accounts.data?.rows ?? []).some((account) => account.account_id === accountId) && (
                    <option value={accountId}>{preview.data?.accountName ?? accountId}</option>
                  )}
                  {(accounts.data?.rows ?? []).map((account) => (
                    <option key={account.account_id} value={account.account_id}>
                      {account.name} ({account.account_id})
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {accountId && form.triggerId && (
              <div>
                <Button
                  size="sm"
                  onClick={() => requestDraft({ accountId, triggerId: form.triggerId, riskItemId: null })}
                >
                  Open in composer
                </Button>
              </div>
            )}
            <div className="te__rendered" aria-live="polite" aria-busy={stale || preview.loading || undefined}>
              {preview.error && <p className="dialog__error">{preview.error.message}</p>}
              {preview.data?.body != null ? (
                <>
                  {form.channel === 'email' && (
                    <p className="te__rendered-subject">
                      <span className="muted">Subject: </span>
                      {preview.data.subject}
                    </p>
                  )}
                  <div className="te__rendered-body">{preview.data.body}</div>
                </>
              ) : (
                !preview.error &&
                problems.length > 0 && <p className="muted">The preview appears once the errors below are fixed.</p>
              )}
            </div>
            <LintPanel warnings={warnings} problems={problems} checking={stale || preview.loading} />
          </section>
        </div>
      )}

      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Save with warnings?"
        description={
          <>
            The benefit-first check found {warnings.length} {warnings.length === 1 ? 'problem' : 'problems'}. Customers
            read the first sentence and look for one next step and a person; the composer will show these warnings
            whenever the template is used.
            <ul className="te__confirm-list">
              {warnings.map((warning, index) => (
                <li key={index}>{warning.message}</li>
              ))}
            </ul>
          </>
        }
        confirmLabel="Save anyway"
        onConfirm={() => save(true)}
      />
      <ConfirmDialog
        open={archiving}
        onOpenChange={setArchiving}
        title={`Delete “${form?.name ?? ''}”?`}
        description="It disappears from the template lists and the composer. Interventions already logged with it keep a record of the exact version sent."
        confirmLabel="Delete template"
        tone="danger"
        onConfirm={async () => {
          if (!form?.templateId) return;
          await api.call('outreach.templates.archive', { templateId: form.templateId });
          open(null);
        }}
      />
    </div>
  );
}
