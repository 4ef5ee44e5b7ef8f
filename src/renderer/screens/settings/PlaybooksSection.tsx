/**
 * Settings → Playbooks: each trigger's steps (tier, due offset, owner, template for automated
 * outreach), editable like templates and reset to the default. A change applies to risk items that
 * open afterwards; a checklist already given stays as it was.
 */
import { useState } from 'react';
import {
  ACCOUNT_OWNER,
  PLAYBOOK_TIERS,
  TIER_LABELS,
  type PlaybookStep,
  type PlaybookTier,
  type PlaybookView,
} from '../../../shared/dto/playbooks.ts';
import { api } from '../../api/client.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { Button } from '../../ui/Button.tsx';
import { Chip } from '../../ui/Chip.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { toast } from '../../ui/Toast.tsx';
import '../../playbooks/playbooks.css';
import { RuleSendSwitch } from './RuleSendSwitch.tsx';

const ownerText = (owner: string) => (owner === ACCOUNT_OWNER ? 'Account owner' : owner);

export function PlaybooksSection() {
  const playbooks = useApiQuery('playbooks.list', {}, { reloadOn: ['playbooks'] });
  const [chosen, setChosen] = useState<string>('payment_failing');
  if (!playbooks.data) return <QueryFallback query={playbooks} what="the playbooks" />;
  const current = playbooks.data.find((p) => p.triggerId === chosen) ?? playbooks.data[0]!;
  return (
    <div>
      <RuleSendSwitch />
      <label className="playbook-editor__picker">
        Choose a play{' '}
        <select className="oc-select" value={current.triggerId} onChange={(e) => setChosen(e.target.value)}>
          {playbooks.data.map((p) => (
            <option key={p.triggerId} value={p.triggerId}>
              {p.label}
              {p.customised ? ' (edited)' : ''}
            </option>
          ))}
        </select>
      </label>
      <PlaybookEditor key={`${current.triggerId}-${JSON.stringify(current.steps)}`} playbook={current} />
    </div>
  );
}

function PlaybookEditor({ playbook }: { playbook: PlaybookView }) {
  const [steps, setSteps] = useState<PlaybookStep[]>(playbook.steps);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const templates = useApiQuery(
    'outreach.templates.list',
    { triggerId: playbook.triggerId, channel: 'email' },
    { reloadOn: ['templates'] },
  );
  const dirty = JSON.stringify(steps) !== JSON.stringify(playbook.steps);
  const update = (index: number, patch: Partial<PlaybookStep>) =>
    setSteps((all) => all.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const save = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      toast({ tone: 'success', title: done });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const defaultTemplate = templates.data?.[0]?.id ?? null;
  return (
    <form
      aria-label={`${playbook.label} playbook`}
      onSubmit={(event) => {
        event.preventDefault();
        void save(
          () => api.call('playbooks.save', { triggerId: playbook.triggerId, steps }),
          `Saved the ${playbook.label} playbook`,
        );
      }}
    >
      <p className="account__muted">
        {playbook.customised ? <Chip tone="accent">Edited</Chip> : <Chip>Default</Chip>} Steps are due this many days
        after the risk item opens. Changes apply to items that open from now on. An automated-outreach step marked{' '}
        <em>Send automatically when due</em> goes without waiting for your approval.
      </p>
      <ol className="playbook-editor__steps">
        {steps.map((step, index) => (
          // Every step has the same five fields: each step is a named group, and each field's name
          // says its step ("Step 2 tier"), so a screen reader never hears five fields called "Tier".
          <li key={index} className="playbook-editor__step" role="group" aria-label={`Step ${index + 1}`}>
            <label>
              Tier
              <select
                aria-label={`Step ${index + 1} tier`}
                value={step.tier}
                onChange={(e) => {
                  const tier = Number(e.target.value) as PlaybookTier;
                  update(index, {
                    tier,
                    templateId: tier === 2 ? (step.templateId ?? defaultTemplate) : null,
                    autoSend: tier === 2 && step.autoSend,
                  });
                }}
              >
                {PLAYBOOK_TIERS.map((t) => (
                  <option key={t} value={t}>
                    {t} · {TIER_LABELS[t]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Step {index + 1}
              <input
                aria-label={`Step ${index + 1} title`}
                value={step.title}
                onChange={(e) => update(index, { title: e.target.value })}
              />
            </label>
            <label>
              Due after (days)
              <input
                aria-label={`Step ${index + 1} due after (days)`}
                type="number"
                min={0}
                max={365}
                value={step.offsetDays}
                onChange={(e) => update(index, { offsetDays: e.target.valueAsNumber })}
              />
            </label>
            <label>
              Owner
              <input
                aria-label={`Step ${index + 1} owner`}
                list="playbook-owners"
                value={ownerText(step.owner)}
                onChange={(e) =>
                  update(index, { owner: e.target.value === 'Account owner' ? ACCOUNT_OWNER : e.target.value })
                }
              />
            </label>
            <label>
              Template
              <select
                aria-label={`Step ${index + 1} template`}
                value={step.templateId ?? ''}
                disabled={step.tier !== 2}
                onChange={(e) => update(index, { templateId: e.target.value || null })}
              >
                {step.tier !== 2 && <option value="">Only for automated outreach</option>}
                {(templates.data ?? []).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Remove step ${index + 1}`}
              disabled={steps.length === 1}
              onClick={() => setSteps((all) => all.filter((_, i) => i !== index))}
            >
              Remove
            </Button>
            {step.tier === 2 && (
              <label className="playbook-editor__auto">
                <input
                  aria-label={`Step ${index + 1}: send automatically when due`}
                  type="checkbox"
                  checked={step.autoSend}
                  onChange={(e) => update(index, { autoSend: e.target.checked })}
                />
                Send automatically when due
              </label>
            )}
          </li>
        ))}
      </ol>
      <datalist id="playbook-owners">
        <option value="Account owner" />
        <option value="Support lead" />
        <option value="Solutions engineer" />
      </datalist>
      {error && (
        <p role="alert" className="task__error">
          {error}
        </p>
      )}
      <div className="playbook-editor__actions">
        <Button
          size="sm"
          onClick={() =>
            setSteps((all) => [
              ...all,
              { tier: 3, title: '', offsetDays: 7, owner: ACCOUNT_OWNER, templateId: null, autoSend: false },
            ])
          }
        >
          Add step
        </Button>
        <Button size="sm" type="submit" variant="primary" loading={busy} disabled={!dirty}>
          Save playbook
        </Button>
        <Button size="sm" variant="ghost" disabled={!dirty} onClick={() => setSteps(playbook.steps)}>
          Undo changes
        </Button>
        <Button
          size="sm"
          variant="ghost"
          disabled={!playbook.customised || busy}
          onClick={() =>
            void save(
              () => api.call('playbooks.reset', { triggerId: playbook.triggerId }),
              `The ${playbook.label} playbook is back to its default`,
            )
          }
        >
          Reset to default
        </Button>
      </div>
    </form>
  );
}
