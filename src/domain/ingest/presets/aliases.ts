/**
 * The alias table (migration 13): how other systems name an account. Read by the matcher, written
 * when a match is found by domain or name, and edited by hand (`foresight aliases`, the Sync screen).
 */
import type { Db } from '../../db/open.ts';
import { UserFacingError } from '../../errors.ts';

export type AliasRule = 'id' | 'domain' | 'name' | 'manual';

export interface AliasRow {
  source: string;
  alias: string;
  accountId: string;
  accountName: string | null;
  rule: AliasRule;
  createdAt: string;
}

/** Aliases from company domains (any vendor's) are kept under this source. */
export const DOMAIN_SOURCE = 'domain';

export function aliasRepo(db: Db) {
  const find = db.prepare<[string, string], string>(
    'SELECT account_id FROM account_aliases WHERE source = ? AND alias = ?',
  );
  const upsert = db.prepare<[string, string, string, AliasRule, string]>(
    `INSERT INTO account_aliases (source, alias, account_id, rule, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (source, alias) DO UPDATE SET account_id = excluded.account_id, rule = excluded.rule,
       created_at = excluded.created_at
     WHERE account_aliases.account_id IS NOT excluded.account_id`,
  );
  const insertNew = db.prepare<[string, string, string, AliasRule, string]>(
    `INSERT INTO account_aliases (source, alias, account_id, rule, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (source, alias) DO NOTHING`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM account_aliases WHERE source = ? AND alias = ?');
  const findRule = db.prepare<[string, string], { account_id: string; rule: AliasRule }>(
    'SELECT account_id, rule FROM account_aliases WHERE source = ? AND alias = ?',
  );
  const list = db.prepare<
    { source: string | null; limit: number },
    { source: string; alias: string; account_id: string; name: string | null; rule: AliasRule; created_at: string }
  >(
    `SELECT a.source, a.alias, a.account_id, ac.name, a.rule, a.created_at
     FROM account_aliases a LEFT JOIN accounts ac ON ac.account_id = a.account_id
     WHERE @source IS NULL OR a.source = @source ORDER BY a.source, a.alias LIMIT @limit`,
  );
  const accountExists = db.prepare<[string], number>('SELECT 1 FROM accounts WHERE account_id = ?').pluck();
  return {
    find: (source: string, alias: string): string | null => find.pluck().get(source, alias) ?? null,
    /** Remembers a match found by a rule; a hand-made alias for the same key is never overwritten. */
    remember(source: string, alias: string, accountId: string, rule: AliasRule, at: string): void {
      insertNew.run(source, alias, accountId, rule, at);
    },
    /**
     * A domain an account declares: remembered, unless another account already holds it by a rule
     * (not by hand); then the domain is shared and matches neither, so the alias is dropped.
     */
    rememberUnlessShared(source: string, alias: string, accountId: string, rule: AliasRule, at: string): void {
      const current = findRule.get(source, alias);
      if (current === undefined) insertNew.run(source, alias, accountId, rule, at);
      else if (current.account_id !== accountId && current.rule !== 'manual') remove.run(source, alias);
    },
    /** A hand-made alias: replaces whatever the key pointed at. */
    set(source: string, alias: string, accountId: string, at: string): void {
      if (accountExists.get(accountId) === undefined)
        throw new UserFacingError('NOT_FOUND', `There is no account with id ${JSON.stringify(accountId)}.`);
      upsert.run(source.trim().toLowerCase(), alias.trim(), accountId, 'manual', at);
    },
    remove: (source: string, alias: string): boolean =>
      remove.run(source.trim().toLowerCase(), alias.trim()).changes > 0,
    list: (source: string | null = null, limit = 10_000): AliasRow[] =>
      list.all({ source, limit }).map((r) => ({
        source: r.source,
        alias: r.alias,
        accountId: r.account_id,
        accountName: r.name,
        rule: r.rule,
        createdAt: r.created_at,
      })),
  };
}
