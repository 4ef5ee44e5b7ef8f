import { formatNumber } from '../format.ts';
import './ProgressBar.css';

export interface ProgressBarProps {
  /** Accessible name, also shown above the bar unless hideLabel. */
  label: string;
  /** Omit (or null) for an indeterminate bar, when the total is not known yet. */
  value?: number | null;
  max?: number;
  /** Extra text after the label, e.g. "1,200 / 5,000 · 300/s". */
  detail?: string;
  hideLabel?: boolean;
}

export function ProgressBar({ label, value = null, max = 100, detail, hideLabel = false }: ProgressBarProps) {
  const determinate = value !== null && max > 0;
  const clamped = determinate ? Math.min(Math.max(value, 0), max) : 0;
  const percent = determinate ? (clamped / max) * 100 : 0;
  return (
    <div className="progress">
      {!hideLabel && (
        <div className="progress__meta" aria-hidden="true">
          <span className="progress__label">{label}</span>
          {(detail || determinate) && (
            <span className="progress__detail">{detail ?? `${formatNumber(Math.round(percent))}%`}</span>
          )}
        </div>
      )}
      <div
        className={`progress__track${determinate ? '' : ' progress__track--indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={determinate ? clamped : undefined}
        aria-valuetext={detail}
      >
        <div className="progress__fill" style={determinate ? { width: `${percent}%` } : undefined} />
      </div>
    </div>
  );
}
