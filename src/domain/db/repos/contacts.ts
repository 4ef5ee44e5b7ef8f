import type { ContactRecord } from '../../contract/records.ts';
import type { Db } from '../open.ts';
import { perConnection } from '../per-connection.ts';
import { prepareUpsert } from '../upsert.ts';

export const CONTACT_COLUMNS = [
  'contact_id',
  'account_id',
  'name',
  'email',
  'phone',
  'role',
  'is_champion',
  'active',
  'last_seen_at',
] as const;

type ContactDbRow = Omit<ContactRecord, 'is_champion' | 'active'> & { is_champion: 0 | 1; active: 0 | 1 };

export const contactsRepo = perConnection((db: Db) => {
  const upsert = prepareUpsert<ContactDbRow>(db, 'contacts', CONTACT_COLUMNS, ['contact_id']);
  const forAccount = db.prepare<[string], ContactDbRow>(
    'SELECT * FROM contacts WHERE account_id = ? ORDER BY is_champion DESC, name',
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM contacts');
  return {
    upsert: (row: Omit<ContactRecord, 'phone'> & { phone?: string | null }) =>
      upsert({ ...row, phone: row.phone ?? null, is_champion: row.is_champion ? 1 : 0, active: row.active ? 1 : 0 }),
    forAccount: (accountId: string) =>
      forAccount.all(accountId).map((c) => ({ ...c, is_champion: c.is_champion === 1, active: c.active === 1 })),
    count: (): number => count.get()?.n ?? 0,
  };
});
