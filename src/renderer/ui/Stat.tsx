import type { ReactNode } from 'react';
import './Stat.css';

export interface StatProps {
  label: string;
  value: ReactNode;
  /** A short qualifier under the value, e.g. "across 400 accounts". */
  hint?: ReactNode;
}

/** A label/value card. Rendered as a group named by its label so the value is read in context. */
export function Stat({ label, value, hint }: StatProps) {
  return (
    <div className="stat" role="group" aria-label={label}>
      <div className="stat__label">{label}</div>
      <div className="stat__value">{value}</div>
      {hint && <div className="stat__hint">{hint}</div>}
    </div>
  );
}
