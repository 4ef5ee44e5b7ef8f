import type { Command } from 'commander';
import { todayIso } from '../../domain/contract/dates.ts';
import { META_KEYS, metaRepo } from '../../domain/db/repos/meta.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { inlineJobRunner } from '../../app/jobs/runner.ts';
import { readStatus } from '../../app/services/status.ts';
import { newestDataOnLazily } from '../newest-data.ts';
import { emit, progressLine } from '../io.ts';
import type { RankingChange } from '../../shared/dto/sync.ts';
import { rankingLine } from './sync-format.ts';
import { globals, parseIntOption, withGlobalOptions } from '../options.ts';

export function registerInit(program: Command): void {
  withGlobalOptions(program.command('init'))
    .description('create (or migrate) the database, optionally with the demo book')
    .option('--demo', 'load the deterministic demo book')
    .option('--accounts <n>', 'demo accounts to generate', parseIntOption('--accounts', 1, 100_000), 400)
    .option('--seed <s>', 'demo random seed', parseIntOption('--seed', 0, 2 ** 31 - 1), 42)
    .option('--as-of <date>', 'the last day of demo history (YYYY-MM-DD)')
    .action(async (options: { demo?: boolean; accounts: number; seed: number; asOf?: string }, command: Command) => {
      const { dbPath, json, explicitDb } = globals(command);
      const { db, path, migration } = openDatabase(dbPath, { create: true, createParents: !explicitDb });
      const now = new Date();
      try {
        let ranking: RankingChange | null = null;
        if (options.demo) {
          const bar = progressLine(!json);
          const loaded = await inlineJobRunner(path).run(
            'demo.load',
            { accounts: options.accounts, seed: options.seed, asOf: options.asOf ?? todayIso(now) },
            {
              label: 'Generating demo data',
              onProgress: (p) => bar.update(p.label ?? 'Generating demo data', p.processed, p.total),
            },
          );
          bar.done();
          ranking = loaded.ranking;
          metaRepo(db).remove(META_KEYS.demoDismissed);
        }
        const status = await readStatus(db, path, now, newestDataOnLazily);
        const document = { ...status, migratedFrom: migration.from, backupPath: migration.backupPath };
        emit(json, options.demo ? { ...document, ranking } : document, () =>
          [
            `Database ready at ${path} (schema version ${status.schemaVersion}${migration.from !== migration.to ? `, migrated from ${migration.from}` : ''}).`,
            options.demo
              ? `Loaded the demo book: ${status.counts.accounts.toLocaleString('en')} accounts, ${status.counts.metrics.toLocaleString('en')} metric rows, ${status.counts.events.toLocaleString('en')} events.`
              : null,
            ...rankingLine(ranking),
          ]
            .filter(Boolean)
            .join('\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });
}
