/**
 * A synthetic book for the hub bench, already in the contract's shape: accounts owned by CSMs of
 * `book` accounts each, two metrics a day for `days` days, and an event every ten days or so.
 * Deterministic (no randomness), so runs compare. Rows are generated kind by kind as they are
 * consumed, so 100,000 accounts × 90 days (18 M metric rows) never sit in memory at once.
 */
import type { RecordKind } from '../../src/shared/dto/core.ts';

export interface BookShape {
  accounts: number;
  days: number;
  book: number;
}

const DAY = 86_400_000;
const END = Date.parse('2026-03-01T00:00:00Z');

export const accountId = (a: number) => `acc_${String(a).padStart(7, '0')}`;
export const ownerOf = (a: number, book: number) => `csm${String(Math.floor(a / book)).padStart(3, '0')}@bench.example`;

export function bookCounts(shape: BookShape): Record<RecordKind, number> {
  let events = 0;
  for (let a = 0; a < shape.accounts; a++) for (let d = 0; d < shape.days; d++) if ((a + d) % 10 === 0) events++;
  return { accounts: shape.accounts, contacts: shape.accounts, metrics: shape.accounts * shape.days * 2, events };
}

export function* bookRows(kind: RecordKind, shape: BookShape): Generator<Record<string, unknown>> {
  for (let a = 0; a < shape.accounts; a++) {
    const id = accountId(a);
    if (kind === 'accounts')
      yield {
        account_id: id,
        name: `Account ${a}`,
        owner_email: ownerOf(a, shape.book),
        arr: 1000 + (a % 97) * 100,
        currency: 'USD',
      };
    else if (kind === 'contacts')
      yield { contact_id: `con_${a}`, account_id: id, name: `Contact ${a}`, is_champion: true, active: true };
    else
      for (let d = 0; d < shape.days; d++) {
        const date = new Date(END - (shape.days - d) * DAY).toISOString().slice(0, 10);
        if (kind === 'metrics') {
          yield { account_id: id, date, metric: 'active_users', value: 10 + ((a + d) % 13), contact_id: '' };
          yield { account_id: id, date, metric: 'logins', value: 20 + ((a * 7 + d) % 31), contact_id: '' };
        } else if ((a + d) % 10 === 0)
          yield {
            event_id: `ev_${a}_${d}`,
            account_id: id,
            occurred_at: new Date(END - (shape.days - d) * DAY + 3_600_000).toISOString(),
            type: 'ticket_opened',
          };
      }
  }
}
