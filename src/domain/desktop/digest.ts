/**
 * The morning digest as one desktop notification: "2 new at-risk accounts ($420K ARR) · 3 tasks
 * due · 4 renewals this month". The content is the morning digest itself (digest/morning.ts, the
 * same report as `foresight digest`), so the notification and the CLI never disagree; tasks due are
 * whatever that report counts as due. Pure, so the wording, plurals and money are tested without a
 * notification system.
 */
import { leftOutByGap } from '../../shared/dto/data-gap.ts';
import type { MorningDigest } from '../../shared/dto/digest.ts';

export interface MoneyAmount {
  currency: string;
  amount: number;
}

export interface DigestNotification {
  title: string;
  body: string;
}

/** The digest is one short line in a notification: amounts are compact ("$420K", "€1.3M", "CHF 5K"). */
const COMPACT = { notation: 'compact', maximumFractionDigits: 1 } as const;

export function formatMoneyCompact({ currency, amount }: MoneyAmount, locale = 'en-US'): string {
  const code = currency.toUpperCase();
  try {
    return new Intl.NumberFormat(locale, { ...COMPACT, style: 'currency', currency: code }).format(amount);
  } catch {
    // Not a currency Intl knows: the number, then the code as given.
    return `${new Intl.NumberFormat(locale, COMPACT).format(amount)} ${code}`;
  }
}

function counted(n: number, one: string, many: string, locale: string): string {
  return `${n.toLocaleString(locale)} ${n === 1 ? one : many}`;
}

/** Null when there is nothing to say: no notification rather than "0 new at-risk accounts". */
export function buildDigestNotification(digest: MorningDigest, locale = 'en-US'): DigestNotification | null {
  const newAtRisk = digest.newAtRisk.length;
  const tasks = digest.tasksDueTotal;
  const renewals = digest.renewalsThisMonth.length;
  const { stale, noData } = digest.dataGaps;
  if (newAtRisk + tasks + renewals + stale + noData === 0) return null;
  const usd = (amount: number) => formatMoneyCompact({ currency: 'USD', amount }, locale);
  const parts: string[] = [];
  // First: a quiet day over data that stopped is not a day with nothing to say.
  if (stale + noData > 0) parts.push(leftOutByGap(stale, noData, (n) => counted(n, 'account', 'accounts', locale)));
  if (newAtRisk > 0) {
    const arr = digest.newAtRisk.reduce((sum, a) => sum + a.arrUsd, 0);
    const accounts = counted(newAtRisk, 'new at-risk account', 'new at-risk accounts', locale);
    parts.push(arr > 0 ? `${accounts} (${usd(arr)} ARR)` : accounts);
  }
  if (tasks > 0) parts.push(`${counted(tasks, 'task', 'tasks', locale)} due`);
  if (renewals > 0) {
    const arr = digest.renewalsThisMonth.reduce((sum, r) => sum + r.arrUsd, 0);
    const line = `${counted(renewals, 'renewal', 'renewals', locale)} this month`;
    parts.push(arr > 0 ? `${line} (${usd(arr)})` : line);
  }
  return { title: 'Your Foresight morning digest', body: parts.join(' · ') };
}
