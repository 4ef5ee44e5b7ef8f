/**
 * The Outcomes headline: what outreach changed (the uplift, compared within each play), what that
 * is worth (incremental ARR beside the gross figure, each labelled), how many verdicts were set by
 * hand (with the switch that counts them), and how far the data is from showing a 10-point effect.
 */
import { formatCount, formatMoney, formatNumber, formatPercent } from '../../format.ts';
import { Stat } from '../../ui/Stat.tsx';
import type { OutcomeReport } from '../../../shared/dto/interventions.ts';
import { outcomeTally, tallyText } from '../../../shared/intervention-tally.ts';

export const points = (x: number) =>
  `${x > 0 ? '+' : x < 0 ? '−' : ''}${formatNumber(Math.abs(x * 100), { decimals: 1 })}`;

/** "across 5 plays, compared within each play", or "" for a single play. */
export function acrossPlays(plays: number, method: 'newcombe' | 'mantel_haenszel'): string {
  return method === 'mantel_haenszel' ? `across ${formatCount(plays, 'play')}, compared within each play` : '';
}

export function OutcomeHeadline({
  report,
  includeOverrides,
  onIncludeOverrides,
}: {
  report: OutcomeReport;
  includeOverrides: boolean;
  onIncludeOverrides: (value: boolean) => void;
}) {
  const totals = report.totals;
  const currency = totals.currency;
  const money = (x: number) => formatMoney(x, currency, { compact: true });
  const across = acrossPlays(totals.plays_compared, totals.uplift_method);
  const { power } = totals;
  const needsMore = power.more_treated > 0 || power.more_control > 0;
  return (
    <>
      <div className="outcomes__stats">
        <Stat
          label="Interventions"
          value={formatNumber(totals.n)}
          hint={tallyText(outcomeTally(totals), formatNumber)}
        />
        <Stat
          label="Success rate"
          value={totals.success_rate === null ? '—' : formatPercent(totals.success_rate, { decimals: 1 })}
          hint={
            totals.median_days_to_success === null
              ? 'of decided outcomes'
              : `of decided outcomes · median ${formatCount(Math.round(totals.median_days_to_success), 'day')} to success`
          }
        />
        <Stat
          label="Uplift vs control"
          value={totals.uplift ? `${points(totals.uplift.value)} pts` : 'Not enough data yet'}
          hint={
            totals.uplift
              ? `95% CI ${points(totals.uplift.ci_low)} to ${points(totals.uplift.ci_high)}${across ? ` · ${across}` : ''}`
              : (totals.uplift_note ?? '')
          }
        />
        <Stat
          label="ARR retained because of outreach"
          value={totals.incremental_arr ? money(totals.incremental_arr.value) : 'Not known yet'}
          hint={
            totals.incremental_arr
              ? `USD equivalent · 95% CI ${money(totals.incremental_arr.ci_low)} to ${money(totals.incremental_arr.ci_high)}: uplift × ${money(totals.treated_arr)} treated ARR`
              : 'needs an uplift first'
          }
        />
        <Stat
          label="ARR of accounts whose play succeeded"
          value={money(totals.arr_retained)}
          hint="USD equivalent · gross: includes saves that would have happened anyway"
        />
      </div>
      <div className="outcomes__qualifiers">
        <label className="outcomes__switch">
          <input type="checkbox" checked={includeOverrides} onChange={(e) => onIncludeOverrides(e.target.checked)} />
          <span>
            Count outcomes set by hand in the uplift{' '}
            <span className="outcomes__count">
              ({formatCount(totals.overrides, 'override')} {includeOverrides ? 'counted' : 'left out'})
            </span>
          </span>
        </label>
        <p className="outcomes__power" role="note">
          {needsMore
            ? `To detect a ${Math.round(power.difference * 100)}-point difference, each group needs about ${formatNumber(power.needed_per_group)} decided outcomes: ${formatNumber(power.more_treated)} more treated and ${formatNumber(power.more_control)} more control.`
            : `Both groups have the ${formatNumber(power.needed_per_group)} decided outcomes needed to detect a ${Math.round(power.difference * 100)}-point difference.`}
        </p>
      </div>
    </>
  );
}
