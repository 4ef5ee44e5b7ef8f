import type { Command } from 'commander';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { scoreQuality } from '../../domain/risk/quality.ts';
import { riskStore } from '../../domain/risk/store.ts';
import { emit } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { ensureScored, parseAsOf } from './risks.ts';

const pct = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

export function registerScoreQuality(program: Command): void {
  withGlobalOptions(program.command('score-quality'))
    .description(
      'how well the health score predicted churn: the backtest (AUC, churners in the riskiest 10%) and the churn curve in use',
    )
    .option('--as-of <date>', 'score (and backtest) as of this day first, when not done yet (YYYY-MM-DD)')
    .action(async (options: { asOf?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db, path } = openDatabase(dbPath);
      try {
        const hasAccounts = db.prepare('SELECT 1 FROM accounts LIMIT 1').get() !== undefined;
        if (hasAccounts && (options.asOf !== undefined || riskStore(db).latestCalibration() === null))
          await ensureScored(db, path, parseAsOf(options.asOf), json);
        const q = scoreQuality(db);
        emit(json, q, () =>
          [
            `Churn curve: ${q.method === 'logistic' ? 'calibrated (logistic fit)' : 'default'} — P(churn within ${q.horizonDays} days | score) = 1 / (1 + e^-(${q.curve.intercept.toFixed(3)} + ${q.curve.slope.toFixed(4)} × score))`,
            q.note,
            `Backtest as of ${q.asOf ?? '—'}: ${q.outcomes} churn outcomes (${q.minOutcomes} needed to calibrate) among ${q.samples} accounts, each scored ${q.leadDays} days before the outcome.`,
            `AUC: ${q.auc === null ? '—' : q.auc.toFixed(3)} (0.5 is chance, 1 is perfect)`,
            `Riskiest 10% by score: ${pct(q.topDecileShare)} of them churned; they hold ${pct(q.topDecileRecall)} of all churners.`,
            `P(churn) by score: ${q.points.map((p) => `${p.score}: ${pct(p.p)}`).join(', ')}`,
          ].join('\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });
}
