/**
 * Settings → Health score: the churn model in use and its rolling-origin backtest — AUC by past
 * day as a chart (with the health score alone beside it), the model status and why, the
 * calibration by decile, and the component weights in use (WeightsTable.tsx).
 * Says plainly when there is too little history to judge.
 */
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { backtestSentence } from '../../../shared/backtest-words.ts';
import type { ScoreQuality } from '../../../shared/dto/risk.ts';
import { formatDate, formatDateTime, formatPercent } from '../../format.ts';
import { Spinner } from '../../ui/Spinner.tsx';
import { WeightsTable } from './WeightsTable.tsx';

const AXIS = { fontSize: 11, fill: 'var(--color-text-muted)' };
const pct = (value: number | null) => (value === null ? '—' : formatPercent(value, { decimals: 1 }));
const dec = (value: number | null) => (value === null ? '—' : value.toFixed(2));

const METHOD_TEXT: Record<ScoreQuality['method'], string> = {
  learned: 'Learned from this book',
  curve: 'Health score, calibrated to this book',
  default: 'Default curve',
};

function BacktestChart({ quality }: { quality: ScoreQuality }) {
  // A day with a handful of churners is one or a few ranks, not a point on a trend: left out.
  const data = quality.origins.map((o) => ({
    day: o.day,
    model: o.too_few_churners ? null : o.auc,
    health: o.too_few_churners ? null : o.health_score_auc,
  }));
  const summary = quality.origins
    .map(
      (o) =>
        `${formatDate(o.day)}: ${o.too_few_churners ? `too few churners (${o.outcomes})` : dec(o.auc)}${o.closed ? '' : ` (${o.window_days} of ${quality.horizon_days} days seen)`}${o.replayed ? ', replayed' : ''}`,
    )
    .join('; ');
  return (
    <figure className="risk-settings__chart">
      <figcaption className="risk-settings__note">
        Backtest AUC by past day (0.5 is chance). <span>{summary}</span>
      </figcaption>
      {/* The caption says it in words; accessibilityLayer off keeps the hidden picture out of the tab order. */}
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={200}>
          <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
            <CartesianGrid stroke="var(--color-border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tick={AXIS} tickFormatter={(d: string) => formatDate(d, { style: 'short' })} />
            <YAxis domain={[0.3, 1]} ticks={[0.3, 0.5, 0.7, 0.9]} tick={AXIS} width={40} />
            <ReferenceLine y={0.5} stroke="var(--color-text-muted)" strokeDasharray="4 4" />
            <Tooltip labelFormatter={(label) => formatDate(String(label))} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Line
              name="Model in use"
              dataKey="model"
              stroke="var(--color-accent)"
              strokeWidth={2}
              isAnimationActive={false}
            />
            <Line
              name="Health score alone"
              dataKey="health"
              stroke="var(--color-text-muted)"
              strokeDasharray="4 2"
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function CalibrationTable({ quality }: { quality: ScoreQuality }) {
  // Says what the table measures, or why there is none (never a silent gap or a pass by default).
  if (quality.calibration.length === 0) return <p className="risk-settings__note">{quality.calibration_note}</p>;
  return (
    <table className="risk-settings__table">
      <caption>
        Calibration: predicted vs observed churn within {quality.horizon_days} days, by tenth of predicted risk
        {quality.calibrated === null
          ? ''
          : quality.calibrated
            ? ' — agrees within the intervals'
            : ' — some tenths fall outside their intervals'}
        . <span className="risk-settings__muted">{quality.calibration_note}</span>
      </caption>
      <thead>
        <tr>
          <th scope="col">Tenth</th>
          <th scope="col">Account-days</th>
          <th scope="col">Predicted</th>
          <th scope="col">Observed (95% interval)</th>
        </tr>
      </thead>
      <tbody>
        {quality.calibration.map((b) => (
          <tr key={b.decile}>
            <td>{b.decile}</td>
            <td>{b.n.toLocaleString()}</td>
            <td>{pct(b.predicted)}</td>
            <td>
              {pct(b.observed)} ({pct(b.low)}–{pct(b.high)}){b.agrees ? '' : ' ✗'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function HealthModelPanel({ quality }: { quality: ScoreQuality | undefined }) {
  if (!quality) return <Spinner size={14} />;
  return (
    <>
      <dl className="risk-settings__figures">
        <div>
          <dt>Churn model</dt>
          <dd>{METHOD_TEXT[quality.method]}</dd>
        </div>
        <div>
          <dt>Backtest AUC (95% interval)</dt>
          <dd>
            {dec(quality.auc)}
            {quality.auc_ci ? (
              <span className="risk-settings__muted">
                {' '}
                {dec(quality.auc_ci[0])}–{dec(quality.auc_ci[1])}
              </span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Churners among the riskiest 10%</dt>
          <dd>{pct(quality.top_decile_share)}</dd>
        </div>
        <div>
          <dt>Churners caught in the riskiest 10%</dt>
          <dd>{pct(quality.top_decile_recall)}</dd>
        </div>
        <div>
          <dt>Brier score</dt>
          <dd>{quality.brier === null ? '—' : quality.brier.toFixed(3)}</dd>
        </div>
      </dl>
      <p className="risk-settings__note">
        {backtestSentence(quality, (n) => n.toLocaleString())} {quality.note}
        {quality.computed_at
          ? ` Computed ${formatDateTime(quality.computed_at)} for ${formatDate(quality.as_of)}.`
          : ''}
      </p>
      {quality.origins.length > 0 ? <BacktestChart quality={quality} /> : null}
      {quality.top_features.length > 0 ? (
        <p className="risk-settings__note">
          Strongest signals in the learned model: {quality.top_features.map((f) => f.text).join(', ')}.
        </p>
      ) : null}
      <CalibrationTable quality={quality} />
      <WeightsTable quality={quality} />
    </>
  );
}
