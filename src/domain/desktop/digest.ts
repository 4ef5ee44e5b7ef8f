/**
 * The daily digest notification's text: "5 new at-risk accounts, $420K ARR at risk". Pure, so the
 * wording, plurals and money formatting are tested without a notification system.
 */

export interface MoneyAmount {
  currency: string;
  amount: number;
}

export interface DigestSummary {
  /** Accounts with a risk item first fired since the last digest. */
  newAtRiskAccounts: number;
  /** Their ARR, per currency (ARR of different currencies is never added together). */
  arrAtRisk: MoneyAmount[];
  /** Open priority 1–2 items, the badge count. */
  highPriorityOpen: number;
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

/** Null when there is nothing new: no notification rather than "0 new at-risk accounts". */
export function buildDigestNotification(summary: DigestSummary): DigestNotification | null {
  if (summary.newAtRiskAccounts <= 0) return null;
  const accounts = `${summary.newAtRiskAccounts.toLocaleString('en')} new at-risk account${summary.newAtRiskAccounts === 1 ? '' : 's'}`;
  const money = summary.arrAtRisk
    .filter((m) => m.amount > 0)
    .sort((a, b) => b.amount - a.amount)
    .map((m) => formatMoneyCompact(m))
    .join(' + ');
  const body = money ? `${accounts}, ${money} ARR at risk` : accounts;
  const title =
    summary.highPriorityOpen > 0
      ? `Foresight: ${summary.highPriorityOpen.toLocaleString('en')} high-priority item${summary.highPriorityOpen === 1 ? '' : 's'} open`
      : 'Foresight daily digest';
  return { title, body };
}
