/**
 * The team lead's outcome report on the hub: the same uplift as the app's Outcomes screen, for the
 * team and for each CSM. SQL reduces the pushed interventions (and held-out control outcomes) to
 * one outcome per account episode (account, play, firing month, or the start month of a row pushed
 * without its firing day; the earliest speaks for it, as in
 * src/domain/interventions/comparison.ts) and counts decided and succeeded outcomes per play and
 * cohort; the domain's pure functions then give Newcombe's interval within one play and the
 * Mantel–Haenszel difference across plays.
 */
import { MIN_GROUP_SIZE } from '../../domain/interventions/comparison.ts';
import { newcombeDifference, wilsonInterval } from '../../domain/interventions/stats.ts';
import { comparable, mantelHaenszelDifference, type Stratum } from '../../domain/interventions/stratified.ts';
import type { HubUser } from '../auth/users.ts';
import { scopeOf } from '../server/scope.ts';
import type { HubQuery } from '../store/store.ts';

export interface GroupRate {
  n: number;
  succeeded: number;
  success_rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface ReportRow {
  treated: GroupRate;
  control: GroupRate;
  uplift: { value: number; ci_low: number; ci_high: number } | null;
  uplift_method: 'newcombe' | 'mantel_haenszel';
  plays_compared: number;
  note: string | null;
}

export interface HubReport {
  as_of: string;
  scope: { email: string; role: string; team: string };
  interventions: number;
  team: ReportRow;
  csms: (ReportRow & { email: string; interventions: number })[];
  plays: (ReportRow & { trigger_id: string })[];
}

interface Count {
  csm: string | null;
  trigger_id: string;
  cohort: 'treated' | 'control';
  n: number;
  s: number;
  total: number;
}

function rate(n: number, s: number): GroupRate {
  const ci = n > 0 ? wilsonInterval(s, n) : null;
  return { n, succeeded: s, success_rate: n > 0 ? s / n : null, ci_low: ci?.low ?? null, ci_high: ci?.high ?? null };
}

const tooFew = (n1: number, n0: number) =>
  `Not enough data yet: ${n1} treated and ${n0} control outcomes are decided; uplift needs at least ${MIN_GROUP_SIZE} of each.`;

/** Treated against control from per-play counts; the same rules as the app's compare(). */
export function rowFromStrata(strata: ReadonlyMap<string, Stratum>): ReportRow {
  const all = [...strata.values()];
  const sum = (pick: (s: Stratum) => number) => all.reduce((total, s) => total + pick(s), 0);
  const treated = rate(
    sum((s) => s.n1),
    sum((s) => s.s1),
  );
  const control = rate(
    sum((s) => s.n0),
    sum((s) => s.s0),
  );
  const compared = all.filter(comparable);
  if (compared.length <= 1) {
    const only = compared[0] ?? { n1: treated.n, s1: treated.succeeded, n0: control.n, s0: control.succeeded };
    const enough = only.n1 >= MIN_GROUP_SIZE && only.n0 >= MIN_GROUP_SIZE;
    const d = enough ? newcombeDifference(only.s1, only.n1, only.s0, only.n0) : null;
    return {
      treated,
      control,
      uplift: d ? { value: d.value, ci_low: d.low, ci_high: d.high } : null,
      uplift_method: 'newcombe',
      plays_compared: compared.length,
      note: d ? null : tooFew(only.n1, only.n0),
    };
  }
  const d = mantelHaenszelDifference(compared)!;
  const enough = d.n1 >= MIN_GROUP_SIZE && d.n0 >= MIN_GROUP_SIZE;
  return {
    treated,
    control,
    uplift: enough ? { value: d.value, ci_low: d.low, ci_high: d.high } : null,
    uplift_method: 'mantel_haenszel',
    plays_compared: compared.length,
    note: enough ? null : tooFew(d.n1, d.n0),
  };
}

function strataOf(counts: readonly Count[]): Map<string, Stratum> {
  const strata = new Map<string, Stratum>();
  for (const c of counts) {
    const s = strata.get(c.trigger_id) ?? { n1: 0, s1: 0, n0: 0, s0: 0 };
    if (c.cohort === 'treated') {
      s.n1 += c.n;
      s.s1 += c.s;
    } else {
      s.n0 += c.n;
      s.s0 += c.s;
    }
    strata.set(c.trigger_id, s);
  }
  return strata;
}

export async function hubReport(db: HubQuery, query: { user: HubUser; asOf: string }): Promise<HubReport> {
  const { asOf } = query;
  const { sql, params } = scopeOf(query.user).condition(2);
  // Treated outcomes belong to the CSM who logged them; a held-out firing to the account's owner.
  const counts = await db.query<Count>(
    `WITH eligible AS (
       SELECT * FROM interventions
        WHERE ${sql} AND start_on IS NOT NULL AND start_on <= $1
          AND (cohort = 'control' OR (NOT manual AND NOT excluded))
     ), episodes AS (
       SELECT DISTINCT ON (cohort, account_id, trigger_id, substr(coalesce(fired_on, start_on), 1, 7))
              cohort, trigger_id, status, CASE cohort WHEN 'treated' THEN actor_email ELSE owner_email END AS csm
         FROM eligible
        ORDER BY cohort, account_id, trigger_id, substr(coalesce(fired_on, start_on), 1, 7), start_on, intervention_id
     )
     SELECT csm, trigger_id, cohort,
            (count(*) FILTER (WHERE status IN ('succeeded', 'failed')))::int AS n,
            (count(*) FILTER (WHERE status = 'succeeded'))::int AS s,
            count(*)::int AS total
       FROM episodes GROUP BY csm, trigger_id, cohort ORDER BY csm, trigger_id, cohort`,
    [asOf, ...params],
  );
  const totals = await db.query<{ csm: string; total: number }>(
    `SELECT actor_email AS csm, count(*)::int AS total FROM interventions
      WHERE ${sql} AND cohort = 'treated' AND coalesce(start_on, '') <= $1 GROUP BY actor_email`,
    [asOf, ...params],
  );
  const byCsm = new Map<string, Count[]>();
  for (const c of counts) {
    const key = c.csm ?? '(no owner)';
    byCsm.set(key, [...(byCsm.get(key) ?? []), c]);
  }
  for (const t of totals) if (!byCsm.has(t.csm)) byCsm.set(t.csm, []);
  const byPlay = new Map<string, Count[]>();
  for (const c of counts) byPlay.set(c.trigger_id, [...(byPlay.get(c.trigger_id) ?? []), c]);
  const logged = new Map(totals.map((t) => [t.csm, t.total]));
  return {
    as_of: asOf,
    scope: { email: query.user.email, role: query.user.role, team: query.user.team },
    interventions: totals.reduce((sum, t) => sum + t.total, 0),
    team: rowFromStrata(strataOf(counts)),
    csms: [...byCsm.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([email, rows]) => ({ email, interventions: logged.get(email) ?? 0, ...rowFromStrata(strataOf(rows)) })),
    plays: [...byPlay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([trigger_id, rows]) => ({ trigger_id, ...rowFromStrata(strataOf(rows)) })),
  };
}
