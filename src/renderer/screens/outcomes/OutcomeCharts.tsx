/**
 * The Outcomes charts (recharts). Intervals are drawn as whiskers (ErrorBar): recharts takes them
 * as [below, above] distances from the bar's value. Every chart is a figure whose caption says what
 * it shows; the same numbers are in the tables below for screen readers and copying.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ErrorBar,
  LabelList,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatMoney, formatNumber, formatPercent } from '../../format.ts';
import type { OutcomeReport, OutcomeRow } from '../../../shared/dto/interventions.ts';

const TREATED = 'var(--chart-treated)';
const CONTROL = 'var(--chart-control)';
const AXIS = { fontSize: 11, fill: 'var(--color-text-muted)' };
const GRID = 'var(--color-border)';

function whisker(value: number | null, low: number | null, high: number | null): [number, number] | undefined {
  if (value === null || low === null || high === null) return undefined;
  return [(value - low) * 100, (high - value) * 100];
}

const tooltipStyle = {
  contentStyle: {
    background: 'var(--color-surface-raised)',
    border: '1px solid var(--color-border-strong)',
    borderRadius: 6,
    fontSize: 12,
    color: 'var(--color-text)',
  },
  labelStyle: { color: 'var(--color-text)', fontWeight: 600 },
  itemStyle: { color: 'var(--color-text)' },
  cursor: { fill: 'var(--color-surface-hover)' },
};

const height = (rows: number) => Math.max(140, 44 + rows * 46);

/** A 0% bar gets a 2px sliver (recharts draws no label for a bar without size) and a "0%" label. */
const zeroSliver = (value: number | null | undefined) => (value === 0 ? 2 : 0);

interface ZeroProps {
  viewBox?: { x?: number; y?: number; height?: number };
  value?: unknown;
  /** What a zero reads as: "0%" for a rate, "0 pts" for an uplift. */
  text?: string;
}

function ZeroLabel(props: ZeroProps) {
  if (props.value !== 0 || !props.viewBox) return null;
  const { x = 0, y = 0, height: h = 0 } = props.viewBox;
  return (
    <text
      x={x + 6}
      y={y + h / 2}
      dy={4}
      fontSize={11}
      fill="var(--color-text)"
      stroke="var(--color-surface)"
      strokeWidth={4}
      paintOrder="stroke"
    >
      {props.text ?? '0%'}
    </text>
  );
}

// Each chart sits in a role="img" with its numbers in the label, so recharts' keyboard layer
// (accessibilityLayer) is off: it would add a tab stop inside the picture that names nothing.
export function SuccessRateChart({ rows }: { rows: OutcomeRow[] }) {
  const data = rows.map((row) => ({
    label: row.label,
    treated: row.treated.success_rate === null ? null : row.treated.success_rate * 100,
    treatedError: whisker(row.treated.success_rate, row.treated.ci_low, row.treated.ci_high),
    treatedN: row.treated.n,
    control: row.control.success_rate === null ? null : row.control.success_rate * 100,
    controlError: whisker(row.control.success_rate, row.control.ci_low, row.control.ci_high),
    controlN: row.control.n,
  }));
  const summary = rows
    .map(
      (r) =>
        `${r.label}: eligible ${r.treated.success_rate === null ? 'no data' : formatPercent(r.treated.success_rate)}, control ${r.control.success_rate === null ? 'no data' : formatPercent(r.control.success_rate)}`,
    )
    .join('; ');
  return (
    <figure className="outcomes__chart">
      <figcaption>
        <h3>Success rate by trigger</h3>
        <p>
          Eligible firings <span className="outcomes__key outcomes__key--treated" aria-hidden="true" /> against control{' '}
          <span className="outcomes__key outcomes__key--control" aria-hidden="true" />, with 95% intervals.
        </p>
      </figcaption>
      <div role="img" aria-label={`Success rate by trigger. ${summary}.`}>
        <ResponsiveContainer width="100%" height={height(data.length)}>
          <BarChart
            accessibilityLayer={false}
            data={data}
            layout="vertical"
            margin={{ top: 4, right: 24, bottom: 4, left: 8 }}
            barGap={2}
          >
            <CartesianGrid horizontal={false} stroke={GRID} />
            <XAxis type="number" domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} tick={AXIS} stroke={GRID} />
            <YAxis type="category" dataKey="label" width={150} tick={AXIS} stroke={GRID} />
            <Tooltip
              {...tooltipStyle}
              formatter={(value, name, item) => {
                const payload = (item as { payload?: { treatedN: number; controlN: number } }).payload;
                const n = name === 'Eligible' ? payload?.treatedN : payload?.controlN;
                return [`${formatNumber(Number(value), { decimals: 1 })}% (n = ${n ?? 0})`, name];
              }}
            />
            <Bar
              dataKey="treated"
              name="Eligible"
              fill={TREATED}
              barSize={14}
              minPointSize={zeroSliver}
              isAnimationActive={false}
            >
              <ErrorBar
                dataKey="treatedError"
                direction="x"
                width={6}
                stroke="var(--color-text)"
                isAnimationActive={false}
              />
              <LabelList
                dataKey="treated"
                content={(p) => <ZeroLabel viewBox={p.viewBox as ZeroProps['viewBox']} value={p.value} />}
              />
            </Bar>
            <Bar
              dataKey="control"
              name="Control"
              fill={CONTROL}
              barSize={14}
              minPointSize={zeroSliver}
              isAnimationActive={false}
            >
              <ErrorBar
                dataKey="controlError"
                direction="x"
                width={6}
                stroke="var(--color-text)"
                isAnimationActive={false}
              />
              <LabelList
                dataKey="control"
                content={(p) => <ZeroLabel viewBox={p.viewBox as ZeroProps['viewBox']} value={p.value} />}
              />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function UpliftChart({ rows, minGroup }: { rows: OutcomeRow[]; minGroup: number }) {
  const shown = rows.filter((r) => r.uplift !== null);
  const waiting = rows.filter((r) => r.uplift === null);
  const data = shown.map((row) => ({
    label: row.label,
    // + 0 turns −0 (two rates of 0) into 0, which Intl would print as "-0.0".
    uplift: row.uplift!.value * 100 + 0,
    error: whisker(row.uplift!.value, row.uplift!.ci_low, row.uplift!.ci_high),
    low: row.uplift!.ci_low * 100,
    high: row.uplift!.ci_high * 100,
    sizes: `${row.treated.n} eligible, ${row.control.n} control`,
  }));
  const limit = Math.max(
    10,
    ...data.flatMap((d) => [Math.abs(d.low), Math.abs(d.high)]).map((v) => Math.ceil(v / 10) * 10),
  );
  return (
    <figure className="outcomes__chart">
      <figcaption>
        <h3>Uplift against the control group</h3>
        <p>
          Eligible (not held out) minus held-out success rate, both from the firing, in percentage points, with the 95%
          interval. An interval that crosses 0 is not yet a proven effect.
        </p>
      </figcaption>
      {data.length > 0 ? (
        <div
          role="img"
          aria-label={`Uplift by trigger. ${data.map((d) => `${d.label}: ${formatNumber(d.uplift, { decimals: 1 })} points, 95% interval ${formatNumber(d.low, { decimals: 1 })} to ${formatNumber(d.high, { decimals: 1 })}, ${d.sizes}`).join('; ')}.`}
        >
          <ResponsiveContainer width="100%" height={height(data.length)}>
            <BarChart
              accessibilityLayer={false}
              data={data}
              layout="vertical"
              margin={{ top: 4, right: 24, bottom: 4, left: 8 }}
            >
              <CartesianGrid horizontal={false} stroke={GRID} />
              <XAxis
                type="number"
                domain={[-limit, limit]}
                tickFormatter={(v: number) => `${v > 0 ? '+' : ''}${v}`}
                tick={AXIS}
                stroke={GRID}
                unit=" pts"
              />
              <YAxis type="category" dataKey="label" width={150} tick={AXIS} stroke={GRID} />
              <ReferenceLine x={0} stroke="var(--color-text-muted)" />
              <Tooltip
                {...tooltipStyle}
                formatter={(_value, _name, item) => {
                  const d = (item as { payload?: (typeof data)[number] }).payload;
                  return d
                    ? [
                        `${formatNumber(d.uplift, { decimals: 1 })} pts (95% CI ${formatNumber(d.low, { decimals: 1 })} to ${formatNumber(d.high, { decimals: 1 })}; ${d.sizes})`,
                        'Uplift',
                      ]
                    : ['', ''];
                }}
              />
              {/* An uplift of exactly 0 has no size: without the sliver recharts draws neither the bar
                  nor its whiskers, and the interval (e.g. −16.1 to +24.2) vanished. */}
              <Bar dataKey="uplift" name="Uplift" barSize={16} minPointSize={zeroSliver} isAnimationActive={false}>
                {data.map((d) => (
                  <Cell key={d.label} fill={d.uplift >= 0 ? TREATED : 'var(--chart-negative)'} />
                ))}
                <ErrorBar
                  dataKey="error"
                  direction="x"
                  width={8}
                  stroke="var(--color-text)"
                  isAnimationActive={false}
                />
                <LabelList
                  dataKey="uplift"
                  content={(p) => (
                    <ZeroLabel viewBox={p.viewBox as ZeroProps['viewBox']} value={p.value} text="0 pts" />
                  )}
                />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <p className="outcomes__waiting">Not enough data yet for any trigger.</p>
      )}
      {waiting.filter((r) => !r.no_control).length > 0 && (
        <p className="outcomes__waiting">
          <strong>Not enough data yet</strong> (uplift needs {minGroup} decided outcomes in each group):{' '}
          {waiting
            .filter((r) => !r.no_control)
            .map((r) => `${r.label} (${r.treated.n} eligible, ${r.control.n} control)`)
            .join(', ')}
          .
        </p>
      )}
      {waiting.some((r) => r.no_control) && (
        <p className="outcomes__waiting">
          <strong>No control group</strong> (nothing held out, so uplift cannot be measured):{' '}
          {waiting
            .filter((r) => r.no_control)
            .map((r) => r.label)
            .join(', ')}
          .
        </p>
      )}
    </figure>
  );
}

const BUCKETS: { label: string; from: number; to: number }[] = [
  { label: '0', from: 0, to: 0 },
  { label: '1', from: 1, to: 1 },
  { label: '2', from: 2, to: 2 },
  { label: '3', from: 3, to: 3 },
  { label: '4–7', from: 4, to: 7 },
  { label: '8–14', from: 8, to: 14 },
  { label: '15–30', from: 15, to: 30 },
  { label: '31–60', from: 31, to: 60 },
  { label: '61+', from: 61, to: Infinity },
];

export function TimeToSuccessChart({ days }: { days: number[] }) {
  const data = BUCKETS.map((b) => ({ label: b.label, count: days.filter((d) => d >= b.from && d <= b.to).length }));
  return (
    <figure className="outcomes__chart">
      <figcaption>
        <h3>Time to success</h3>
        <p>Days from the intervention to the success, for {formatNumber(days.length)} that succeeded.</p>
      </figcaption>
      <div
        role="img"
        aria-label={`Time to success in days: ${data.map((d) => `${d.label} days: ${d.count}`).join(', ')}.`}
      >
        <ResponsiveContainer width="100%" height={200}>
          <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid vertical={false} stroke={GRID} />
            <XAxis dataKey="label" tick={AXIS} stroke={GRID} />
            <YAxis allowDecimals={false} tick={AXIS} stroke={GRID} width={36} />
            <Tooltip
              {...tooltipStyle}
              formatter={(value) => [formatNumber(Number(value)), 'Interventions']}
              labelFormatter={(label) => `${String(label)} days`}
            />
            <Bar dataKey="count" name="Interventions" fill={TREATED} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function ArrRetainedChart({ report, currency }: { report: OutcomeReport; currency: string }) {
  const data = report.arr_by_month.map((m) => ({
    ...m,
    label: new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(
      new Date(`${m.month}-01T00:00:00Z`),
    ),
  }));
  return (
    <figure className="outcomes__chart">
      <figcaption>
        <h3>ARR retained over time</h3>
        <p>ARR of the accounts whose intervention succeeded, by month of success (USD equivalent).</p>
      </figcaption>
      <div
        role="img"
        aria-label={`ARR retained by month: ${data.map((d) => `${d.label}: ${formatMoney(d.arr, currency, { compact: true })}`).join(', ')}.`}
      >
        <ResponsiveContainer width="100%" height={200}>
          <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid vertical={false} stroke={GRID} />
            <XAxis dataKey="label" tick={AXIS} stroke={GRID} />
            <YAxis
              tick={AXIS}
              stroke={GRID}
              width={56}
              tickFormatter={(v: number) => formatMoney(v, currency, { compact: true })}
            />
            <Tooltip {...tooltipStyle} formatter={(value) => [formatMoney(Number(value), currency), 'ARR retained']} />
            <Bar dataKey="arr" name="ARR retained" fill="var(--chart-money)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
