/**
 * The backtest's evidence in words, for Settings and `foresight score-quality` alike. The evidence
 * is churned accounts: an account seen on 13 past days is counted in 13 account-days, but it is
 * one churn, so "28 churn outcomes" from 4 churned customers overstated it.
 */
import type { BacktestFiguresDto } from './dto/risk.ts';

/** "4 churned accounts (28 churn account-days) among 140 account-days". */
export function churnEvidence(
  q: Pick<BacktestFiguresDto, 'churned_accounts' | 'outcomes' | 'samples'>,
  count: (n: number) => string,
): string {
  const days = `${count(q.outcomes)} churn account-day${q.outcomes === 1 ? '' : 's'}`;
  const among = `among ${count(q.samples)} account-days`;
  // A model stored before accounts were counted knows only its account-days.
  if (q.churned_accounts === null) return `${days} ${among}`;
  return `${count(q.churned_accounts)} churned account${q.churned_accounts === 1 ? '' : 's'} (${days}) ${among}`;
}
