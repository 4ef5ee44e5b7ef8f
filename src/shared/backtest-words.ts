/**
 * The backtest's evidence in words, for Settings and `foresight score-quality` alike. The evidence
 * is churned accounts: an account seen on 13 past days is counted in 13 account-days, but it is
 * one churn, so "28 churn outcomes" from 4 churned customers overstated it.
 */
import type { BacktestFiguresDto, ScoreQuality } from './dto/risk.ts';

/** What the headline backtest AUC covers, by how it was measured (named apart from the model-selection AUC). */
export const HEADLINE: Record<ScoreQuality['backtest_method'], string> = {
  replayed: 'the replayed past days',
  'cross-validated': 'the newest past day, cross-validated',
  scored: 'the past days scored by the curve in use',
  none: 'no past day',
};

/**
 * The backtest's line: its evidence and how it was measured, or the true reason there is nothing
 * to judge: no past day (backtest_note says why), or past days on which nobody churned (not "too
 * little history" beside a list of closed past days).
 */
export function backtestSentence(
  q: Pick<ScoreQuality, 'too_little_history' | 'backtest_note' | 'churned_accounts' | 'outcomes' | 'samples'>,
  count: (n: number) => string,
): string {
  if (q.too_little_history) return q.backtest_note;
  if (q.outcomes === 0)
    return `No churn to judge against yet: none of the ${count(q.samples)} account-days on the past days scored was followed by churn within its window. ${q.backtest_note}`;
  return `Backtest: ${churnEvidence(q, count)}. ${q.backtest_note}`;
}

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
