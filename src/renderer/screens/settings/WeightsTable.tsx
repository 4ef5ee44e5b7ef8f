/**
 * Settings → Health score: the component weights the health score uses, per component the default,
 * the fitted and the weight in use, and the evidence in plain words — the out-of-fold AUC of the
 * health score with fitted weights against the configured weights' on the same past days.
 */
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
      <p className="risk-settings__note">
        {weights.note} Weights are relative: components without data are left out and the rest scaled to 100%.
      </p>
      <Evidence weights={weights} />
    </>
  );
}
