import { memo } from 'react';

export interface SparklineProps {
  /** Daily scores, oldest first; null where there is none. */
  values: (number | null)[];
  width?: number;
  height?: number;
}

const MARGIN = 2;

/**
 * A tiny score line without axes. Decorative: the cell it sits in says the trend in words, so it
 * is hidden from assistive technology.
 *
 * Performance (docs/performance.md, "UI: scrolling"): a plain SVG polyline on the 0–100 score
 * scale, gaps bridged, instead of a recharts LineChart. Each chart carried its own store and
 * selectors; with one per row, mounting rows while scrolling the 5,000-row list and re-rendering
 * them on every search caused most of the long tasks.
 */
export const Sparkline = memo(function Sparkline({ values, width = 60, height = 22 }: SparklineProps) {
  const present = values.flatMap((v, i) => (v === null ? [] : [[i, v] as const]));
  if (present.length === 0)
    return <span className="sparkline sparkline--empty" aria-hidden="true" style={{ width, height }} />;
  const stepX = values.length > 1 ? (width - 2 * MARGIN) / (values.length - 1) : 0;
  const y = (score: number) => MARGIN + (height - 2 * MARGIN) * (1 - Math.min(100, Math.max(0, score)) / 100);
  const points = present.map(([i, v]) => `${(MARGIN + i * stepX).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <span className="sparkline" aria-hidden="true">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} focusable="false">
        <polyline
          points={points}
          fill="none"
          stroke="var(--color-accent)"
          strokeWidth={1.5}
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      </svg>
    </span>
  );
});
