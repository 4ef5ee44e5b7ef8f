import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AccountRisk } from '../../../shared/dto/risk.ts';
import { formatDate } from '../../format.ts';

const AXIS = { fontSize: 11, fill: 'var(--color-text-muted)' };

export interface ScoreHistoryChartProps {
  history: AccountRisk['history'];
  bands: AccountRisk['bands'];
}

/** Daily health score over the last 90 days on the red / yellow / green zones. */
export function ScoreHistoryChart({ history, bands }: ScoreHistoryChartProps) {
  const scored = history.filter((h) => h.score !== null);
  const first = scored[0];
  const last = scored[scored.length - 1];
  const low = scored.reduce<(typeof scored)[number] | null>(
    (min, h) => (min === null || (h.score as number) < (min.score as number) ? h : min),
    null,
  );
  const summary =
    first && last
      ? `From ${first.score} on ${formatDate(first.asOf)} to ${last.score} on ${formatDate(last.asOf)}; lowest ${low?.score} on ${formatDate(low?.asOf ?? '')}.`
      : 'No score history yet.';
  return (
    <figure className="account__chart">
      <figcaption className="account__chart-caption">
        Score history, last {history.length} days. <span className="account__muted">{summary}</span>
      </figcaption>
      {/* The caption says it in words; accessibilityLayer off keeps the hidden picture out of the tab order. */}
      <div className="account__chart-canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height={200}>
          <LineChart accessibilityLayer={false} data={history} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
            <ReferenceArea y1={0} y2={bands.redBelow} fill="var(--band-red-bg)" fillOpacity={0.9} ifOverflow="hidden" />
            <ReferenceArea
              y1={bands.redBelow}
              y2={bands.greenFrom}
              fill="var(--band-yellow-bg)"
              fillOpacity={0.9}
              ifOverflow="hidden"
            />
            <ReferenceArea
              y1={bands.greenFrom}
              y2={100}
              fill="var(--band-green-bg)"
              fillOpacity={0.9}
              ifOverflow="hidden"
            />
            <CartesianGrid stroke="var(--color-border)" strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="asOf"
              tick={AXIS}
              tickFormatter={(d: string) => formatDate(d, { style: 'short' })}
              minTickGap={40}
            />
            <YAxis domain={[0, 100]} ticks={[0, bands.redBelow, bands.greenFrom, 100]} tick={AXIS} width={40} />
            <Tooltip
              formatter={(value) => [String(value), 'Score']}
              labelFormatter={(label) => formatDate(String(label))}
              contentStyle={{
                background: 'var(--color-surface-raised)',
                border: '1px solid var(--color-border-strong)',
                borderRadius: 6,
                fontSize: 12,
                color: 'var(--color-text)',
              }}
            />
            <Line
              type="monotone"
              dataKey="score"
              stroke="var(--color-accent)"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
