/**
 * Settings › Plays: each trigger ("play") on or off, and its thresholds in words, with the
 * module's default shown until overridden. Saving stores a new score configuration version with
 * these trigger overrides (the rest of the configuration unchanged) and rescores today.
 */
import { useState } from 'react';
import type { ScoreConfigDto } from '../../../shared/dto/risk.ts';
import { TRIGGER_FIELDS, type FieldDescription } from '../../../shared/settings-fields.ts';
import { api, errorMessage } from '../../api/client.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { Button } from '../../ui/Button.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { toast } from '../../ui/toast-store.ts';
import { SettingField } from './SettingField.tsx';

type Overrides = Record<string, { params?: Record<string, number>; enabled?: boolean; [key: string]: unknown }>;

/** A parameter without words yet (a trigger added after this screen) still shows, by its name. */
const unnamed = (name: string): FieldDescription => ({ label: name, unit: 'text', help: 'No description yet.' });

export function PlaysSection() {
  const config = useApiQuery('risk.config.get', {}, { reloadOn: ['all'] });
  if (!config.data) return <QueryFallback query={config} what="the plays" size="inline" />;
  return <PlaysEditor key={config.data.version} dto={config.data} onSaved={config.reload} />;
}

function PlaysEditor({ dto, onSaved }: { dto: ScoreConfigDto; onSaved: () => void }) {
  const [overrides, setOverrides] = useState<Overrides>(
    () => structuredClone((dto.config.triggers ?? {}) as Overrides) ?? {},
  );
  const [raw, setRaw] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const setEnabled = (id: string, enabled: boolean) =>
    setOverrides((current) => ({ ...current, [id]: { ...current[id], enabled } }));

  const setParam = (id: string, param: string, text: string) => {
    setRaw((current) => ({ ...current, [`${id}.${param}`]: text }));
    setOverrides((current) => {
      const override = { ...current[id] };
      const params = { ...override.params };
      // Empty: back to the play's default. Not a number yet: the server names the problem on save.
      if (text.trim() === '') delete params[param];
      else params[param] = Number(text);
      override.params = params;
      return { ...current, [id]: override };
    });
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.call('risk.config.save', {
        config: { ...dto.config, triggers: overrides },
        note: 'Plays changed in Settings',
      });
      toast({
        tone: 'success',
        title: `Saved the plays as configuration version ${saved.version}`,
        description: 'Today’s risks are being recomputed with them.',
      });
      onSaved();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <p className="settings__muted">
        Empty fields use the play’s default, shown in grey. A play that is off never opens a risk item.
      </p>
      {dto.triggers.map((t) => {
        const override = overrides[t.id];
        return (
          <div key={t.id} className="plays__play" role="group" aria-labelledby={`play-${t.id}`}>
            <div className="plays__head">
              <h3 id={`play-${t.id}`} className="plays__title">
                {t.label}
              </h3>
              <label>
                <input
                  type="checkbox"
                  checked={override?.enabled ?? t.enabled}
                  onChange={(e) => setEnabled(t.id, e.target.checked)}
                />{' '}
                On
              </label>
            </div>
            <p className="settings__muted">{t.description}</p>
            <div className="settings__fields">
              {Object.keys(t.defaults).map((param) => (
                <SettingField
                  key={param}
                  id={`play-${t.id}-${param}`}
                  field={TRIGGER_FIELDS[t.id]?.[param] ?? unnamed(param)}
                  placeholder={String(t.defaults[param])}
                  value={raw[`${t.id}.${param}`] ?? (override?.params?.[param] ?? '').toString()}
                  onValueChange={(text) => setParam(t.id, param, text)}
                />
              ))}
            </div>
          </div>
        );
      })}
      {error && (
        <p className="settings__notice" role="alert">
          {error}
        </p>
      )}
      <Button variant="primary" loading={busy} onClick={() => void save()}>
        Save plays
      </Button>
    </div>
  );
}
