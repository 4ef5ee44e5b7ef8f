/**
 * The presets part of the sync API: the vendor presets (built-in and the user's own, from the
 * `presets` folder next to the database) and the alias table of account matches (docs/sync.md).
 */
import { aliasRepo } from '../../domain/ingest/presets/aliases.ts';
import { presetsView } from '../../domain/ingest/presets/import.ts';
import type { HandlerMap } from '../dispatcher.ts';

export const presetHandlers: Pick<
  HandlerMap,
  'sync.presets.list' | 'sync.aliases.list' | 'sync.aliases.set' | 'sync.aliases.remove'
> = {
  'sync.presets.list': (_input, ctx) => presetsView(ctx.dbPath),
  'sync.aliases.list': (input, ctx) => aliasRepo(ctx.db).list(input.source?.toLowerCase() ?? null),
  'sync.aliases.set': (input, ctx) => {
    const repo = aliasRepo(ctx.db);
    repo.set(input.source, input.alias, input.accountId, ctx.now().toISOString());
    return repo.list(input.source.toLowerCase());
  },
  'sync.aliases.remove': (input, ctx) => ({ removed: aliasRepo(ctx.db).remove(input.source, input.alias) }),
};
