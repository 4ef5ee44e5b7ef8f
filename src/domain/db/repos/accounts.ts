import type { AccountRecord } from '../../contract/records.ts';
import type { Db } from '../open.ts';
import { perConnection } from '../per-connection.ts';
import { prepareUpsert } from '../upsert.ts';

export const ACCOUNT_COLUMNS = [
  'account_id',
  'name',
  'owner_email',
  'segment',
  'plan',
  'arr',
  'currency',
  'seats_purchased',
  'usage_limit',
  'renewal_date',
  'created_at',
  'lifecycle_stage',
  'status',
  'churned_at',
  'timezone',
  'locale',
  'updated_at',
  'is_demo',
] as const;

export type AccountDbRow = AccountRecord & { is_demo: 0 | 1 };

export interface AccountListRow {
  account_id: string;
  name: string;
  owner_email: string | null;
  segment: string | null;
  plan: string | null;
  arr: number;
  currency: string;
  renewal_date: string | null;
  lifecycle_stage: string | null;
  status: 'active' | 'churned';
  locale: string | null;
}

export const accountsRepo = perConnection((db: Db) => {
  const upsert = prepareUpsert<AccountDbRow>(db, 'accounts', ACCOUNT_COLUMNS, ['account_id']);
  const byId = db.prepare<[string], AccountDbRow>('SELECT * FROM accounts WHERE account_id = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM accounts');
  const listColumns =
    'account_id, name, owner_email, segment, plan, arr, currency, renewal_date, lifecycle_stage, status, locale';
  const searchPage = db.prepare<{ pattern: string; limit: number; offset: number }, AccountListRow>(
    `SELECT ${listColumns} FROM accounts
     WHERE @pattern = '%%' OR name LIKE @pattern ESCAPE '\\' OR account_id LIKE @pattern ESCAPE '\\' OR owner_email LIKE @pattern ESCAPE '\\'
     ORDER BY arr DESC, account_id LIMIT @limit OFFSET @offset`,
  );
  const searchCount = db.prepare<{ pattern: string }, { n: number }>(
    `SELECT count(*) AS n FROM accounts
     WHERE @pattern = '%%' OR name LIKE @pattern ESCAPE '\\' OR account_id LIKE @pattern ESCAPE '\\' OR owner_email LIKE @pattern ESCAPE '\\'`,
  );
  return {
    upsert: (row: AccountRecord, isDemo = false) => upsert({ ...row, is_demo: isDemo ? 1 : 0 }),
    get: (accountId: string): AccountDbRow | undefined => byId.get(accountId),
    count: (): number => count.get()?.n ?? 0,
    search(text: string, offset: number, limit: number) {
      const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return { rows: searchPage.all({ pattern, limit, offset }), total: searchCount.get({ pattern })?.n ?? 0 };
    },
  };
});
