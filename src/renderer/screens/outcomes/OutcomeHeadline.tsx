/**
 * The Outcomes headline: what outreach changed (the intention-to-treat uplift, compared within each
 * play and firing month), what that is worth (incremental ARR beside the gross figure, each
 * labelled), how many eligible firings were contacted, and how far the data is from showing a
 * 10-point effect.
 */
import { formatCount, formatMoney, formatNumber, formatPercent } from '../../format.ts';
import { Stat } from '../../ui/Stat.tsx';
import type { OutcomeReport, RowComparison } from '../../../shared/dto/interventions.ts';
import { outcomeTally, tallyText } from '../../../shared/intervention-tally.ts';

export const points = (x: number) =>
  `${x > 0 ? '+' : x < 0 ? '−' : ''}${formatNumber(Math.abs(x * 100), { decimals: 1 })}`;

/** "compared within 4 groups of play and firing month", or "" for a single group. */
export function acrossStrata(row: Pick<RowComparison, 'strata_compared' | 'uplift_method'>): string {
  return row.uplift_method === 'mantel_haenszel'
    ? `compared within ${formatCount(row.strata_compared, 'group')} of play and firing month`
    : '';
}

/** Why a row has no uplift, in two or three words. */
export function noUpliftReason(row: Pick<RowComparison, 'no_control' | 'uplift_note'>): string {
  if (row.no_control) return 'No control group';
  return row.uplift_note?.startsWith('Not enough') ? 'Not enough data yet' : 'Not measured';
}

export function OutcomeHeadline({ report }: { report: OutcomeReport }) {
  const totals = report.totals;
  const currency = totals.currency;
  const money = (x: number) => formatMoney(x, currency, { compact: true });
  const across = acrossStrata(totals);
  const { power } = totals;
  const needsMore = power.more_treated > 0 || power.more_control > 0;
  const reached = `${formatNumber(totals.contacted)} of ${formatNumber(totals.treated.n)} eligible firings contacted`;
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
          value={totals.uplift ? `${points(totals.uplift.value)} pts` : noUpliftReason(totals)}
          hint={
            totals.uplift
              ? `95% CI ${points(totals.uplift.ci_low)} to ${points(totals.uplift.ci_high)} · all eligible firings vs held out, from the firing · ${reached}${across ? ` · ${across}` : ''}`
              : (totals.uplift_note ?? '')
          }
        />
        <Stat
          label="ARR retained because of outreach"
          value={
            totals.incremental_arr
              ? money(totals.incremental_arr.value)
              : totals.no_control
                ? 'No control group'
                : 'Not known yet'
          }
          hint={
            totals.incremental_arr
              ? `USD equivalent · 95% CI ${money(totals.incremental_arr.ci_low)} to ${money(totals.incremental_arr.ci_high)}: each group’s uplift × its eligible ARR (${money(totals.treated_arr)} in all)`
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
        {totals.per_contacted && (
          <p className="outcomes__power" role="note">
            Per contacted account (uplift ÷ share contacted, assuming the uncontacted were not helped):{' '}
            {points(totals.per_contacted.value)} pts (95% CI {points(totals.per_contacted.ci_low)} to{' '}
            {points(totals.per_contacted.ci_high)}).
          </p>
        )}
        {totals.control_contacted > 0 && (
          <p className="outcomes__power" role="note">
            {formatCount(totals.control_contacted, 'held-out firing')} got outreach for another play inside the window
            (the holdout is per play). They stay in the control group, which tends to shrink the uplift.
          </p>
        )}
        {totals.overrides > 0 && (
          <p className="outcomes__power" role="note">
            {formatCount(totals.overrides, 'outcome')} set by hand: kept in the Interventions counts, never in the
            uplift, which judges every firing from the data.
          </p>
        )}
        {!totals.no_control && (
          <p className="outcomes__power" role="note">
            {needsMore
              ? `To detect a ${Math.round(power.difference * 100)}-point difference, each group needs about ${formatNumber(power.needed_per_group)} decided outcomes: ${formatNumber(power.more_treated)} more eligible and ${formatNumber(power.more_control)} more control.`
              : `Both groups have the ${formatNumber(power.needed_per_group)} decided outcomes needed to detect a ${Math.round(power.difference * 100)}-point difference.`}
          </p>
        )}
      </div>
    </>
  );
}
