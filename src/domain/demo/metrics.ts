/**
 * Daily metric series for one account, in long form. Account-level series carry contact_id '';
 * power users also get a per-contact `logins` series. Records come out in primary-key order
 * (metric, contact, date) so that inserts append to the b-tree.
 */
import type { MetricRecord } from '../contract/records.ts';
import type { Calendar } from './calendar.ts';
import type { AccountPlan } from './plan.ts';
import type { Rng } from './random.ts';

/** Weekly shape of activity, Monday first; it averages to exactly 1 over a week. */
const WEEK = [1.15, 1.2, 1.2, 1.15, 1.05, 0.6, 0.65] as const;

const RAMP_DAYS = 30;
const MILESTONE_CLIMB_DAYS = 90;

export interface MetricBuild {
  metrics: MetricRecord[];
  /** Per contact index: the last day (offset) with a login, for power users. */
  lastLoginOn: (number | null)[];
}

/** Multiplier on user activity for a day: ramp-up, trend and any planted drop or decline. */
function activityFactor(plan: AccountPlan, o: number, days: number): number {
  let f = 1 + plan.growth * (o + days);
  const age = o - plan.createdOn;
  if (age < RAMP_DAYS) f *= 0.2 + (0.8 * age) / RAMP_DAYS;
  const drop = plan.drop;
  if (drop && o >= drop.start)
    f *= o >= drop.start + drop.length ? drop.floor : 1 - ((1 - drop.floor) * (o - drop.start)) / drop.length;
  if (plan.seatDrop && o >= plan.seatDrop.on) f *= 0.85;
  const churn = plan.churn;
  if (churn?.decline) {
    const start = churn.on - 40;
    if (o >= start) f *= 1 - (0.7 * (o - start)) / 40;
  }
  // A milestone: activity climbs steadily over the last quarter to about 1.4× where it began.
  if (plan.profile === 'milestone_reached' && o >= -MILESTONE_CLIMB_DAYS)
    f *= 1 + (0.4 * (o + MILESTONE_CLIMB_DAYS)) / MILESTONE_CLIMB_DAYS;
  if (plan.profile === 'setup_incomplete') f *= 0.25;
  else if (plan.profile === 'onboarding_stalled') f *= 0.4;
  return f;
}

/** Seats in use before any planted fall: the licensed base the users come from. */
function seatBase(plan: AccountPlan, o: number): number {
  const age = o - plan.createdOn;
  const ramp = age < RAMP_DAYS ? 0.4 + (0.6 * age) / RAMP_DAYS : 1;
  return plan.seats * plan.utilisation * ramp;
}

function seatFactor(plan: AccountPlan, o: number): number {
  let f = 1;
  if (plan.seatDrop && o >= plan.seatDrop.on)
    f *= o === plan.seatDrop.on ? (1 + plan.seatDrop.floor) / 2 : plan.seatDrop.floor;
  const churn = plan.churn;
  if (churn?.seatDrop && o >= churn.on - 20) f *= 0.55;
  if (churn?.decline) {
    const start = churn.on - 40;
    if (o >= start) f *= 1 - (0.3 * (o - start)) / 40;
  }
  return f;
}

function usageShare(plan: AccountPlan, o: number): number {
  const climb = plan.climb;
  if (!climb) return plan.usageRatio;
  if (o <= climb.start) return climb.from;
  if (o >= climb.end) return climb.to;
  return climb.from + ((climb.to - climb.from) * (o - climb.start)) / (climb.end - climb.start);
}

export function buildMetrics(plan: AccountPlan, rng: Rng, cal: Calendar, days: number): MetricBuild {
  const lastLoginOn: (number | null)[] = plan.contacts.map(() => null);
  const first = Math.max(-(days - 1), plan.createdOn);
  const last = plan.churn ? plan.churn.on : 0;
  const n = last - first + 1;
  if (n <= 0) return { metrics: [], lastLoginOn };

  const seatsUsed = new Float64Array(n);
  const active = new Float64Array(n);
  const logins = new Float64Array(n);
  const core = new Float64Array(n);
  const usage = new Float64Array(n);
  const latency = new Float64Array(n);
  const errors = new Float64Array(n);

  const seats = plan.seats;
  const established = plan.profile !== 'seat_underuse' && plan.profile !== 'churned';
  const seatNoise = seats >= 20 ? Math.max(0.5, seats * 0.006) : 0;
  const underuseCap = Math.floor(seats * 0.47);

  for (let i = 0; i < n; i++) {
    const o = first + i;
    const weekday = cal.weekday(o);
    const week = WEEK[weekday] as number;
    const age = o - plan.createdOn;
    const act = activityFactor(plan, o, days);

    // Seats: steady, with a floor that keeps healthy utilisation at 60% or more once ramped up.
    const base = seatBase(plan, o);
    let seat = Math.round(base * seatFactor(plan, o) + (seatNoise > 0 ? rng.boundedNormal(0, seatNoise, 2) : 0));
    let floor = 1;
    if (established && age >= RAMP_DAYS)
      floor = Math.ceil(seats * (plan.seatDrop && o >= plan.seatDrop.on ? plan.seatDrop.minShare : 0.6));
    seat = Math.min(seats, Math.max(floor, seat));
    if (plan.profile === 'seat_underuse') seat = Math.max(1, Math.min(underuseCap, seat));
    seatsUsed[i] = seat;

    const users = Math.min(
      seat,
      Math.max(0, Math.round(base * plan.dauRatio * week * act * rng.boundedNormal(1, 0.07))),
    );
    active[i] = users;
    logins[i] = Math.round(users * plan.loginsPerUser * rng.boundedNormal(1, 0.08));
    const coreUses =
      plan.profile === 'onboarding_stalled'
        ? 0
        : Math.round(
            users * plan.corePerUser * (plan.profile === 'setup_incomplete' ? 0.2 : 1) * rng.boundedNormal(1, 0.1),
          );
    core[i] = users > 0 && plan.profile !== 'onboarding_stalled' ? Math.max(1, coreUses) : coreUses;

    const used = Math.max(
      0,
      Math.round(plan.usageLimit * usageShare(plan, o) * week * act * rng.boundedNormal(1, 0.06)),
    );
    usage[i] = used;

    const slow = plan.slowdown && o >= plan.slowdown.on ? plan.slowdown.factor * rng.boundedNormal(1, 0.04) : 1;
    latency[i] =
      Math.round(plan.latencyBase * (weekday >= 5 ? 0.97 : 1.02) * rng.boundedNormal(1, 0.03) * slow * 10) / 10;
    errors[i] = Math.max(0, Math.round(used * plan.errorRate * rng.boundedNormal(1, 0.25, 2) * (slow > 1 ? 5 : 1)));
  }

  const metrics: MetricRecord[] = [];
  const accountId = plan.id;
  const dates: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) dates[i] = cal.day(first + i);
  const emit = (metric: string, series: Float64Array, contactId = '') => {
    for (let i = 0; i < n; i++)
      metrics.push({
        account_id: accountId,
        date: dates[i] as string,
        metric,
        value: series[i] as number,
        contact_id: contactId,
      });
  };
  // Primary-key order: metric name, then contact, then date.
  emit('active_users', active);
  emit('api_errors', errors);
  emit('core_feature_uses', core);
  emit('latency_ms', latency);
  emit('logins', logins);
  plan.contacts.forEach((contact, index) => {
    if (!contact.powerUser) return;
    const series = powerUserLogins(plan, contact.dormantFrom, rng, cal, first, n, days);
    for (let i = n - 1; i >= 0; i--) {
      if ((series[i] as number) > 0) {
        lastLoginOn[index] = first + i;
        break;
      }
    }
    emit('logins', series, contact.id);
  });
  emit('seats_used', seatsUsed);
  emit('usage', usage);
  return { metrics, lastLoginOn };
}

/** Daily logins of one power user: most weekdays, some weekends, with a guaranteed recent login unless dormant. */
function powerUserLogins(
  plan: AccountPlan,
  dormantFrom: number | null,
  rng: Rng,
  cal: Calendar,
  first: number,
  n: number,
  days: number,
): Float64Array {
  const series = new Float64Array(n);
  const start = plan.createdOn + 2;
  for (let i = 0; i < n; i++) {
    const o = first + i;
    if (o < start) continue;
    if (dormantFrom !== null) {
      // A daily user, weekends included, who then goes completely quiet.
      series[i] = o < dormantFrom ? rng.int(1, 4) : 0;
      continue;
    }
    const weekend = cal.isWeekend(o);
    let p = weekend ? 0.3 : 0.9;
    if (plan.churn?.decline) p *= Math.max(0.2, Math.min(1, activityFactor(plan, o, days)));
    series[i] = rng.chance(p) ? rng.int(1, 4) : 0;
  }
  if (dormantFrom === null && !plan.churn) {
    // Make sure a healthy power user has logged in on two recent weekdays.
    let forced = 0;
    for (let o = -1; o >= -8 && forced < 2; o--) {
      const i = o - first;
      if (i < 0 || o < start || cal.isWeekend(o)) continue;
      if ((series[i] as number) === 0) series[i] = rng.int(1, 3);
      forced++;
    }
  }
  return series;
}
