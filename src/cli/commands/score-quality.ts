import type { Command } from 'commander';
import { closeDatabase, openDatabase, type Db } from '../../domain/db/open.ts';
import { qualityOf } from '../../domain/risk/quality.ts';
import { churnModelFor } from '../../domain/risk/model/churn-model.ts';
import { riskStore } from '../../domain/risk/store.ts';
import { backtestSentence, HEADLINE } from '../../shared/backtest-words.ts';
import { DEFAULT_BACKTEST } from '../../domain/risk/model/samples.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { parseAsOf } from './risks.ts';

const pct = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
/** Counts with grouping ("1,447 account-days"), as every other CLI figure. */
const count = (value: number) => new Intl.NumberFormat('en').format(value);
const dec = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toFixed(3));

function parseStep(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 365)
    throw new UsageError(`--step-days must be a whole number of days from 1 to 365, not "${value}".`);
  return n;
}

/** --as-of, or without it the day the book was last scored (the model in use then), else today. */
export function modelDay(db: Db, asOf: string | undefined): string {
  if (asOf !== undefined) return parseAsOf(asOf);
  const today = parseAsOf(undefined);
  return riskStore(db).latestSnapshotDay(today)?.as_of ?? today;
}

/** The text form of `foresight score-quality`. */
export function scoreQualityText(q: ReturnType<typeof qualityOf>): string {
  return [
    `Churn model as of ${q.as_of}: ${q.method === 'learned' ? 'learned from this book' : q.method === 'curve' ? 'a curve over the health score fitted to this book' : 'the default curve'}.`,
    q.note,
    backtestSentence(q, count),
    `Backtest AUC (${HEADLINE[q.backtest_method]}): ${dec(q.auc)}${q.auc_ci ? ` (95% interval ${dec(q.auc_ci[0])}–${dec(q.auc_ci[1])})` : ''}; 0.5 is chance, 1 is perfect.`,
    `Riskiest 10%: ${pct(q.top_decile_share)} of them churned; they hold ${pct(q.top_decile_recall)} of all churners.`,
    `Component weights (${q.weights.source}): ${q.weights.components.map((c) => `${c.label} ${c.in_use}`).join(', ')}. ${q.weights.note}`,
    q.calibration_note,
    `Brier score: ${dec(q.brier)}. Calibration (predicted vs observed by decile): ${q.calibration.map((b) => `${pct(b.predicted)}/${pct(b.observed)}`).join(', ') || '—'}${q.calibrated === null ? '' : q.calibrated ? ' — agrees within the intervals.' : ' — some deciles fall outside their intervals.'}`,
    ...q.origins.map(
      (o) =>
        `  ${o.day}: AUC ${dec(o.auc)} (health score alone ${dec(o.health_score_auc)}), ${count(o.outcomes)} of ${count(o.samples)} churned${o.too_few_churners && o.auc !== null ? ' (too few churners to read as a trend)' : ''}`,
    ),
  ].join('\n');
}

export function registerScoreQuality(program: Command): void {
  withGlobalOptions(program.command('score-quality'))
    .description(
      'how well the churn model in use on a day ranks churn over the next 90 days: the rolling-origin backtest (AUC with its interval, the riskiest 10%, Brier, calibration by decile) and which model is in use and why',
    )
    .option(
      '--as-of <date>',
      'the day to judge (YYYY-MM-DD); only data and churn dated up to it are used. Default: the day last scored, else today',
    )
    .option(
      '--step-days <n>',
      `days between the past days the backtest scores (default ${DEFAULT_BACKTEST.stepDays}); a what-if for this report`,
    )
    .action((options: { asOf?: string; stepDays?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      const stepDays = parseStep(options.stepDays);
      const { db } = openDatabase(dbPath);
      try {
        const asOf = modelDay(db, options.asOf);
        const model = churnModelFor(db, {
          asOf,
          fit: 'auto',
          settings: stepDays ? { stepDays } : {},
          now: new Date().toISOString(),
        });
        const q = qualityOf(db, model);
        emit(json, q, () => scoreQualityText(q));
      } finally {
        closeDatabase(db);
      }
    });
}
