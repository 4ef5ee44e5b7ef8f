/**
 * Renewals: overdue ones first, then those due in the next 30, 90 or 180 days, with health,
 * P(churn) and the ARR expected to renew (ARR × (1 − P(churn))), totalled by month. The window
 * and the owner live in the URL, so a link or Back returns to the same view.
 */
import { DATA_GAP_WORDS, leftOutByGap } from '../../../shared/dto/data-gap.ts';
import { RENEWAL_WINDOWS, type RenewalMonth, type RenewalRow } from '../../../shared/dto/renewals.ts';
import { useApiQuery } from '../../api/hooks.ts';
import {
  formatCount,
  formatDate,
  formatDaysAway,
  formatMoney,
  formatMonth,
  formatNumber,
  formatPChurn,
} from '../../format.ts';
import type { ScreenProps } from '../../routes.tsx';
import { Link } from '../../router/Link.tsx';
import { navigate } from '../../router/location.ts';
import { BandChip, Chip } from '../../ui/Chip.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { Stat } from '../../ui/Stat.tsx';
import { SavedViews } from '../../views/SavedViews.tsx';
import './renewals.css';

function windowFrom(query: URLSearchParams): number {
  const within = Number(query.get('within'));
  return (RENEWAL_WINDOWS as readonly number[]).includes(within) ? within : 90;
}

const usd = (amount: number) => formatMoney(amount, 'USD', { cents: false });

export function RenewalsScreen({ query }: ScreenProps) {
  const withinDays = windowFrom(query);
  const owner = query.get('owner') === 'me' ? 'me' : 'all';
  // A past day (?asOf=YYYY-MM-DD), as on Today; otherwise today.
  const asOfParam = query.get('asOf');
  const asOf = asOfParam && /^\d{4}-\d{2}-\d{2}$/.test(asOfParam) ? asOfParam : undefined;
  const report = useApiQuery(
    'renewals.list',
    { withinDays, owner, ...(asOf ? { asOf } : {}) },
    { keepPreviousData: true, reloadOn: ['risk', 'accounts'] },
  );
  const go = (next: { within?: number; owner?: string }) => {
    const params = new URLSearchParams({ within: String(next.within ?? withinDays), owner: next.owner ?? owner });
    if (asOf) params.set('asOf', asOf);
    navigate(`/renewals?${params.toString()}`, { replace: true });
  };
  const data = report.data;

  return (
    <div className="renewals">
      <PageHeader
        title="Renewals"
        description={
          data?.scoredAsOf
            ? `Overdue first, then the next ${withinDays} days. Health and P(churn) as scored on ${formatDate(data.scoredAsOf)}.`
            : `Overdue first, then the next ${withinDays} days.`
        }
      />
      <div className="renewals__controls">
        <div role="group" aria-label="Renewal window" className="renewals__segmented">
          {RENEWAL_WINDOWS.map((days) => (
            <button
              key={days}
              type="button"
              aria-pressed={days === withinDays}
              className="renewals__segment"
              onClick={() => go({ within: days })}
            >
              {days} days
            </button>
          ))}
        </div>
        <SavedViews screen="renewals" path="/renewals" query={query} />
        <label className="renewals__field">
          Accounts
          <select value={owner} onChange={(event) => go({ owner: event.target.value })}>
            <option value="all">All accounts</option>
            <option value="me">My accounts</option>
          </select>
        </label>
      </div>

      {report.error || !data ? (
        <QueryFallback query={report} what="the renewals" />
      ) : (
        <>
          <div className="renewals__stats">
            <Stat
              label="Overdue"
              value={formatCount(data.totals.overdue, 'account')}
              hint="renewal date passed, still active"
            />
            <Stat
              label="ARR up for renewal"
              value={usd(data.totals.arrUsd)}
              hint={`${formatCount(data.totals.accounts, 'account')}, in USD`}
            />
            <Stat
              label="ARR expected to renew"
              value={data.totals.unforecast === data.totals.accounts ? '—' : usd(data.totals.expectedRenewUsd)}
              hint={
                data.totals.unforecast > 0
                  ? `ARR × (1 − P(churn)); left out, no forecast: ${leftOutByGap(data.totals.unforecastStale, data.totals.unforecast - data.totals.unforecastStale, formatNumber)}`
                  : 'ARR × (1 − P(churn))'
              }
            />
          </div>
          <Caveats pChurnSource={data.pChurnSource} horizonDays={data.horizonDays} withinDays={withinDays} />
          {data.rows.length === 0 ? (
            <p className="renewals__empty">No renewals are overdue or due in the next {withinDays} days.</p>
          ) : (
            <>
              <MonthTable months={data.months} />
              <RenewalTable rows={data.rows} />
            </>
          )}
        </>
      )}
    </div>
  );
}

function Caveats({
  pChurnSource,
  horizonDays,
  withinDays,
}: {
  pChurnSource: 'fitted' | 'default' | null;
  horizonDays: number;
  withinDays: number;
}) {
  const notes: string[] = [];
  if (pChurnSource === 'default')
    notes.push('P(churn) comes from the built-in curve; it is not yet fitted to your own churn history.');
  if (withinDays > horizonDays)
    notes.push(
      `P(churn) covers the next ${horizonDays} days; for renewals further out the ARR expected to renew is optimistic.`,
    );
  if (notes.length === 0) return null;
  return (
    <ul className="renewals__caveats" aria-label="How far to trust the forecast">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

function MonthTable({ months }: { months: RenewalMonth[] }) {
  return (
    <table className="renewals__table renewals__months" aria-label="Renewals by month">
      <thead>
        <tr>
          <th scope="col">Month</th>
          <th scope="col" className="renewals__num">
            Accounts
          </th>
          <th scope="col" className="renewals__num">
            ARR (USD)
          </th>
          <th scope="col" className="renewals__num">
            Expected to renew (USD)
          </th>
        </tr>
      </thead>
      <tbody>
        {months.map((m) => (
          <tr key={m.month}>
            <th scope="row">{m.month === 'overdue' ? 'Overdue' : formatMonth(m.month)}</th>
            <td className="renewals__num">{m.accounts}</td>
            <td className="renewals__num">{usd(m.arrUsd)}</td>
            <td className="renewals__num">
              {usd(m.expectedRenewUsd)}
              {m.unforecast > 0 && <span className="renewals__muted"> ({m.unforecast} not forecast)</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RenewalTable({ rows }: { rows: RenewalRow[] }) {
  return (
    <table className="renewals__table" aria-label="Renewals">
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col">Renewal</th>
          <th scope="col">Health</th>
          <th scope="col" className="renewals__num">
            P(churn)
          </th>
          <th scope="col" className="renewals__num">
            ARR
          </th>
          <th scope="col" className="renewals__num">
            Expected to renew (USD)
          </th>
          <th scope="col">Owner</th>
          <th scope="col">Last touch</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.accountId}>
            <th scope="row" className="renewals__account">
              <Link to={`/accounts/${encodeURIComponent(r.accountId)}`}>{r.name}</Link>
              {r.segment && <div className="renewals__muted">{r.segment}</div>}
            </th>
            <td>
              {formatDate(r.renewalDate)}{' '}
              {r.overdue ? (
                <Chip tone="red">{`Overdue by ${formatCount(-r.daysToRenewal, 'day')}`}</Chip>
              ) : (
                <span className="renewals__muted">{formatDaysAway(r.daysToRenewal)}</span>
              )}
            </td>
            <td>
              {r.score === null || r.band === null ? (
                <span className="renewals__muted">
                  {r.dataGap === null ? 'No score' : `No score, ${DATA_GAP_WORDS[r.dataGap]}`}
                </span>
              ) : (
                <BandChip band={r.band}>{`${r.score} ${r.band[0]!.toUpperCase()}${r.band.slice(1)}`}</BandChip>
              )}
            </td>
            <td className="renewals__num">{r.pChurn === null ? '—' : formatPChurn(r.pChurn)}</td>
            <td className="renewals__num">{formatMoney(r.arr, r.currency, { cents: false })}</td>
            <td className="renewals__num">{r.expectedRenewUsd === null ? '—' : usd(r.expectedRenewUsd)}</td>
            <td className="renewals__owner">{r.owner ?? '—'}</td>
            <td className="renewals__day">{r.lastTouchOn ? formatDate(r.lastTouchOn) : 'Never'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
