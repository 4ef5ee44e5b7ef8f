import type { Command } from 'commander';
import { inlineJobRunner } from '../../app/jobs/runner.ts';
import { todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { MB, type FeedLimits } from '../../domain/feed/limits.ts';
import { feedRepo } from '../../domain/feed/repo.ts';
import { getSource } from '../../domain/feed/sources.ts';
import { resolveFeedToken } from '../../domain/feed/tokens.ts';
import { environmentSecretStore } from '../../domain/secrets/secret-store.ts';
import { emit, progressLine, UsageError, writeErr } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { stoppedText } from '../../shared/dto/sync.ts';
import {
  describeCounts,
  describeErrors,
  describeRefused,
  describeTeam,
  exitCodeForCounts,
  n,
  rankingLine,
} from './sync-format.ts';

export function registerSync(program: Command): void {
  withGlobalOptions(program.command('sync'))
    .description('pull new data from the HTTP feed sources and send them the interventions outbox')
    .option('--source <name>', 'sync only this source')
    .option('--max-body-mb <mb>', 'refuse a feed answer larger than this many MB', '64')
    .option('--max-pages <n>', 'stop a source after this many pages in one sync', '20000')
    .option('--time-budget-min <min>', 'stop a source after this many minutes in one sync', '30')
    .addHelpText(
      'after',
      '\nExit codes: 0 all synced, 3 some rows rejected (the rest are committed), 1 a source failed (offline, token rejected…), 2 usage error.',
    )
    .action(async (options: SyncOptions, command: Command) => {
      const { dbPath, json } = globals(command);
      const limits = feedLimitsFrom(options);
      const { db, path } = openDatabase(dbPath);
      const secrets = environmentSecretStore();
      let targets;
      try {
        const sources = options.source ? [getSource(db, options.source)] : feedRepo(db).list();
        if (sources.length === 0)
          throw new UserFacingError(
            'NO_SOURCES',
            'There are no feed sources; add one with "foresight source add NAME --url URL --token-env VAR".',
          );
        targets = [];
        for (const source of sources) {
          const { token, problem } = await resolveFeedToken(secrets, source);
          targets.push({ name: source.name, token, tokenProblem: problem });
        }
      } finally {
        closeDatabase(db);
      }
      const bar = progressLine(!json);
      const now = new Date();
      const result = await inlineJobRunner(path).run(
        'sync.feed',
        { targets, asOf: todayIso(now), startedAt: now.toISOString(), limits },
        {
          label: 'Syncing',
          onProgress: (p) => {
            bar.update(p.label ?? 'Syncing', p.processed, p.total);
            // Without a bar (a pipe, a log, --json), retries and long waits still get a line each.
            if (p.notice && !bar.drawing) writeErr(`${p.notice}\n`);
          },
        },
      );
      bar.done();
      const failed = result.sources.some((source) => source.status !== 'ok');
      emit(json, result, () => {
        const lines = result.sources.map((s) => {
          if (s.status !== 'ok') {
            return `${s.name}: ${s.status}: ${s.message}. ${stoppedText(s)}`;
          }
          const details = [
            `${n(s.pages)} page${s.pages === 1 ? '' : 's'}`,
            s.notModified.length > 0 ? `not modified: ${s.notModified.join(', ')}` : null,
            s.pushed > 0 ? `sent ${n(s.pushed)} intervention${s.pushed === 1 ? '' : 's'}` : null,
            s.pendingOutbox > 0 ? `${n(s.pendingOutbox)} still waiting to be sent` : null,
            describeTeam(s.team),
          ].filter(Boolean);
          return [`${s.name}: ok (${details.join('; ')}).`, ...describeRefused(s.name, s.refused)].join('\n');
        });
        return [
          ...lines,
          describeCounts(result),
          ...rankingLine(result.ranking, result.rankingFailed, 'Synced'),
          ...describeErrors(result),
        ].join('\n');
      });
      process.exitCode = result.rankingFailed ? 1 : exitCodeForCounts(result, failed);
    });
}

interface SyncOptions {
  source?: string;
  maxBodyMb: string;
  maxPages: string;
  timeBudgetMin: string;
}

function feedLimitsFrom(options: SyncOptions): Partial<FeedLimits> {
  const positive = (flag: string, text: string) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0)
      throw new UsageError(`${flag} takes a positive number, not "${text.slice(0, 40)}".`);
    return value;
  };
  return {
    maxBodyBytes: Math.round(positive('--max-body-mb', options.maxBodyMb) * MB),
    maxPagesPerSync: Math.ceil(positive('--max-pages', options.maxPages)),
    timeBudgetMs: Math.round(positive('--time-budget-min', options.timeBudgetMin) * 60_000),
  };
}
