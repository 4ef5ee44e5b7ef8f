import type { Command } from 'commander';
import { dirname } from 'node:path';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { coreFeatureEvents, setCoreFeatureEvents } from '../../domain/ingest/presets/core-events.ts';
import { presetsView } from '../../domain/ingest/presets/import.ts';
import { emit } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

/** `foresight presets`: the vendor presets, built-in and the user's own (docs/sync.md, "Presets"). */
export function registerPresets(program: Command): void {
  const presets = withGlobalOptions(program.command('presets'))
    .description('list the vendor export presets: built-in, and your own from the presets folder next to the database')
    .action((_options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const { folder, presets: list, problems } = presetsView(dbPath);
      emit(json, { folder, presets: list, problems }, () =>
        [
          ...list.map(
            (p) => `${p.name.padEnd(24)} ${p.origin === 'user' ? '(yours) ' : ''}${p.title} → ${p.makes.join(', ')}`,
          ),
          `Your own presets: JSON files in ${folder} (the same shape as the built-in ones; see docs/sync.md).`,
          ...problems.map((p) => `Not loaded: ${p}.`),
        ].join('\n'),
      );
    });

  withGlobalOptions(presets.command('core-events'))
    .description('the product events counted as core_feature_uses when an event log is rolled up')
    .argument('[names...]', 'event names to set (replacing the list); none: show the list')
    .action((names: string[], _options: unknown, command: Command) => {
      const { dbPath, json, explicitDb } = globals(command);
      const { db } = openDatabase(dbPath, { create: names.length > 0, createParents: !explicitDb && names.length > 0 });
      try {
        const events = names.length > 0 ? setCoreFeatureEvents(db, names) : coreFeatureEvents(db);
        emit(json, { coreEvents: events }, () =>
          events.length > 0
            ? `Core features: ${events.join(', ')}.`
            : `No core features are set; a rolled-up event log records no core_feature_uses (set them with "foresight presets core-events NAME…", in ${dirname(dbPath)}).`,
        );
      } finally {
        closeDatabase(db);
      }
    });
}
