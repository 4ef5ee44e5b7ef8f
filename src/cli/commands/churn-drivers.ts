import type { Command } from 'commander';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { churnDrivers } from '../../domain/risk/model/drivers.ts';
import { DATA_GAP_WORDS } from '../../shared/dto/data-gap.ts';
import { emit } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { modelDay } from './score-quality.ts';
import { pChurnText } from '../../shared/p-churn.ts';

export function registerChurnDrivers(program: Command): void {
  withGlobalOptions(program.command('churn-drivers <accountId>'))
    .description('why the churn model gives an account its P(churn): the top contributions, in words')
    .option('--as-of <date>', 'the day (YYYY-MM-DD). Default: the day last scored, else today')
    .action((accountId: string, options: { asOf?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db } = openDatabase(dbPath);
      try {
        const d = churnDrivers(db, accountId, modelDay(db, options.asOf));
        emit(json, d, () =>
          [
            d.p_churn === null
              ? `${d.account_id} on ${d.as_of}: no P(churn), ${DATA_GAP_WORDS[d.data_gap ?? 'no_data']}${d.data_through ? ` (newest ${d.data_through})` : ''}.`
              : `${d.account_id} on ${d.as_of}: P(churn within 90 days) ${pChurnText(d.p_churn)}.`,
            ...d.drivers.map((c) => `  ${c.text}`),
            d.note,
          ].join('\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });
}
