import type { Command } from 'commander';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { isOutreachChannel, OUTREACH_CHANNELS } from '../../domain/outreach/channels.ts';
import { listTemplates } from '../../domain/outreach/templates.ts';
import { isTriggerId } from '../../domain/risk/catalog.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

export function registerTemplates(program: Command): void {
  withGlobalOptions(program.command('templates'))
    .description('list outreach templates: your own, then the built-ins')
    .option('--trigger <id>', 'only templates for this trigger')
    .option('--channel <channel>', `only this channel (${OUTREACH_CHANNELS.join('|')})`)
    .action((options: { trigger?: string; channel?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      if (options.channel !== undefined && !isOutreachChannel(options.channel))
        throw new UsageError(`--channel must be one of ${OUTREACH_CHANNELS.join(', ')}, not "${options.channel}".`);
      if (options.trigger !== undefined && !isTriggerId(options.trigger))
        throw new UsageError(`There is no trigger called "${options.trigger}".`);
      const { db } = openDatabase(dbPath);
      try {
        const templates = listTemplates(db, {
          triggerId: options.trigger ?? null,
          channel: options.channel && isOutreachChannel(options.channel) ? options.channel : null,
        });
        emit(
          json,
          templates.map((t) => ({
            id: t.id,
            name: t.name,
            trigger: t.triggerId,
            channel: t.channel,
            version: t.version,
            built_in: t.builtIn,
            based_on: t.basedOn,
            updated_at: t.updatedAt,
            subject: t.subject,
            body: t.body,
          })),
          () => {
            const rows = templates.map((t) => [
              t.id,
              t.channel,
              t.triggerId ?? '(any)',
              `v${t.version}`,
              t.builtIn ? 'built-in' : 'yours',
              t.name,
            ]);
            const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((row) => row[i]!.length), 4));
            const line = (row: string[]) => row.map((cell, i) => (i < 5 ? cell.padEnd(widths[i]!) : cell)).join('  ');
            return [
              line(['ID', 'CHANNEL', 'TRIGGER', 'VER', 'KIND', 'NAME']),
              ...rows.map(line),
              `${templates.length} templates.`,
            ].join('\n');
          },
        );
      } finally {
        closeDatabase(db);
      }
    });
}
