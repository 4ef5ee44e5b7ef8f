/**
 * One account: its health score with every component explained, the score history on the band
 * zones, what changed since last week, the money at stake, the open risk items with their actions,
 * every trigger's check, the contacts (champion marked) and a timeline of events, risk items and
 * interventions.
 */
import { useState } from 'react';
import { DATA_GAP_WORDS } from '../../../shared/dto/data-gap.ts';
import type { AccountRisk, RiskItemDto } from '../../../shared/dto/risk.ts';
import { api } from '../../api/client.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { formatDate, formatDateTime, formatMoney, formatPChurn, formatPercent } from '../../format.ts';
import type { ScreenProps } from '../../routes.tsx';
import { Link } from '../../router/Link.tsx';
import { useAppStatus } from '../../shell/status-context.ts';
import { useDraftRequest } from '../../stores/draft-request.ts';
import { Button, buttonClass } from '../../ui/Button.tsx';
import { BandChip, Chip } from '../../ui/Chip.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { toast } from '../../ui/Toast.tsx';
import { DismissDialog, SnoozeDialog } from '../today/ItemDialogs.tsx';
import { ActivitiesPanel } from '../../activities/ActivitiesPanel.tsx';
import { ItemChecklist } from '../../playbooks/ItemChecklist.tsx';
import { SuccessPlan } from '../../success-plan/SuccessPlan.tsx';
import { ScoreHistoryChart } from './ScoreHistoryChart.tsx';
import './account.css';

const TREND_TEXT = { up: 'Up', down: 'Down', flat: 'Flat', new: 'New' } as const;

export function AccountScreen({ params, query }: ScreenProps) {
  const accountId = params.id ?? '';
  const asOfParam = query.get('asOf');
  const asOf = asOfParam && /^\d{4}-\d{2}-\d{2}$/.test(asOfParam) ? asOfParam : undefined;
  const result = useApiQuery('risk.account', { accountId, ...(asOf ? { asOf } : {}) });
  const todayLink = asOf ? `/today?asOf=${asOf}` : '/today';

  if (result.error) {
    return (
      <>
        <PageHeader title="Account not found" />
        <QueryFallback
          query={result}
          what="the account"
          errorTitle={(error) => (error.code === 'ACCOUNT_NOT_FOUND' ? 'There is no such account' : null)}
          action={
            <Link to={todayLink} className={buttonClass('secondary')}>
              Back to Today
            </Link>
          }
        />
      </>
    );
  }
  const data = result.data;
  if (!data) {
    return <QueryFallback query={result} what="the account" />;
  }
  return <AccountView data={data} todayLink={todayLink} />;
}

function AccountView({ data, todayLink }: { data: AccountRisk; todayLink: string }) {
  const a = data.account;
  // Snoozes run in real time, whatever day is viewed.
  const today = useAppStatus().status?.today ?? data.asOf;
  const liveItems = data.items.filter((i) => i.status === 'open' || i.status === 'in_progress');
  const closedItems = data.items.filter((i) => i.status === 'resolved' || i.status === 'dismissed').slice(0, 10);
  // Items come newest first; the header's draft answers the most urgent one (priority 1 first).
  const draftable =
    liveItems
      .filter((i) => !i.control && !i.snoozed)
      .sort((x, y) => x.priority - y.priority || x.itemId - y.itemId)[0] ?? null;
  // The day's stored reasons (the churn model's, an overdue renewal…), those not said above already.
  const reasons = data.reasons.filter((r) => !data.summary.includes(r) && r !== data.change);
  const facts = [
    a.segment,
    a.owner ? `owned by ${a.owner}` : 'no owner',
    `${formatMoney(a.arr, a.currency)} ARR`,
    a.renewalDate
      ? `renews ${formatDate(a.renewalDate)}${data.renewalOverdue ? ' (overdue: record the renewal or the new date)' : ''}`
      : 'no renewal date',
    a.status === 'churned' ? `churned ${formatDate(a.churnedAt)}` : null,
  ].filter(Boolean);

  return (
    <div className="account">
      <PageHeader
        title={a.name}
        description={facts.join(' · ')}
        actions={
          <>
            <Link to={todayLink} className={buttonClass('secondary')}>
              Back to Today
            </Link>
            {/* A lost customer is not drafted to as if live: the page shows what happened instead. */}
            {data.churnedOn === null && (
              <Button
                variant="primary"
                onClick={() =>
                  useDraftRequest.getState().requestDraft({
                    accountId: a.accountId,
                    triggerId: draftable?.triggerId ?? null,
                    riskItemId: draftable?.itemId ?? null,
                  })
                }
              >
                Draft outreach
              </Button>
            )}
          </>
        }
      />

      <div className="account__grid">
        <div className="account__column">
          <section className="account__panel account__score" aria-labelledby="account-score">
            <h2 id="account-score" className="account__heading">
              Health score
            </h2>
            <div className="account__score-line">
              <span className="account__score-value">{data.score ?? '—'}</span>
              {data.band && <BandChip band={data.band} />}
              {data.churnedOn !== null && <Chip tone="neutral">Churned on {formatDate(data.churnedOn)}</Chip>}
              {data.stale && <Chip tone="yellow">Stale data: {data.dataAgeDays} days old</Chip>}
              <span className="account__muted">
                {data.trend !== null && (
                  <>
                    {TREND_TEXT[data.trend]}
                    {data.delta !== null && data.trend !== 'flat' ? ` ${Math.abs(data.delta)}` : ''}
                    {data.previous ? ` since ${formatDate(data.previous.asOf)} (${data.previous.score ?? '—'})` : ''}
                  </>
                )}
              </span>
              {data.rank !== null && <Chip tone="accent">#{data.rank} at risk</Chip>}
            </div>
            <p className="account__summary">{data.summary}</p>
            {data.change && <p className="account__summary">{data.change}</p>}
            {reasons.length > 0 && (
              <ul className="account__reasons" aria-label="Reasons">
                {reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            )}
            <dl className="account__money">
              <div>
                <dt>Expected ARR at risk</dt>
                <dd>
                  {data.money.expectedArrAtRisk === null
                    ? '—'
                    : formatMoney(data.money.expectedArrAtRisk, a.currency, { cents: false })}
                </dd>
              </div>
              <div>
                <dt>P(churn)</dt>
                <dd>
                  {data.money.pChurn === null ? (
                    `—, ${data.churnedOn !== null ? 'churned' : data.dataGap === null ? 'no forecast' : DATA_GAP_WORDS[data.dataGap]}`
                  ) : (
                    <>
                      {formatPChurn(data.money.pChurn)}{' '}
                      <span className="account__muted">in {data.money.horizonDays} days</span>
                    </>
                  )}
                </dd>
              </div>
              <div>
                <dt>Renewal urgency</dt>
                <dd>×{data.money.urgency.toFixed(2)}</dd>
              </div>
            </dl>
            <p className="account__muted account__small">{data.money.explanation}</p>
            {data.money.caveat ? (
              <p className="account__caveat" role="note">
                {data.money.caveat}
              </p>
            ) : null}
            <ScoreHistoryChart history={data.history} bands={data.bands} />
          </section>
          <section className="account__panel account__components-panel" aria-labelledby="account-components">
            <h2 id="account-components" className="account__heading">
              Why this score: components
            </h2>
            <table className="account__table account__components" aria-labelledby="account-components">
              <thead>
                <tr>
                  <th scope="col">Component</th>
                  <th scope="col" className="account__num">
                    Weight
                  </th>
                  <th scope="col" className="account__num">
                    Score
                  </th>
                  <th scope="col">Inputs and result</th>
                </tr>
              </thead>
              <tbody>
                {data.components.map((c) => (
                  <tr key={c.id} className={c.score === null ? 'account__row--missing' : undefined}>
                    <th scope="row">{c.label}</th>
                    <td className="account__num">
                      {c.share === null ? <span className="account__muted">left out</span> : formatPercent(c.share)}
                    </td>
                    <td className="account__num">
                      {c.score === null ? (
                        '—'
                      ) : (
                        <span className="account__bar" aria-label={`${c.score} out of 100`}>
                          <span
                            className="account__bar-fill"
                            style={{ width: `${c.score}%` }}
                            data-tone={c.score < 40 ? 'red' : c.score < 70 ? 'yellow' : 'green'}
                          />
                          <span className="account__bar-value">{c.score}</span>
                        </span>
                      )}
                    </td>
                    <td>
                      <div>{c.explanation}</div>
                      <div className="account__muted account__small">Rule: {c.rule}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.movers.length > 0 && (
              <p className="account__small">
                Moved since {data.previous ? formatDate(data.previous.asOf) : 'last week'}:{' '}
                {data.movers
                  .map(
                    (m) =>
                      `${m.label} ${m.from ?? '—'}→${m.to ?? '—'} (${m.points > 0 ? '+' : '−'}${Math.abs(Math.round(m.points))} pts)`,
                  )
                  .join('; ')}
              </p>
            )}
          </section>
        </div>

        <section className="account__panel" aria-labelledby="account-items">
          <h2 id="account-items" className="account__heading">
            Open risk items ({liveItems.length})
          </h2>
          {liveItems.length === 0 ? (
            <p className="account__muted">No open risk items.</p>
          ) : (
            <ItemList items={liveItems} accountId={a.accountId} accountName={a.name} today={today} />
          )}
          {closedItems.length > 0 && (
            <details className="account__details">
              <summary>Closed items ({closedItems.length})</summary>
              <ul className="account__closed">
                {closedItems.map((i) => (
                  <li key={i.itemId}>
                    <strong>{i.label}</strong> — {i.status} {formatDate(i.closedOn)}: {i.closeReason}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <h2 id="account-contacts" className="account__heading account__heading--spaced">
            Contacts
          </h2>
          <table className="account__table" aria-labelledby="account-contacts">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.contacts.map((c) => (
                <tr key={c.contactId}>
                  <td>
                    {c.name ?? c.contactId}
                    {c.isChampion && (
                      <>
                        {' '}
                        <Chip tone="accent">Champion</Chip>
                      </>
                    )}
                    {c.email && <div className="account__muted account__small">{c.email}</div>}
                  </td>
                  <td>{c.role ?? '—'}</td>
                  <td>{c.active ? 'Active' : 'Left'}</td>
                </tr>
              ))}
              {data.contacts.length === 0 && (
                <tr>
                  <td colSpan={3} className="account__muted">
                    No contacts on record.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
      </div>

      <SuccessPlan accountId={a.accountId} accountName={a.name} today={today} />
      <ActivitiesPanel accountId={a.accountId} accountName={a.name} today={today} />

      <section className="account__panel" aria-labelledby="account-triggers">
        <h2 id="account-triggers" className="account__heading">
          Plays checked
        </h2>
        <ul className="account__checks">
          {data.triggers.map((t) => (
            <li key={t.id} className={t.fired ? 'account__check account__check--fired' : 'account__check'}>
              <Chip tone={t.fired ? (t.priority === 1 ? 'red' : 'yellow') : 'neutral'}>
                {t.fired ? 'Fired' : 'Clear'}
              </Chip>
              <span>
                <strong>{t.label}</strong>{' '}
                <span className="account__muted">
                  ({t.tier === 'human' ? 'CSM call or email' : 'template outreach'}, priority {t.priority})
                </span>
                : {t.text}
              </span>
            </li>
          ))}
        </ul>
      </section>

      <section className="account__panel" aria-labelledby="account-timeline">
        <h2 id="account-timeline" className="account__heading">
          Timeline
        </h2>
        <ol className="account__timeline">
          {data.timeline.slice(0, 80).map((e, i) => (
            <li key={`${e.at}-${i}`}>
              <time dateTime={e.at}>{e.at.length > 10 ? formatDateTime(e.at) : formatDate(e.at)}</time>
              <Chip tone={e.kind === 'risk_item' ? 'yellow' : e.kind === 'intervention' ? 'accent' : 'neutral'}>
                {e.kind === 'risk_item' ? 'Risk item' : e.kind === 'intervention' ? 'Intervention' : 'Event'}
              </Chip>
              <span>
                {e.title}
                {e.amount !== null && ` ${formatMoney(e.amount, a.currency)}`}
                {e.detail && <span className="account__muted"> — {e.detail}</span>}
              </span>
            </li>
          ))}
          {data.timeline.length === 0 && <li className="account__muted">Nothing happened in the last 180 days.</li>}
        </ol>
      </section>
    </div>
  );
}

function ItemList({
  items,
  accountId,
  accountName,
  today,
}: {
  items: RiskItemDto[];
  accountId: string;
  accountName: string;
  today: string;
}) {
  const [dialog, setDialog] = useState<null | { kind: 'snooze' | 'dismiss'; item: RiskItemDto }>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const start = async (item: RiskItemDto) => {
    setBusy(item.itemId);
    try {
      await api.call('risk.item.start', { itemId: item.itemId });
      toast({ tone: 'success', title: `Started: ${item.label}` });
    } catch (error) {
      toast({
        tone: 'error',
        title: 'Could not start the item',
        description: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setBusy(null);
    }
  };
  const current = dialog
    ? [{ itemId: dialog.item.itemId, label: dialog.item.label, evidence: dialog.item.evidence }]
    : [];
  return (
    <>
      <ul className="account__items">
        {items.map((item) => {
          const stay = item.stays[item.stays.length - 1];
          return (
            <li key={item.itemId} className="account__item">
              <div className="account__item-head">
                <strong>{item.label}</strong>
                <Chip tone={item.status === 'in_progress' ? 'accent' : 'neutral'}>
                  {item.status === 'in_progress' ? 'In progress' : 'Open'}
                </Chip>
                {item.control && (
                  <Chip tone="accent" title="Held out as the control group: no suggested outreach">
                    Control
                  </Chip>
                )}
                {item.snoozed && (
                  <Chip tone="neutral">
                    Snoozed{item.snoozedBy ? ` by ${item.snoozedBy}` : ''} until {formatDate(item.snoozedUntil)}
                  </Chip>
                )}
              </div>
              <p className="account__item-evidence">{item.evidence}</p>
              <p className="account__muted account__small">
                Fired {formatDate(item.firstFiredOn)}
                {stay ? `; ${stay.status.replace('_', ' ')} for ${stay.days} day${stay.days === 1 ? '' : 's'}` : ''}
                {item.snoozeReason && item.snoozed ? `; snoozed: ${item.snoozeReason}` : ''}
                {item.control ? '; control group, no suggested outreach' : ''}
              </p>
              <div className="account__item-actions">
                {item.status === 'open' && (
                  <Button
                    size="sm"
                    loading={busy === item.itemId}
                    onClick={() => void start(item)}
                    aria-label={`Start ${item.label}`}
                  >
                    Start
                  </Button>
                )}
                <Button
                  size="sm"
                  onClick={() => setDialog({ kind: 'snooze', item })}
                  aria-label={`Snooze ${item.label}`}
                >
                  Snooze
                </Button>
                <Button
                  size="sm"
                  onClick={() => setDialog({ kind: 'dismiss', item })}
                  aria-label={`Dismiss ${item.label}`}
                >
                  Dismiss
                </Button>
                {!item.control && (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() =>
                      useDraftRequest
                        .getState()
                        .requestDraft({ accountId, triggerId: item.triggerId, riskItemId: item.itemId })
                    }
                    aria-label={`Draft outreach for ${item.label}`}
                  >
                    Draft
                  </Button>
                )}
              </div>
              <ItemChecklist accountId={accountId} itemId={item.itemId} label={item.label} today={today} />
            </li>
          );
        })}
      </ul>
      <SnoozeDialog
        open={dialog?.kind === 'snooze'}
        onOpenChange={(open) => !open && setDialog(null)}
        accountName={accountName}
        items={current}
        today={today}
      />
      <DismissDialog
        open={dialog?.kind === 'dismiss'}
        onOpenChange={(open) => !open && setDialog(null)}
        accountName={accountName}
        items={current}
        today={today}
      />
    </>
  );
}
