/**
 * The other measures of proactive support: inbound tickets per active account after the start
 * (treated against control, a chart people would rather look at than read), the response rate to
 * proactive messages, and days to resolution of outreach against inbound tickets.
 */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount, formatNumber, formatPercent } from '../../format.ts';
import { Stat } from '../../ui/Stat.tsx';
import type { OutcomeReport } from '../../../shared/dto/interventions.ts';

const AXIS = { fontSize: 11, fill: 'var(--color-text-muted)' };
const GRID = 'var(--color-border)';
const perAccount = (x: number | null) => (x === null ? 'no data' : formatNumber(x, { decimals: 2 }));
const days = (x: number | null) => (x === null ? '—' : `${formatNumber(x, { decimals: 1 })} days`);

export function OutcomeMeasures({ report }: { report: OutcomeReport }) {
  const data = report.deflection.map((d) => ({
    period: d.period,
    treated: d.treated.per_account,
    control: d.control.per_account,
  }));
  const summary = report.deflection
    .map(
      (d) => `${d.period}: eligible ${perAccount(d.treated.per_account)}, control ${perAccount(d.control.per_account)}`,
    )
    .join('; ');
  const { response, resolution } = report;
  return (
    <section className="outcomes__section" aria-labelledby="outcomes-measures-title">
      <h2 id="outcomes-measures-title">Deflection, replies and resolution</h2>
      <div className="outcomes__measures">
        <figure className="outcomes__chart">
          <figcaption>
            <h3>Inbound tickets per active account after the start</h3>
            <p>
              Eligible firings <span className="outcomes__key outcomes__key--treated" aria-hidden="true" /> against
              control <span className="outcomes__key outcomes__key--control" aria-hidden="true" /> (standardised to the
              eligible mix of plays); fewer is better.
            </p>
          </figcaption>
          <div role="img" aria-label={`Inbound tickets per active account. ${summary}.`}>
            <ResponsiveContainer width="100%" height={200}>
              <BarChart accessibilityLayer={false} data={data} margin={{ top: 4, right: 16, bottom: 4, left: 0 }}>
                <CartesianGrid vertical={false} stroke={GRID} />
                <XAxis dataKey="period" tick={AXIS} stroke={GRID} />
                <YAxis tick={AXIS} stroke={GRID} width={36} />
                <Tooltip formatter={(value) => formatNumber(Number(value), { decimals: 2 })} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Bar dataKey="treated" name="Eligible" fill="var(--chart-treated)" isAnimationActive={false} />
                <Bar dataKey="control" name="Control" fill="var(--chart-control)" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>
        <div className="outcomes__measure-stats">
          <Stat
            label="Response rate"
            value={response.rate === null ? 'No replies recorded' : formatPercent(response.rate, { decimals: 1 })}
            hint={`${formatNumber(response.replied)} of ${formatNumber(response.sent)} proactive messages got a reply${response.waiting ? ` (${formatCount(response.waiting, 'message')} from the last 14 days wait for their reply window)` : ''}`}
          />
          {resolution && (
            <Stat
              label="Median days to resolution"
              value={`${days(resolution.outreach.median_days)} vs ${days(resolution.tickets.median_days)}`}
              hint={`triggered outreach (${formatNumber(resolution.outreach.n)} succeeded) against inbound tickets (${formatNumber(resolution.tickets.n)} closed)`}
            />
          )}
        </div>
      </div>
    </section>
  );
}
