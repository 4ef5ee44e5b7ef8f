/**
 * Today's "stale data" group: accounts whose newest data is older than the limit, or that have no
 * data to score, have no band and are not ranked on old numbers, so they are listed here with the
 * age of their data. A feed that stopped (or never started) must never read as "nobody needs you today".
 */
import { DATA_GAP_WORDS, leftOutByGap } from '../../../shared/dto/data-gap.ts';
import type { RiskListPage } from '../../../shared/dto/risk.ts';
import { formatCount, formatMoney, formatNumber } from '../../format.ts';
import { Link } from '../../router/Link.tsx';
import { accountHref } from './columns.tsx';

/** "27 Feb" (in the user's locale), with the year only when it is not this year's. */
export function formatDataDay(day: string, today: string): string {
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  return new Intl.DateTimeFormat(undefined, {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** The group's heading: which kinds of missing data it holds. */
function heading(stale: RiskListPage['stale']): string {
  if (stale.noData === 0) return 'Stale data';
  return stale.noData === stale.count ? 'No data' : 'Stale or no data';
}

export function StaleGroup({ stale, asOf, today }: { stale: RiskListPage['stale']; asOf: string; today: string }) {
  if (stale.count === 0) return null;
  const more = stale.count - stale.accounts.length;
  return (
    <section className="today__stale" aria-labelledby="today-stale-heading">
      <h2 id="today-stale-heading" className="today__stale-heading">
        {heading(stale)}: {formatCount(stale.count, 'account')}
      </h2>
      <p className="today__sub">
        {stale.noData === stale.count
          ? 'There is no usage or engagement data to score them'
          : stale.noData > 0
            ? `${leftOutByGap(stale.count - stale.noData, stale.noData, formatNumber)}: their data is more than a week old or missing`
            : 'Their newest data is more than a week old'}
        , so they have no band and are not ranked. Check the feed or import fresh data.
      </p>
      <ul className="today__stale-list">
        {stale.accounts.map((a) => (
          <li key={a.accountId}>
            <Link to={accountHref(a.accountId, asOf)} className="today__account-link">
              {a.name}
            </Link>
            <span className="today__sub">{a.owner ?? 'no owner'}</span>
            <span>{formatMoney(a.arr, a.currency, { compact: true })}</span>
            <span className="today__stale-age">
              {a.gap === 'no_data' || a.dataThrough === null
                ? DATA_GAP_WORDS.no_data
                : `data through ${formatDataDay(a.dataThrough, today)} (${formatCount(a.dataAgeDays ?? 0, 'day')} old)`}
            </span>
          </li>
        ))}
      </ul>
      {more > 0 && (
        <p className="today__sub">
          and {formatCount(more, 'more account')} with {stale.noData > 0 ? 'stale or no data' : 'stale data'}.
        </p>
      )}
    </section>
  );
}
