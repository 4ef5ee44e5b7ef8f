/**
 * Settings → Health score: how good the score is at predicting churn (the backtest), and the score
 * configuration — weights, component thresholds and bands, in words (settings-fields.ts) — with
 * per-segment overrides. The plays' thresholds are in Settings → Plays (PlaysSection.tsx). Saving
 * stores a new configuration version and rescores today.
 */
import { useId, useState } from 'react';
import { CONFIG_NOTE_MAX, type ScoreConfigDto, type ScoreQuality } from '../../../shared/dto/risk.ts';
import { tooLongSentence } from '../../../shared/text-length.ts';
import { CharacterCount } from '../../ui/CharacterCount.tsx';
import { api, errorMessage } from '../../api/client.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { Button } from '../../ui/Button.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { formatDateTime, formatPercent } from '../../format.ts';
import { toast } from '../../ui/Toast.tsx';
import { BAND_FIELDS, COMPONENT_FIELDS, labelWithUnit } from '../../../shared/settings-fields.ts';
import { HealthModelPanel } from './HealthModelPanel.tsx';
import { SettingField } from './SettingField.tsx';
import './risk-settings.css';

type Params = Record<string, number>;
type ComponentsDoc = Record<string, Params>;
interface ConfigDoc {
  components: ComponentsDoc;
  bands: { redBelow: number; greenFrom: number };
  segments: Record<string, { components?: Record<string, Params> }>;
  triggers: Record<string, { params?: Params; enabled?: boolean }>;
  [key: string]: unknown;
}

export function RiskScoreSection() {
  const quality = useApiQuery('risk.quality', {}, { reloadOn: ['risk'] });
  const config = useApiQuery('risk.config.get', {}, { reloadOn: ['all'] });
  return (
    <div className="risk-settings">
      <QualityPanel quality={quality.data} />
      {config.data ? (
        <ConfigEditor
          key={config.data.version}
          dto={config.data}
          onSaved={config.reload}
          weightsSource={quality.data?.weights.source}
        />
      ) : (
        <QueryFallback query={config} what="the score settings" size="inline" />
      )}
    </div>
  );
}

function QualityPanel({ quality }: { quality: ScoreQuality | undefined }) {
  const [busy, setBusy] = useState(false);
  const rescore = async () => {
    setBusy(true);
    try {
      const result = await api.call('risk.rescore', {});
      toast({
        tone: 'success',
        title: 'Scores recomputed',
        description: `${result.scored.toLocaleString()} accounts scored as of ${result.asOf}; ${result.atRisk.toLocaleString()} at risk.`,
      });
    } catch (error) {
      toast({
        tone: 'error',
        title: 'Rescoring failed',
        description: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="risk-settings__panel" aria-labelledby="risk-quality">
      <h3 id="risk-quality" className="risk-settings__title">
        Churn prediction
      </h3>
      <HealthModelPanel quality={quality} />
      <Button onClick={() => void rescore()} loading={busy}>
        Recompute scores now
      </Button>
    </section>
  );
}

function readNumber(value: string): number | null {
  if (value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function ConfigEditor({
  dto,
  onSaved,
  weightsSource,
}: {
  dto: ScoreConfigDto;
  onSaved: () => void;
  /** Which weights the score uses (WeightsTable.tsx shows why). */
  weightsSource?: ScoreQuality['weights']['source'];
}) {
  const [doc, setDoc] = useState<ConfigDoc>(() => structuredClone(dto.config) as ConfigDoc);
  const [scope, setScope] = useState('');
  const [note, setNote] = useState('');
  const noteCountId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const base = doc.components;

  const valueOf = (component: string, param: string): string => {
    if (scope) {
      const override = doc.segments[scope]?.components?.[component]?.[param];
      return override === undefined ? '' : String(override);
    }
    return String(base[component]?.[param] ?? '');
  };

  const setValue = (component: string, param: string, raw: string) => {
    const value = readNumber(raw);
    setDoc((current) => {
      const next = structuredClone(current);
      if (!scope) {
        if (value !== null) (next.components[component] as Params)[param] = value;
        return next;
      }
      const segment = (next.segments[scope] ??= {});
      const components = (segment.components ??= {});
      const params = (components[component] ??= {});
      if (value === null) delete params[param];
      else params[param] = value;
      if (Object.keys(params).length === 0) delete components[component];
      if (Object.keys(components).length === 0) delete next.segments[scope];
      return next;
    });
  };

  const save = async () => {
    // Refused with the sentence the app would say, rather than cut by a maxlength.
    const tooLong = tooLongSentence('The note', note, CONFIG_NOTE_MAX);
    if (tooLong) return setError(tooLong);
    setBusy(true);
    setError(null);
    try {
      const saved = await api.call('risk.config.save', {
        config: doc as unknown as Record<string, unknown>,
        note: note.trim() || null,
      });
      toast({
        tone: 'success',
        title: `Saved score configuration version ${saved.version}`,
        description: 'Today’s scores are being recomputed with it.',
      });
      onSaved();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const totalWeight = dto.components.reduce(
    (sum, c) => sum + Number(scope ? valueOf(c.id, 'weight') || base[c.id]?.weight || 0 : (base[c.id]?.weight ?? 0)),
    0,
  );

  return (
    <section className="risk-settings__panel" aria-labelledby="risk-config">
      <h3 id="risk-config" className="risk-settings__title">
        Score configuration <span className="risk-settings__muted">version {dto.version}</span>
      </h3>
      <div className="risk-settings__row">
        <label className="risk-settings__field">
          Applies to
          <select value={scope} onChange={(e) => setScope(e.target.value)}>
            <option value="">All segments (base)</option>
            {dto.segments.map((s) => (
              <option key={s} value={s}>
                {s} (override)
              </option>
            ))}
          </select>
        </label>
        {!scope && (
          <>
            {(['redBelow', 'greenFrom'] as const).map((band) => (
              <SettingField
                key={band}
                id={`band-${band}`}
                field={BAND_FIELDS[band]!}
                min={0}
                max={100}
                value={String(doc.bands[band])}
                onValueChange={(v) => setDoc((d) => ({ ...d, bands: { ...d.bands, [band]: Number(v) } }))}
              />
            ))}
          </>
        )}
      </div>
      {scope && <p className="risk-settings__note">Leave a field empty to use the base value for {scope}.</p>}
      {!scope && weightsSource === 'fitted' && (
        <p className="risk-settings__note">
          The score uses weights fitted from this book’s outcomes (see Component weights under Churn prediction); the
          defaults are shown below. Change a weight and save to use your own instead: weights you set always win.
        </p>
      )}

      <table className="risk-settings__table">
        <caption>
          Component weights (relative; components without data are left out and the rest scaled to 100%)
        </caption>
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Weight</th>
            <th scope="col">Share</th>
            <th scope="col">Thresholds</th>
          </tr>
        </thead>
        <tbody>
          {dto.components.map((c) => {
            const params = Object.keys(base[c.id] ?? {}).filter((p) => p !== 'weight');
            const weight = Number(valueOf(c.id, 'weight') || base[c.id]?.weight || 0);
            return (
              <tr key={c.id}>
                <th scope="row">{c.label}</th>
                <td>
                  <input
                    type="number"
                    min={0}
                    step={1}
                    aria-label={`${c.label} weight`}
                    placeholder={scope ? String(base[c.id]?.weight ?? '') : undefined}
                    value={valueOf(c.id, 'weight')}
                    onChange={(e) => setValue(c.id, 'weight', e.target.value)}
                  />
                </td>
                <td className="risk-settings__muted">{totalWeight > 0 ? formatPercent(weight / totalWeight) : '—'}</td>
                <td>
                  <div className="risk-settings__params">
                    {params.map((p) => (
                      <SettingField
                        key={p}
                        id={`component-${c.id}-${p}`}
                        field={COMPONENT_FIELDS[c.id]?.[p] ?? { label: p, unit: 'text', help: '' }}
                        aria-label={`${c.label}: ${labelWithUnit(COMPONENT_FIELDS[c.id]?.[p] ?? { label: p, unit: 'text', help: '' })}`}
                        placeholder={scope ? String(base[c.id]?.[p] ?? '') : undefined}
                        value={valueOf(c.id, p)}
                        onValueChange={(v) => setValue(c.id, p, v)}
                      />
                    ))}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <div className="risk-settings__row">
        <label className="risk-settings__field risk-settings__field--grow">
          Note for this version
          <input
            type="text"
            value={note}
            aria-describedby={noteCountId}
            placeholder="e.g. Weight support higher for Enterprise"
            onChange={(e) => setNote(e.target.value)}
          />
          <CharacterCount id={noteCountId} text={note} max={CONFIG_NOTE_MAX} />
        </label>
        <Button variant="primary" loading={busy} onClick={() => void save()}>
          Save as version {dto.versions[0] ? dto.versions[0].version + 1 : 1}
        </Button>
      </div>
      {error && (
        <p role="alert" className="risk-settings__error">
          {error}
        </p>
      )}
      <details className="risk-settings__details">
        <summary>Version history ({dto.versions.length})</summary>
        <ul>
          {dto.versions.map((v) => (
            <li key={v.version}>
              Version {v.version}
              {v.createdAt ? `, ${formatDateTime(v.createdAt)}` : ''}
              {v.note ? ` — ${v.note}` : ''}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
