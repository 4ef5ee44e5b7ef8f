/**
 * Books with a known true effect of outreach, run through the real pipeline (CSV import → risk
 * scoring with the holdout draw → touches logged and marked sent → outcome events → outcome
 * report), shaped like the ways a real book departs from a clean experiment: a CSM who contacts
 * only some eligible accounts, touches that go out days after the firing, accounts that churn
 * before anyone reaches them, a holdout share changed between months, books merged by a team lead.
 * Used by test/unit/itt-uplift.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '../../src/domain/contract/dates.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import { saveTriggerOutcomeSettings } from '../../src/domain/interventions/settings.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { random } from './uplift-simulation.ts';

/** One month's firings of payment_failing. */
export interface Wave {
  /** Account id prefix, unique per wave and book. */
  prefix: string;
  fireOn: string;
  /** The holdout share in force when this wave fires. */
  holdout: number;
  firings: number;
  /** Chance the payment is fixed without outreach, per account index. */
  base: (i: number) => number;
  arr?: (i: number) => number;
  /** Whether the CSM contacts this eligible account (default: every one). */
  contact?: (i: number) => boolean;
}

export interface Scenario {
  waves: Wave[];
  /** What a touch adds to the chance of success (the true effect per contacted account). */
  effect: number;
  /** Days from the firing to the touch going out (at 09:00). */
  sendDelay: number;
  /** Share of accounts that churn on day 1, whatever their group. */
  churnShare?: number;
  /** Day (after the firing) a payment is fixed without outreach; default day 3. */
  successDay?: (random: () => number) => number;
  seed: number;
}

export interface ScenarioRun {
  /** Eligible firings contacted, and their ARR: the truth the ARR figure is about. */
  contacted: number;
  eligibleArr: number;
}

const at = (day: string, hour = 12) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

export function runScenario(db: Db, dir: string, scenario: Scenario): ScenarioRun {
  const draw = random(scenario.seed);
  const write = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const run: ScenarioRun = { contacted: 0, eligibleArr: 0 };
  for (const wave of scenario.waves) {
    const now = () => new Date(at(wave.fireOn, 20));
    saveTriggerOutcomeSettings(db, 'payment_failing', { holdoutShare: wave.holdout }, now());
    const accounts = ['account_id,name,arr,created_at,renewal_date'];
    const metrics = ['account_id,date,metric,value'];
    const events = ['account_id,occurred_at,type,value,contact_id'];
    for (let i = 0; i < wave.firings; i++) {
      const id = `${wave.prefix}${i}`;
      accounts.push(`${id},Account ${id},${wave.arr?.(i) ?? 10_000},2024-01-01,2028-01-01`);
      for (const d of [-1, 0]) metrics.push(`${id},${addDays(wave.fireOn, d)},active_users,5`);
      for (const d of [-20, -10, 0]) events.push(`${id},${at(addDays(wave.fireOn, d), 8)},payment_failed,100,`);
    }
    const tag = wave.prefix;
    importFiles(db, [write(`a-${tag}.csv`, accounts), write(`m-${tag}.csv`, metrics), write(`e-${tag}.csv`, events)], {
      now,
    });
    scoreAll(db, { asOf: wave.fireOn, now: at(wave.fireOn, 20) });
    const held = new Map(
      db
        .prepare<[string, string], { account_id: string; is_control: number }>(
          "SELECT account_id, is_control FROM risk_items WHERE trigger_id = 'payment_failing' AND first_fired_on = ? AND account_id LIKE ?",
        )
        .all(wave.fireOn, `${wave.prefix}%`)
        .map((r) => [r.account_id, r.is_control === 1]),
    );

    const header = 'account_id,occurred_at,type,value,contact_id';
    const churns = [header];
    const logins: string[] = [];
    const churned = new Set<string>();
    const reached = new Set<string>();
    for (let i = 0; i < wave.firings; i++) {
      const id = `${wave.prefix}${i}`;
      if (draw() < (scenario.churnShare ?? 0)) {
        churned.add(id);
        churns.push(`${id},${at(addDays(wave.fireOn, 1), 10)},churned,,`);
        continue;
      }
      for (let d = 1; d <= 8; d++) logins.push(`${id},${at(addDays(wave.fireOn, d), 6)},login,,`);
    }
    importFiles(db, [write(`c-${tag}.csv`, churns)], { now });

    const sendAt = at(addDays(wave.fireOn, scenario.sendDelay), 9);
    for (let i = 0; i < wave.firings; i++) {
      const id = `${wave.prefix}${i}`;
      if (held.get(id) !== false) continue;
      run.eligibleArr += wave.arr?.(i) ?? 10_000;
      if (!(wave.contact?.(i) ?? true)) continue;
      try {
        logIntervention(
          db,
          { accountId: id, triggerId: 'payment_failing', channel: 'email', sentAt: sendAt },
          new Date(sendAt),
        );
        reached.add(id);
        run.contacted++;
      } catch {
        // A churned account is refused: there is no one to reach out to.
      }
    }

    const successes = [header, ...logins];
    for (let i = 0; i < wave.firings; i++) {
      const id = `${wave.prefix}${i}`;
      if (churned.has(id)) continue;
      const u = draw();
      const day = scenario.successDay?.(draw) ?? 3;
      if (u < wave.base(i)) successes.push(`${id},${at(addDays(wave.fireOn, day), 15)},payment_succeeded,100,`);
      // The touch's own successes come the day after it goes out.
      else if (reached.has(id) && u < wave.base(i) + scenario.effect)
        successes.push(`${id},${at(addDays(wave.fireOn, scenario.sendDelay + 1), 15)},payment_succeeded,100,`);
    }
    importFiles(db, [write(`o-${tag}.csv`, successes)], { now });
  }
  return run;
}
