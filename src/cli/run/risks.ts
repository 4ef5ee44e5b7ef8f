import { todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase, type Db } from '../../domain/db/open.ts';
import { bookOnDay, type BookEntry, type RiskListEntry } from '../../domain/risk/list-read.ts';
import { riskListTop } from '../../domain/risk/list-top.ts';
import { forecastCaveatOn } from '../../domain/risk/forecast-caveat.ts';
import { newestDataOnLazily } from '../newest-data.ts';
import { staleGroup, type StaleAccount } from '../../domain/risk/stale-group.ts';
import { DATA_GAP_WORDS, leftOutByGap, type DataGap } from '../../shared/dto/data-gap.ts';
import { emit, money, writeErr } from '../io.ts';
import { ensureScored, parseAsOf } from './scored-day.ts';
import type { RunGlobals } from '../globals.ts';
import { pChurnText } from '../../shared/p-churn.ts';

// Shared by account, accounts, renewals and digest (commands/risks.ts re-exports them).
export { ensureScored, money, parseAsOf };

export interface RisksOptions {
  asOf?: string;
  all?: boolean;
  top: number;
  owner?: string;
  segment?: string;
}

const TREND_MARK = { up: '↑', down: '↓', flat: '→', new: '·' } as const;

export function risksJson(rows: readonly RiskListEntry[], unranked: readonly StaleAccount[] = []) {
  const ranked = rows.map((r) => ({
    status: 'at_risk' as DataGap | 'at_risk',
    rank: r.rank as number | null,
    account_id: r.accountId,
    name: r.name,
    owner: r.owner,
    arr: r.arr,
    currency: r.currency,
    score: r.score,
    band: r.band,
    trend: r.trend,
    expected_arr_at_risk: Math.round(r.expectedArrAtRisk * 100) / 100,
    triggers: r.triggers.map((t) => ({ id: t.id, priority: t.priority, tier: t.tier, evidence: t.evidence })),
    reasons: r.reasons,
  }));
  // After the ranked ones: the accounts that cannot be judged (stale data, no data), so an empty
  // ranking never reads as "all clear" to a script. No score, band or forecast: nulls and the reason.
  const unknown = unranked.map((a) => ({
    status: a.gap,
    rank: null,
    account_id: a.accountId,
    name: a.name,
    owner: a.owner,
    arr: a.arr,
    currency: a.currency,
    score: null,
    band: null,
    trend: null,
    expected_arr_at_risk: null,
    triggers: [],
    reasons: [
      a.gap === 'stale'
        ? `Stale data: the newest data is from ${a.dataThrough ?? 'unknown'}; no band until fresh data arrives.`
        : 'No data: there is no usage or engagement data to score.',
    ],
  }));
  return [...ranked, ...unknown];
}

/** `risks --all --json`: one object per account active on the day. */
export function bookJson(rows: readonly BookEntry[]) {
  return rows.map((r) => ({
    account_id: r.accountId,
    score: r.score,
    band: r.band,
    p_churn: r.pChurn,
    expected_arr_at_risk: r.expectedArrAtRisk === null ? null : Math.round(r.expectedArrAtRisk * 100) / 100,
    data_through: r.dataThrough,
    stale: r.stale,
    // Why score, band and P(churn) are null: 'stale' or 'no_data'; 'scored' when they are not.
    status: r.dataGap ?? 'scored',
  }));
}

/**
 * What a look at another day than the data's does and does not do, in one sentence (or null): a
 * future day never moves risk items, and a day past the newest data shows its accounts as stale.
 */
export function timeNote(asOf: string, today: string, newestData: string | null): string | null {
  const facts: string[] = [];
  if (newestData === null) facts.push('the book holds no metric or event data');
  else if (asOf > newestData) facts.push(`${asOf} is past the newest data (${newestData})`);
  let items: string | null = null;
  if (asOf > today) items = 'it is in the future';
  else if (asOf < today && asOf !== newestData)
    items = `it is neither today nor the newest data day${newestData ? ` (${newestData})` : ''}`;
  if (items) facts.push(`risk items were left as they are because ${items}`);
  if (facts.length === 0) return null;
  const sentence = facts.join('; ');
  return `Note: ${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

function printBook(json: boolean, asOf: string, rows: readonly BookEntry[], note: string | null): void {
  emit(json, bookJson(rows), () => {
    const stale = rows.filter((r) => r.stale).length;
    const head = `${rows.length.toLocaleString('en')} account${rows.length === 1 ? '' : 's'} active on ${asOf}${stale > 0 ? `, ${stale.toLocaleString('en')} with stale data (no band)` : ''}:`;
    const lines = rows.map((r) =>
      [
        r.accountId.padEnd(14),
        (r.score === null ? '—' : String(r.score)).padStart(3),
        (r.dataGap === null ? (r.band ?? '') : DATA_GAP_WORDS[r.dataGap]).padEnd(10),
        r.pChurn === null ? 'P(churn)     —' : `P(churn) ${pChurnText(r.pChurn).padStart(5)}`,
        (r.expectedArrAtRisk === null ? '—' : money(r.expectedArrAtRisk, 'USD').replace('$', '')).padStart(11),
        `data through ${r.dataThrough ?? 'none'}`,
      ].join('  '),
    );
    return [...(note ? [note] : []), head, ...lines].join('\n');
  });
}

/** Whether any account has this owner (the filter menus' list; loaded only when asked). */
async function ownerKnown(db: Db, owner: string): Promise<boolean> {
  const { riskFacets } = await import('../../domain/risk/list.ts');
  const wanted = owner.toLowerCase();
  return riskFacets(db).owners.some((o) => o.toLowerCase() === wanted);
}

const noSuchOwner = (owner: string) =>
  `No account has the owner ${owner}; check the address (foresight accounts lists owners).`;

/** `foresight risks`, its options parsed (by commander, or by hot.ts for plain arguments). */
export async function runRisks(options: RisksOptions, { dbPath, json }: RunGlobals): Promise<void> {
  const asOf = parseAsOf(options.asOf);
  const { db, path } = openDatabase(dbPath);
  try {
    await ensureScored(db, path, asOf, json);
    const today = todayIso(new Date());
    // The newest data up to the later of the day and today: all a note needs to compare.
    const note = timeNote(asOf, today, await newestDataOnLazily(db, asOf > today ? asOf : today));
    // With --json the note goes to stderr: stdout stays one JSON document.
    if (note && json) writeErr(`${note}\n`);
    if (options.all) {
      // The whole book's P(churn) column needs the same caveat as the at-risk list's header.
      const caveat = json ? null : forecastCaveatOn(db, asOf, 'cli');
      return printBook(json, asOf, bookOnDay(db, asOf), [note, caveat].filter((l) => l !== null).join('\n') || null);
    }
    // The first --top entries straight from the rank index (list-top.ts), not the day's whole list.
    const { rows, totals } = riskListTop(db, {
      asOf,
      owner: options.owner ?? null,
      segment: options.segment ?? null,
      limit: options.top,
    });
    const filter = { owner: options.owner ?? null, segment: options.segment ?? null };
    const unranked = staleGroup(db, asOf, filter, json ? Number.MAX_SAFE_INTEGER : 0);
    const count = (n: number) => n.toLocaleString('en');
    const staleLine =
      unranked.count > 0
        ? `Not ranked, no band: ${leftOutByGap(unranked.count - unranked.noData, unranked.noData, count)} (foresight risks --all lists them).`
        : null;
    // Beside the expected ARR at risk in the header: whether this book's history supports it.
    const caveat = forecastCaveatOn(db, asOf, 'cli');
    const unknownOwner =
      rows.length === 0 &&
      unranked.count === 0 &&
      options.owner !== undefined &&
      !(await ownerKnown(db, options.owner));
    if (unknownOwner && json) writeErr(`${noSuchOwner(options.owner!)}\n`);
    emit(json, risksJson(rows, unranked.accounts), () => {
      if (unknownOwner) return [note, noSuchOwner(options.owner!)].filter((line) => line !== null).join('\n');
      const notes = [note, staleLine].filter((line): line is string => line !== null);
      if (rows.length === 0) return [...notes, `No accounts at risk as of ${asOf}.`].join('\n');
      if (caveat) notes.push(caveat);
      const head = `${totals.accounts.toLocaleString('en')} accounts at risk as of ${asOf}; expected ARR at risk ${money(totals.expectedArrAtRiskUsd, 'USD')} (USD equivalent). Top ${rows.length}:`;
      const lines = rows.map((r) => {
        const score = r.score === null ? '  —' : String(r.score).padStart(3);
        const triggers = r.triggers.map((t) => t.id).join(', ') || '—';
        return [
          String(r.rank).padStart(4),
          r.name.slice(0, 28).padEnd(28),
          money(r.arr, r.currency).padStart(13),
          `${score} ${(r.band ?? '').padEnd(6)} ${TREND_MARK[r.trend]}`,
          money(r.expectedArrAtRisk, r.currency).padStart(13),
          `${triggers}\n${' '.repeat(6)}why: ${r.topReason}`,
        ].join('  ');
      });
      return [...notes, head, ...lines].join('\n');
    });
  } finally {
    closeDatabase(db);
  }
}
