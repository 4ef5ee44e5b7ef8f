/**
 * The daily digest notification's text: "5 new at-risk accounts, $420k ARR at risk". Pure, so the
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

const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', AUD: 'A$', CAD: 'C$', INR: '₹' };

/** 420000 → "420k", 1250000 → "1.3M", 950 → "950". */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  const trim = (text: string) => text.replace(/\.0$/, '');
  if (abs >= 999_500_000) return `${trim((value / 1_000_000_000).toFixed(1))}B`;
  if (abs >= 999_500) return `${trim((value / 1_000_000).toFixed(1))}M`;
  if (abs >= 1_000) return `${Math.round(value / 1_000)}k`;
  return String(Math.round(value));
}

export function formatMoneyCompact({ currency, amount }: MoneyAmount): string {
  const code = currency.toUpperCase();
  const symbol = SYMBOLS[code];
  return symbol ? `${symbol}${compactNumber(amount)}` : `${compactNumber(amount)} ${code}`;
}

/** Null when there is nothing new: no notification rather than "0 new at-risk accounts". */
export function buildDigestNotification(summary: DigestSummary): DigestNotification | null {
  if (summary.newAtRiskAccounts <= 0) return null;
  const accounts = `${summary.newAtRiskAccounts.toLocaleString('en')} new at-risk account${summary.newAtRiskAccounts === 1 ? '' : 's'}`;
  const money = summary.arrAtRisk
    .filter((m) => m.amount > 0)
    .sort((a, b) => b.amount - a.amount)
    .map(formatMoneyCompact)
    .join(' + ');
  const body = money ? `${accounts}, ${money} ARR at risk` : accounts;
  const title =
    summary.highPriorityOpen > 0
      ? `Foresight: ${summary.highPriorityOpen.toLocaleString('en')} high-priority item${summary.highPriorityOpen === 1 ? '' : 's'} open`
      : 'Foresight daily digest';
  return { title, body };
}
