import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { formatMoney } from '../../domain/outreach/format.ts';
import { accountRisk } from '../../domain/risk/account-view.ts';
import { DATA_GAP_WORDS } from '../../shared/dto/data-gap.ts';
import { emit, money } from '../io.ts';
import type { RunGlobals } from '../globals.ts';
import { ensureScored, parseAsOf } from './scored-day.ts';

/** `foresight account X`, its options parsed (by commander, or by hot.ts for plain arguments). */
export async function runAccount(
  accountId: string,
  options: { asOf?: string },
  { dbPath, json }: RunGlobals,
): Promise<void> {
  const asOf = parseAsOf(options.asOf);
  const { db, path } = openDatabase(dbPath);
  try {
    // The rank and the risk items come from the day's scoring run.
    await ensureScored(db, path, asOf, json);
    const view = accountRisk(db, accountId, asOf, new Date().toISOString());
    // data_age_days: the name the CLI's JSON documents use (risks --all) for the data's age.
    emit(json, { ...view, data_age_days: view.dataAgeDays }, () => {
      const a = view.account;
      const lines = [
        `${a.name} (${a.accountId}) — ${a.segment ?? 'no segment'}, owner ${a.owner ?? 'none'}`,
        `ARR ${money(a.arr, a.currency)}; renewal ${a.renewalDate ?? 'not set'}`,
        '',
        `Score as of ${view.asOf}: ${view.score ?? '—'} (${view.band ?? (view.churnedOn !== null ? `churned ${view.churnedOn}` : view.dataGap === null ? 'no band' : DATA_GAP_WORDS[view.dataGap])}), ${view.trend === null ? 'no trend' : `trend ${view.trend}${view.delta !== null ? ` (${view.delta >= 0 ? '+' : ''}${view.delta} vs ${view.previous?.asOf})` : ''}`}${view.rank ? `, rank ${view.rank} at risk` : ''}`,
        view.summary,
        `Data through ${view.dataThrough ?? 'no data'}${view.dataAgeDays !== null ? ` (${view.dataAgeDays} days before ${view.asOf})` : ''}${view.stale ? ' — STALE DATA: no band' : ''}${view.renewalOverdue ? '; renewal overdue' : ''}`,
        view.change ?? '',
        `Money: ${view.money.explanation}`,
        '',
        'Components:',
        ...view.components.map(
          (c) =>
            `  ${c.label.padEnd(28)} ${c.score === null ? ' —' : String(c.score).padStart(3)}  ${c.share === null ? '' : `(${Math.round(c.share * 100)}%) `}${c.explanation}`,
        ),
        '',
        'Triggers:',
        ...view.triggers.map((t) => `  ${t.fired ? 'FIRED' : '     '} ${t.id.padEnd(24)} ${t.text}`),
        '',
        `Risk items (${view.items.filter((i) => i.status === 'open' || i.status === 'in_progress').length} open):`,
        ...view.items
          .slice(0, 20)
          .map(
            (i) =>
              `  #${i.itemId} ${i.status}${i.snoozed ? ` (snoozed${i.snoozedBy ? ` by ${i.snoozedBy}` : ''} until ${i.snoozedUntil})` : ''}${i.control ? ' [control]' : ''} ${i.triggerId}: ${i.evidence}`,
          ),
        '',
        'Contacts:',
        ...view.contacts.map(
          (c) =>
            `  ${c.isChampion ? '★' : ' '} ${c.name ?? c.contactId}${c.role ? `, ${c.role}` : ''}${c.active ? '' : ' (left)'}`,
        ),
        '',
        'Recent events:',
        ...view.timeline
          .slice(0, 15)
          .map(
            (e) =>
              `  ${e.at.slice(0, 10)}  ${e.title}${e.amount !== null ? ` ${formatMoney(e.amount, a.currency, 'en-US')}` : ''}${e.detail ? ` — ${e.detail}` : ''}`,
          ),
      ];
      return lines.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n');
    });
  } finally {
    closeDatabase(db);
  }
}
