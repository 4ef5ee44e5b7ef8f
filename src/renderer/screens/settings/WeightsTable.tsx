/**
 * Settings → Health score: the component weights the health score uses, per component the default,
 * the fitted and the weight in use, and the evidence in plain words — the out-of-fold AUC of the
 * health score with fitted weights against the configured weights' on the same past days.
 */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ScoreQuality } from '../../../shared/dto/risk.ts';

const dec = (value: number | null) => (value === null ? '—' : value.toFixed(2));
const interval = (ci: [number, number] | null) => (ci ? ` (95% interval ${dec(ci[0])}–${dec(ci[1])})` : '');

const SOURCE_TEXT: Record<ScoreQuality['weights']['source'], string> = {
  fitted: 'fitted from this book’s outcomes, in use',
  default: 'the defaults are in use',
  user: 'your weights from Settings are in use',
};

function Evidence({ weights }: { weights: ScoreQuality['weights'] }) {
  if (weights.fitted_auc === null) return null;
  const configured = weights.source === 'user' ? 'your weights' : 'the default weights';
  return (
    <p className="risk-settings__note">
      How well the health score ranks churn on past days (AUC, 0.5 is chance): with fitted weights{' '}
      {dec(weights.fitted_auc)}
      {interval(weights.fitted_auc_ci)}, each past account scored with weights fitted without it; with {configured}{' '}
      {dec(weights.configured_auc)}
      {interval(weights.configured_auc_ci)}.
    </p>
  );
}

const AXIS = { fontSize: 11, fill: 'var(--color-text-muted)' };

/** Default beside fitted, per component: the table above says the same in numbers. */
function WeightsChart({ weights }: { weights: ScoreQuality['weights'] }) {
  if (weights.components.every((c) => c.fitted === null)) return null;
  const data = weights.components.map((c) => ({ label: c.label, default: c.default, fitted: c.fitted }));
  return (
    <div aria-hidden="true" className="risk-settings__chart">
      <ResponsiveContainer width="100%" height={190}>
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="var(--color-border)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={AXIS} interval={0} tickFormatter={(l: string) => l.split(':')[0] ?? l} />
          <YAxis tick={AXIS} width={40} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar name="Default" dataKey="default" fill="var(--color-text-muted)" isAnimationActive={false} />
          <Bar name="Fitted" dataKey="fitted" fill="var(--color-accent)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function WeightsTable({ quality }: { quality: ScoreQuality }) {
  const { weights } = quality;
  const userSet = weights.source === 'user';
  return (
    <>
      <table className="risk-settings__table">
        <caption>Component weights: {SOURCE_TEXT[weights.source]}</caption>
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Default</th>
            {userSet ? <th scope="col">Yours</th> : null}
            <th scope="col">Fitted</th>
            <th scope="col">In use</th>
          </tr>
        </thead>
        <tbody>
          {weights.components.map((w) => (
            <tr key={w.id}>
              <td>{w.label}</td>
              <td>{w.default}</td>
              {userSet ? <td>{w.configured}</td> : null}
              <td>{w.fitted === null ? '—' : w.fitted}</td>
              <td>
                <strong>{w.in_use}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <WeightsChart weights={weights} />
      <p className="risk-settings__note">
        {weights.note} Weights are relative: components without data are left out and the rest scaled to 100%.
      </p>
      <Evidence weights={weights} />
    </>
  );
}
