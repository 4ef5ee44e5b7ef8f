/**
 * Simulated books with a known true uplift per play, run through the real pipeline: CSV import →
 * risk scoring (risk items, holdout draw) → interventions logged for the treated → outcome events
 * imported → evaluation → outcome report. Used by test/unit/uplift-simulation.test.ts (small, in
 * CI) and scripts/simulate-uplift.ts (large).
 *
 * Every seed is its own book of accounts (ids prefixed with the seed) inside one database, so the
 * import and scoring run once for all seeds; the report is then built per seed from its facts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '../../src/domain/contract/dates.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { loadOutcomeFacts, type OutcomeFact } from '../../src/domain/interventions/facts.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import { setInterventionStatus } from '../../src/domain/interventions/status.ts';
import { reportFromFacts } from '../../src/domain/interventions/report.ts';
import { saveTriggerOutcomeSettings } from '../../src/domain/interventions/settings.ts';
import type { TriggerId } from '../../src/domain/risk/catalog.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import type { OutcomeReport } from '../../src/shared/dto/interventions.ts';

export interface PlayTruth {
  /** Success rate without outreach. */
  base: number;
  /** What outreach adds to it (the true uplift). */
  effect: number;
  /** Share held out as control: differing shares make the treated and control mixes differ. */
  holdout: number;
  /** Firings per book. */
  firings: number;
}

export type SimulatedPlay = 'payment_failing' | 'detractor' | 'champion_left';

export interface SimulationSpec {
  seeds: number;
  plays: Partial<Record<SimulatedPlay, PlayTruth>>;
  /** The day the triggers fire. */
  fireOn: string;
  /** Seeds the outcome draws (default 20261206): another value gives an independent run. */
  drawSeed?: number;
  /** The first book's number (default 1): runs in separate databases use disjoint account ids. */
  firstSeed?: number;
}

export interface SeedResult {
  seed: number;
  report: OutcomeReport;
  /** Decided episodes per play and group, for the true stratified target. */
  counts: Record<string, { n1: number; n0: number }>;
  /**
   * Episodes whose verdict differs from the outcome the simulation planted (or that stayed
   * undecided): 0 when the pipeline judges every planted outcome as it was drawn.
   */
  mismatches: number;
}

/** A small deterministic PRNG (mulberry32), so every run draws the same outcomes. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const at = (day: string, hour = 12) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

/** The events that make each play fire on `fireOn` (and nothing else). */
function firingEvents(play: SimulatedPlay, id: string, fireOn: string): string[] {
  switch (play) {
    case 'payment_failing':
      return [-20, -10, 0].map((d) => `${id},${at(addDays(fireOn, d), 8)},payment_failed,100,`);
    case 'detractor':
      return [`${id},${at(fireOn, 8)},nps_response,3,${id}_c`];
    case 'champion_left':
      return [`${id},${at(fireOn, 8)},champion_left,,${id}_c`];
  }
}

/** The outcome events: success or a clear failure, after the episode opens for either group. */
function outcomeEvents(play: SimulatedPlay, id: string, fireOn: string, success: boolean, day: number): string[] {
  const on = at(addDays(fireOn, day), 15);
  switch (play) {
    case 'payment_failing':
      return success ? [`${id},${on},payment_succeeded,100,`] : [];
    case 'detractor':
      return [`${id},${on},nps_response,${success ? 9 : 4},${id}_c`];
    case 'champion_left':
      return success ? [`${id},${on},champion_assigned,,${id}_c2`] : [];
  }
}

export function runSimulation(db: Db, dir: string, spec: SimulationSpec): SeedResult[] {
  const plays = Object.keys(spec.plays) as SimulatedPlay[];
  const now = () => new Date(at(spec.fireOn, 20));
  for (const play of plays) saveTriggerOutcomeSettings(db, play, { holdoutShare: spec.plays[play]!.holdout }, now());

  const accounts = ['account_id,name,arr,created_at,renewal_date'];
  const contacts = ['contact_id,account_id,name,email,is_champion,active'];
  const metrics = ['account_id,date,metric,value'];
  const events = ['account_id,occurred_at,type,value,contact_id'];
  const books: { id: string; seed: number; play: SimulatedPlay }[] = [];
  const first = spec.firstSeed ?? 1;
  for (let seed = first; seed < first + spec.seeds; seed++) {
    for (const play of plays) {
      for (let i = 0; i < spec.plays[play]!.firings; i++) {
        const id = `s${seed}_${play}_${i}`;
        books.push({ id, seed, play });
        accounts.push(`${id},Book ${seed} ${play} ${i},${1000 * (1 + (i % 5))},2024-01-01,2028-01-01`);
        // A champion who leaves (champion_left), or an ordinary contact.
        contacts.push(
          `${id}_c,${id},Pat ${i},pat${i}@example.com,${play === 'champion_left' ? 1 : 0},${play === 'champion_left' ? 0 : 1}`,
        );
        for (const d of [-1, 0, 3]) metrics.push(`${id},${addDays(spec.fireOn, d)},active_users,5`);
        events.push(...firingEvents(play, id, spec.fireOn));
      }
    }
  }
  const write = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  importFiles(
    db,
    [
      write('accounts.csv', accounts),
      write('contacts.csv', contacts),
      write('metrics.csv', metrics),
      write('events.csv', events),
    ],
    { now },
  );
  scoreAll(db, { asOf: spec.fireOn, now: at(spec.fireOn, 20) });

  const items = db
    .prepare<[], { account_id: string; trigger_id: string; is_control: number }>(
      "SELECT account_id, trigger_id, is_control FROM risk_items WHERE status IN ('open', 'in_progress')",
    )
    .all();
  const live = new Map(items.map((r) => [`${r.account_id}|${r.trigger_id}`, r.is_control === 1]));
  const draws = random(spec.drawSeed ?? 20_261_206);
  const planted = new Map<string, boolean>();
  const outcomes = ['account_id,occurred_at,type,value,contact_id'];
  const sentOn = addDays(spec.fireOn, 1);
  const planned: string[] = [];
  db.transaction(() => {
    for (const book of books) {
      const control = live.get(`${book.id}|${book.play}`);
      if (control === undefined) throw new Error(`${book.play} did not fire for ${book.id}; the simulation is broken.`);
      if (!control)
        planned.push(
          logIntervention(
            db,
            { accountId: book.id, triggerId: book.play as TriggerId, channel: 'email', status: 'planned' },
            new Date(at(spec.fireOn, 21)),
          ).intervention_id,
        );
      const truth = spec.plays[book.play]!;
      const success = draws() < truth.base + (control ? 0 : truth.effect);
      planted.set(book.id, success);
      outcomes.push(...outcomeEvents(book.play, book.id, spec.fireOn, success, 2 + Math.floor(draws() * 4)));
    }
  })();
  // The outreach screen's bulk "Mark as sent", the next morning.
  setInterventionStatus(db, { ids: planned, status: 'sent' }, new Date(at(sentOn, 9)));
  importFiles(db, [write('outcomes.csv', outcomes)], { now });
  // The report judges every episode as of the day, with the same judge() the stored evaluation uses.
  const asOf = addDays(spec.fireOn, 100);

  const bySeed = new Map<number, OutcomeFact[]>();
  for (const fact of loadOutcomeFacts(db, { asOf })) {
    const seed = Number(/^s(\d+)_/.exec(fact.account_id)?.[1]);
    bySeed.set(seed, [...(bySeed.get(seed) ?? []), fact]);
  }
  const booksOf = new Map<number, string[]>();
  for (const book of books) booksOf.set(book.seed, [...(booksOf.get(book.seed) ?? []), book.id]);
  return [...bySeed.entries()].map(([seed, facts]) => {
    const counts: SeedResult['counts'] = {};
    const verdicts = new Map(facts.map((f) => [f.account_id, f.status]));
    let mismatches = 0;
    for (const id of booksOf.get(seed) ?? []) {
      if (verdicts.get(id) !== (planted.get(id) ? 'succeeded' : 'failed')) mismatches++;
    }
    for (const f of facts.filter((x) => x.status === 'succeeded' || x.status === 'failed')) {
      // The uplift compares every eligible firing (here all contacted) with the held-out ones.
      if (f.cohort === 'treated') continue;
      const c = (counts[f.trigger_id] ??= { n1: 0, n0: 0 });
      if (f.cohort === 'eligible') c.n1++;
      else c.n0++;
    }
    return { seed, report: reportFromFacts(facts, { asOf, by: 'trigger' }), counts, mismatches };
  });
}

/** The stratified target of a seed: the true effects averaged with the Mantel–Haenszel weights. */
export function stratifiedTruth(result: SeedResult, spec: SimulationSpec): number {
  let weights = 0;
  let sum = 0;
  for (const [play, { n1, n0 }] of Object.entries(result.counts)) {
    if (n1 === 0 || n0 === 0) continue;
    const w = (n1 * n0) / (n1 + n0);
    weights += w;
    sum += w * spec.plays[play as SimulatedPlay]!.effect;
  }
  return sum / weights;
}
