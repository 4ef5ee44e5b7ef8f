/** Named views of a screen (its URL query), stored locally in `saved_views` (migration 14). */
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import type { SavedView, ViewScreen } from '../../shared/dto/views.ts';

type Row = { screen: ViewScreen; name: string; query: string; updated_at: string };

export function savedViews(db: Db) {
  const list = db.prepare<[string], Row>(
    'SELECT screen, name, query, updated_at FROM saved_views WHERE screen = ? ORDER BY name COLLATE NOCASE',
  );
  const upsert = db.prepare<{ screen: string; name: string; query: string; now: string }>(
    `INSERT INTO saved_views (screen, name, query, created_at, updated_at) VALUES (@screen, @name, @query, @now, @now)
     ON CONFLICT (screen, name) DO UPDATE SET query = excluded.query, updated_at = excluded.updated_at`,
  );
  const rename = db.prepare<{ screen: string; from: string; to: string; now: string }>(
    'UPDATE saved_views SET name = @to, updated_at = @now WHERE screen = @screen AND name = @from',
  );
  const exists = db.prepare<[string, string], { n: number }>(
    'SELECT count(*) AS n FROM saved_views WHERE screen = ? AND name = ?',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM saved_views WHERE screen = ? AND name = ?');
  const toView = (r: Row): SavedView => ({ screen: r.screen, name: r.name, query: r.query, updatedAt: r.updated_at });

  return {
    list: (screen: ViewScreen): SavedView[] => list.all(screen).map(toView),
    /**
     * Saves the view called `name`. A view already saved under that name is replaced only when the
     * user said so (`replace`): saving over it by accident would lose its filters without a word.
     */
    save(screen: ViewScreen, name: string, query: string, now: Date, replace = false): SavedView[] {
      if (!replace && exists.get(screen, name.trim())?.n === 1)
        throw new UserFacingError(
          'VIEW_EXISTS',
          `A view called "${name.trim()}" already exists; replace it or choose another name.`,
        );
      upsert.run({ screen, name: name.trim(), query: query.replace(/^\?/, ''), now: now.toISOString() });
      return list.all(screen).map(toView);
    },
    rename(screen: ViewScreen, from: string, to: string, now: Date): SavedView[] {
      if (exists.get(screen, from)?.n !== 1)
        throw new UserFacingError('VIEW_NOT_FOUND', `There is no saved view called "${from}".`);
      if (from !== to.trim() && exists.get(screen, to.trim())?.n === 1)
        throw new UserFacingError('VIEW_EXISTS', `A view called "${to.trim()}" already exists; choose another name.`);
      rename.run({ screen, from, to: to.trim(), now: now.toISOString() });
      return list.all(screen).map(toView);
    },
    remove(screen: ViewScreen, name: string): SavedView[] {
      if (remove.run(screen, name).changes === 0)
        throw new UserFacingError('VIEW_NOT_FOUND', `There is no saved view called "${name}".`);
      return list.all(screen).map(toView);
    },
  };
}
