/**
 * Today: the accounts that need the CSM, ranked by expected ARR at risk, each row answering "why?"
 * in one glance. Paging, sorting and filtering happen on the server; the table is virtualised.
 * Keyboard triage: j/k move, Enter opens, d drafts, l logs an activity, s snoozes, x dismisses, ? lists the keys.
 */
import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import type { RiskListRow, RiskSortColumn } from '../../../shared/dto/risk.ts';
import { api } from '../../api/client.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { LogActivityDialog } from '../../activities/LogActivityDialog.tsx';
import { TasksDueDialog, useTasksDue } from '../../playbooks/TasksDueDialog.tsx';
import { usePagedQuery } from '../../api/paged.ts';
import { formatCount, formatDate, formatMoney, formatNumber } from '../../format.ts';
import { useDebouncedState } from '../../hooks/useDebouncedState.ts';
import type { ScreenProps } from '../../routes.tsx';
import { navigate } from '../../router/location.ts';
import { useAppStatus } from '../../shell/status-context.ts';
import { useDraftRequest } from '../../stores/draft-request.ts';
import { Button } from '../../ui/Button.tsx';
import { DataTable } from '../../ui/DataTable.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { SearchInput } from '../../ui/SearchInput.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { BandSelect, SegmentSelect } from '../../ui/FilterSelects.tsx';
import { Stat } from '../../ui/Stat.tsx';
import { SavedViews } from '../../views/SavedViews.tsx';
import { toast } from '../../ui/Toast.tsx';
import { accountHref, SORTABLE, todayColumns } from './columns.tsx';
import { DismissDialog, KeyboardHelpDialog, SnoozeDialog, type ActionableItem } from './ItemDialogs.tsx';
import { formatDataDay, StaleGroup } from './StaleGroup.tsx';
import { FIRST_PAGE_ROWS, PAGE_ROWS, todayAsOf, todayFilter } from './list-query.ts';
import { useTodayView } from './url-state.ts';
import './today.css';

/** The row's live items that still ask for action, most urgent first. */
export function actionableItems(row: RiskListRow): ActionableItem[] {
  return row.triggers
    .filter((t) => t.actionable && t.itemId !== null && (t.itemStatus === 'open' || t.itemStatus === 'in_progress'))
    .map((t) => ({ itemId: t.itemId as number, label: t.label, evidence: t.evidence }));
}

const rowId = (row: RiskListRow) => row.accountId;

/**
 * Focuses the cursor's row (DataTable gives it tabIndex -1), so a dialog or the composer opened
 * from the keyboard returns focus there on close or Escape instead of leaving it on <body>.
 */
function focusActiveRow(): void {
  document.querySelector<HTMLElement>('.today tr[aria-current="true"]')?.focus({ preventScroll: true });
}

/** After a dialog closes: the cursor's row once it has rendered (it may be the next row). */
const returnFocusToRow = () => requestAnimationFrame(focusActiveRow);

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function TodayScreen({ query }: ScreenProps) {
  const asOf = todayAsOf(query);
  const facets = useApiQuery('risk.facets', {}, { reloadOn: ['risk', 'accounts'] });
  const me = facets.data?.me ?? null;

  // Filters, sort and cursor live in the URL (url-state.ts), so they survive opening an account.
  const { ownerChoice, setOwnerChoice, filters, setFilters, sorting, setSorting, activeId, setActiveId } =
    useTodayView(query);
  const owner = ownerChoice ?? (me ? 'me' : 'all');
  // Performance (docs/performance.md, "UI: search keystroke"): a page of risk.list answers in a few
  // milliseconds on a 50,000-account book, so a key typed after a pause asks at once, in the
  // keystroke's own render, and the debounce only merges keys typed together.
  const [search, settledSearch, setSearch] = useDebouncedState('', 30);
  const debounced = settledSearch.trim();
  const sort = (sorting[0]?.id ?? 'rank') as RiskSortColumn;
  const direction = sorting[0]?.desc ? 'desc' : 'asc';

  const filter = todayFilter({
    asOf,
    // Until the user says who they are, "my accounts" shows everyone's (and asks, below).
    owner: owner === 'me' && !me ? 'all' : owner,
    segment: filters.segment || null,
    band: filters.band || null,
    trigger: filters.trigger || null,
    search: debounced,
    sort: SORTABLE.includes(sort) ? sort : 'rank',
    direction,
  });
  // Performance (docs/performance.md, "UI: first rows", "UI: search keystroke"): a first page of
  // 50 rows (two screenfuls) paints sooner, and the rest come 200 at a time as the table scrolls.
  // The totals, the day and the scoring state come with the first page: one call per keystroke.
  const list = usePagedQuery('risk.list', filter, { firstPageSize: FIRST_PAGE_ROWS, pageSize: PAGE_ROWS });
  const page = list.page;
  const shownAsOf = page?.asOf ?? null;
  const rows = list.rows;
  // The rank column fits the largest rank listed (ranks are the day's, so a filtered list may show
  // #1428 among 20 rows), and at least the list's length.
  const maxRank = useMemo(() => rows.reduce((max, r) => Math.max(max, r.rank), list.total ?? 0), [rows, list.total]);
  const columns = useMemo(() => todayColumns(shownAsOf, maxRank), [shownAsOf, maxRank]);

  const activeIndex = Math.max(
    0,
    rows.findIndex((r) => r.accountId === activeId),
  );
  const active = rows[activeIndex] ?? null;
  const [dialog, setDialog] = useState<null | 'snooze' | 'dismiss' | 'help' | 'log'>(null);
  const [dialogRow, setDialogRow] = useState<RiskListRow | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  // Snoozes run in real time (a snooze "until next week" means from today), whatever day is viewed.
  const { status } = useAppStatus();
  const today = status?.today ?? page?.requestedAsOf ?? new Date().toISOString().slice(0, 10);
  const [tasksOpen, setTasksOpen] = useState(false);
  const tasksDue = useTasksDue(today, owner === 'all' ? null : owner === 'me' ? me : owner);

  const move = (delta: number) => {
    if (rows.length === 0) return;
    const next = Math.min(rows.length - 1, Math.max(0, activeIndex + delta));
    setActiveId(rows[next]?.accountId ?? null);
    if (next >= rows.length - 20) list.loadMore();
    requestAnimationFrame(focusActiveRow);
  };

  // A row snoozed or dismissed leaves the list: the cursor (and the URL's `at`) moves to the row
  // after it, or the one before when it was the last, not back to the first.
  const stepPast = (row: RiskListRow | null) => {
    const at = row ? rows.findIndex((r) => r.accountId === row.accountId) : -1;
    if (at < 0) return;
    const next = rows[at + 1] ?? rows[at - 1] ?? null;
    setActiveId(next?.accountId ?? null);
  };

  const openDialog = (kind: 'snooze' | 'dismiss') => {
    if (!active) return;
    if (actionableItems(active).length === 0) {
      toast({
        title: `Nothing to ${kind} on ${active.name}`,
        description: 'It has no open risk items; it is listed for its health score.',
      });
      return;
    }
    focusActiveRow();
    setDialogRow(active);
    setDialog(kind);
  };

  const draft = () => {
    if (!active) return;
    focusActiveRow(); // the composer returns focus to it on Escape
    const top = active.triggers.find((t) => t.actionable && t.itemId !== null) ?? null;
    useDraftRequest
      .getState()
      .requestDraft({ accountId: active.accountId, triggerId: top?.id ?? null, riskItemId: top?.itemId ?? null });
  };

  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
    if (dialog !== null || document.querySelector('[role="dialog"]')) return;
    if (isTyping(event.target)) return;
    switch (event.key) {
      case 'j':
      case 'ArrowDown':
        move(1);
        break;
      case 'k':
      case 'ArrowUp':
        move(-1);
        break;
      case 'Enter':
        if (!active || (event.target instanceof HTMLElement && event.target.closest('a, button'))) return;
        navigate(accountHref(active.accountId, shownAsOf));
        break;
      case 'd':
        draft();
        break;
      case 's':
        openDialog('snooze');
        break;
      case 'x':
        openDialog('dismiss');
        break;
      case 'l':
        if (!active) return;
        focusActiveRow();
        setDialogRow(active);
        setDialog('log');
        break;
      case 't':
        setTasksOpen(true);
        break;
      case '?':
        focusActiveRow();
        setDialog('help');
        break;
      case '/':
        searchRef.current?.focus();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const ownerOptions = facets.data?.owners ?? [];
  const staleCount = page?.stale.count ?? 0;
  const scoring = page?.scoring === true;

  return (
    <div className="today">
      <PageHeader
        title="Today"
        description={
          shownAsOf ? (
            <>
              Who needs you, ranked by expected ARR at risk. Scores as of <strong>{formatDate(shownAsOf)}</strong>
              {page && page.requestedAsOf !== shownAsOf ? ` (today's scores are being computed)` : ''}
              {page?.dataThrough ? (
                <>
                  , data through <strong>{formatDataDay(page.dataThrough, today)}</strong>
                </>
              ) : (
                ', no data yet'
              )}
              .
            </>
          ) : (
            'Who needs you, ranked by expected ARR at risk.'
          )
        }
        actions={
          <>
            <SavedViews screen="today" path="/today" query={query} ignoreWhenMatching={['at']} />
            <SearchInput
              ref={searchRef}
              label="Search accounts"
              placeholder="Search accounts…"
              value={search}
              onValueChange={setSearch}
            />
            <Button onClick={() => setTasksOpen(true)} aria-keyshortcuts="t">
              Tasks due today ({tasksDue.query.data ? formatNumber(tasksDue.page.total) : '…'})
            </Button>
            <Button variant="ghost" onClick={() => setDialog('help')} aria-keyshortcuts="?">
              Keyboard shortcuts
            </Button>
          </>
        }
      />

      <div className="today__stats">
        <Stat
          label="Accounts at risk"
          value={page ? formatCount(page.totals.accounts, 'account') : '—'}
          hint={
            filters.segment || filters.band || filters.trigger || debounced
              ? 'matching the filters'
              : owner === 'all' || (owner === 'me' && !me)
                ? 'whole book'
                : `owned by ${owner === 'me' ? me : owner}`
          }
        />
        <Stat
          label="ARR at risk"
          value={page ? formatMoney(page.totals.arrUsd, 'USD', { compact: true }) : '—'}
          hint="their ARR, in USD"
        />
        <Stat
          label="Expected ARR at risk"
          value={page ? formatMoney(page.totals.expectedArrAtRiskUsd, 'USD', { compact: true }) : '—'}
          hint="P(churn) × ARR, boosted near renewal"
        />
      </div>
      {page?.forecastCaveat ? (
        <p className="today__caveat" role="note">
          {page.forecastCaveat}
        </p>
      ) : null}

      <div className="today__filters" role="group" aria-label="Filters">
        <label className="today__field">
          Accounts
          <select value={owner} onChange={(e) => setOwnerChoice(e.target.value)}>
            <option value="me">My accounts</option>
            <option value="all">All accounts</option>
            {ownerOptions.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label className="today__field">
          Segment
          <SegmentSelect
            value={filters.segment}
            segments={facets.data?.segments ?? []}
            onChange={(segment) => setFilters((f) => ({ ...f, segment: segment ?? '' }))}
          />
        </label>
        <label className="today__field">
          Band
          <BandSelect
            value={filters.band || null}
            onChange={(band) => setFilters((f) => ({ ...f, band: band ?? '' }))}
          />
        </label>
        <label className="today__field">
          Trigger
          <select value={filters.trigger} onChange={(e) => setFilters((f) => ({ ...f, trigger: e.target.value }))}>
            <option value="">All triggers</option>
            {(facets.data?.triggers ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <p role="status" className="today__status">
          {scoring && <Spinner size={12} />}
          {page?.notScored
            ? page.notScored
            : scoring
              ? shownAsOf
                ? ' Updating scores…'
                : ' Scoring your book…'
              : list.total !== null
                ? `${formatCount(list.total, 'account')} listed`
                : ''}
        </p>
      </div>

      {owner === 'me' && facets.data && !me && <IdentityPrompt owners={ownerOptions} />}
      {page && shownAsOf && <StaleGroup stale={page.stale} asOf={shownAsOf} today={today} />}

      {list.error ? (
        <QueryFallback query={list} what="the at-risk list" />
      ) : (
        <DataTable
          label="At-risk accounts"
          data={rows}
          columns={columns}
          // Always virtualised, so a first page of 50 renders only the rows on screen.
          virtualizeOver={0}
          getRowId={rowId}
          totalRows={list.total ?? undefined}
          manualSorting
          sorting={sorting}
          onSortingChange={setSorting}
          onEndReached={list.loadMore}
          activeRowId={active?.accountId ?? null}
          onRowClick={setActiveId}
          empty={
            list.current && !scoring ? (
              <EmptyState
                size="inline"
                level={3}
                title={
                  debounced || filters.segment || filters.band || filters.trigger
                    ? 'No at-risk accounts match'
                    : staleCount > 0
                      ? 'No account with current data is at risk'
                      : 'Nobody needs you today'
                }
              >
                <p>
                  {debounced || filters.segment || filters.band || filters.trigger
                    ? 'Try clearing a filter.'
                    : staleCount > 0
                      ? // Stale data never reads as "nobody needs you".
                        `${formatCount(staleCount, 'account')} with ${page?.stale.noData ? 'stale or no data' : 'stale data'} cannot be judged until fresh data arrives.`
                      : 'No account is red or yellow and no play fired.'}
                </p>
              </EmptyState>
            ) : scoring ? (
              <span className="today__sub">
                <Spinner size={12} /> Scoring your book; the list appears when it is done.
              </span>
            ) : null
          }
          footer={list.hasMore ? <span>Loading more accounts…</span> : undefined}
        />
      )}

      <SnoozeDialog
        open={dialog === 'snooze'}
        onOpenChange={(open) => setDialog(open ? 'snooze' : null)}
        accountName={dialogRow?.name ?? ''}
        items={dialogRow ? actionableItems(dialogRow) : []}
        today={today}
        onDone={() => stepPast(dialogRow)}
        returnFocus={returnFocusToRow}
      />
      <DismissDialog
        open={dialog === 'dismiss'}
        onOpenChange={(open) => setDialog(open ? 'dismiss' : null)}
        accountName={dialogRow?.name ?? ''}
        items={dialogRow ? actionableItems(dialogRow) : []}
        today={today}
        onDone={() => stepPast(dialogRow)}
        returnFocus={returnFocusToRow}
      />
      <LogActivityDialog
        open={dialog === 'log'}
        onOpenChange={(open) => setDialog(open ? 'log' : null)}
        accountId={dialogRow?.accountId ?? ''}
        accountName={dialogRow?.name ?? ''}
        today={today}
      />
      {/* The list does not change under it: focus goes back to where it was (the row after ?, the button after a click). */}
      <KeyboardHelpDialog open={dialog === 'help'} onOpenChange={(open) => setDialog(open ? 'help' : null)} />
      <TasksDueDialog open={tasksOpen} onOpenChange={setTasksOpen} today={today} page={tasksDue.page} />
    </div>
  );
}

/** "My accounts" needs to know who "my" is; stored with risk.me.set (Settings → Preferences can change it too). */
function IdentityPrompt({ owners }: { owners: string[] }) {
  const [email, setEmail] = useState(owners[0] ?? '');
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="today__identity"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        api
          .call('risk.me.set', { ownerEmail: email.trim() || null })
          .catch((error: unknown) =>
            toast({
              tone: 'error',
              title: 'Could not save your email',
              description: error instanceof Error ? error.message : String(error),
            }),
          )
          .finally(() => setBusy(false));
      }}
    >
      <label>
        Which accounts are yours? Your owner email:{' '}
        <input list="today-owners" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>
      <datalist id="today-owners">
        {owners.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
      <Button type="submit" size="sm" loading={busy}>
        Save
      </Button>
      <span className="today__sub">Until then, all accounts are shown.</span>
    </form>
  );
}
