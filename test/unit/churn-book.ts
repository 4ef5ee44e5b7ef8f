/**
 * A synthetic book in a real SQLite file for the churn model's tests: accounts with a daily
 * `active_users` metric, a custom metric (`widgets`) and a custom event type (`webinar_attended`),
 * all driven by each account's engagement. Churn either follows engagement (`signal`) or is drawn
 * at random, independently of everything recorded (`random`).
 */
import type { Db } from '../../src/domain/db/open.ts';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';
import { seededRandom } from '../../src/domain/risk/model/stats.ts';

export interface BookOptions {
  accounts: number;
  start: string;
  days: number;
  churn: 'signal' | 'random';
  seed: number;
}

export function syntheticBook(db: Db, o: BookOptions): { end: string } {
  const random = seededRandom(o.seed);
  const first = dayNumber(o.start);
  const insertAccount = db.prepare(
    `INSERT INTO accounts (account_id, name, arr, currency, created_at, status, churned_at) VALUES (?, ?, ?, 'USD', ?, ?, ?)`,
  );
  const insertMetric = db.prepare('INSERT INTO metrics (account_id, metric, date, value) VALUES (?, ?, ?, ?)');
  const insertEvent = db.prepare(
    'INSERT INTO events (event_id, account_id, occurred_at, type, value) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let a = 0; a < o.accounts; a++) {
      const id = `acc_${String(a).padStart(4, '0')}`;
      const engagement = 0.05 + 0.9 * random();
      // Churn day: engaged accounts rarely churn (signal), or a coin unrelated to anything (random).
      let churnDay: number | null = null;
      const hazard = o.churn === 'signal' ? 0.006 * (1 - engagement) ** 2 : 0.0015;
      for (let d = first + 45; d < first + o.days; d++)
        if (random() < hazard) {
          churnDay = d;
          break;
        }
      insertAccount.run(
        id,
        `Account ${a}`,
        10_000,
        dayString(first),
        churnDay === null ? 'active' : 'churned',
        churnDay === null ? null : dayString(churnDay),
      );
      const last = churnDay === null ? first + o.days - 1 : churnDay - 1;
      for (let d = first; d <= last; d++) {
        const active = random() < engagement ? 1 : 0;
        insertMetric.run(id, 'active_users', dayString(d), active);
        insertMetric.run(id, 'widgets', dayString(d), active * Math.round(10 * engagement * random()));
        if (random() < engagement / 20)
          insertEvent.run(`${id}-w${d}`, id, `${dayString(d)}T10:00:00.000Z`, 'webinar_attended', null);
      }
    }
  })();
  return { end: dayString(first + o.days - 1) };
}
