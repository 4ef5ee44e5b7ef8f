/**
 * A synthetic book for the hub bench, already in the contract's shape: accounts owned by CSMs of
 * `book` accounts each, two metrics a day for `days` days, and an event every ten days or so.
 * Deterministic (no randomness), so runs compare.
 */
export interface Book {
  accounts: Record<string, unknown>[];
  contacts: Record<string, unknown>[];
  metrics: Record<string, unknown>[];
  events: Record<string, unknown>[];
  csms: string[];
}

const DAY = 86_400_000;
const END = Date.parse('2026-03-01T00:00:00Z');

export function generateBook(options: { accounts: number; days: number; book: number }): Book {
  const out: Book = { accounts: [], contacts: [], metrics: [], events: [], csms: [] };
  for (let a = 0; a < options.accounts; a++) {
    const id = `acc_${String(a).padStart(7, '0')}`;
    const csm = `csm${String(Math.floor(a / options.book)).padStart(3, '0')}@bench.example`;
    if (a % options.book === 0) out.csms.push(csm);
    out.accounts.push({
      account_id: id,
      name: `Account ${a}`,
      owner_email: csm,
      arr: 1000 + (a % 97) * 100,
      currency: 'USD',
    });
    out.contacts.push({
      contact_id: `con_${a}`,
      account_id: id,
      name: `Contact ${a}`,
      is_champion: true,
      active: true,
    });
    for (let d = 0; d < options.days; d++) {
      const date = new Date(END - (options.days - d) * DAY).toISOString().slice(0, 10);
      out.metrics.push({ account_id: id, date, metric: 'active_users', value: 10 + ((a + d) % 13), contact_id: '' });
      out.metrics.push({ account_id: id, date, metric: 'logins', value: 20 + ((a * 7 + d) % 31), contact_id: '' });
      if ((a + d) % 10 === 0)
        out.events.push({
          event_id: `ev_${a}_${d}`,
          account_id: id,
          occurred_at: new Date(END - (options.days - d) * DAY + 3_600_000).toISOString(),
          type: 'ticket_opened',
        });
    }
  }
  return out;
}
