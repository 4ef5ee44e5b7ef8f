import './Spinner.css';

export interface SpinnerProps {
  size?: number;
  /** Give it a label when the spinner is the only sign of loading; decorative otherwise. */
  label?: string;
}

export function Spinner({ size = 14, label }: SpinnerProps) {
  return (
    <span
      className="spinner"
      style={{ width: size, height: size }}
      {...(label ? { role: 'status', 'aria-label': label } : { 'aria-hidden': true })}
    />
  );
}
