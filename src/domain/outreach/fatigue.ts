/**
 * The guard in front of every draft: holdout accounts are never drafted, an account that has had
 * its share of proactive touches is left alone, and email and SMS wait for the customer's working
 * hours (in the account's time zone) instead of landing at night. Every decision carries a
 * sentence saying why. Time is always passed in.
 */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import type { OutreachChannel } from './channels.ts';
import { dateFormat } from './format.ts';
import type { ActiveHoursSettings, FatigueSettings } from './settings.ts';
import { isTimeZone, loadOutreachSettings } from './settings.ts';
import { addLocalDays, instantOf, localTime, minutesOf, pad2, type LocalTime } from './zoned-time.ts';
import type { GuardDecision } from '../../shared/dto/outreach.ts';

const DAY_MS = 86_400_000;

export interface Touch {
  /** When it was sent, or is planned for. */
  at: string;
  status: string;
  channel: string;
}

export type { GuardDecision } from '../../shared/dto/outreach.ts';

export interface GuardInput {
  accountName: string;
  channel: OutreachChannel;
  accountTimeZone: string | null;
  now: Date;
  heldOut: boolean;
  triggerLabel: string | null;
  touches: readonly Touch[];
  fatigue: FatigueSettings;
  activeHours: ActiveHoursSettings;
  /** For dates in the explanations; the CSM's locale. */
  locale?: string;
}

/**
 * Proactive touches that count against the cap: everything logged except expired plans, by anyone.
 * A touch that was sent counts whatever its outcome: "expired" (its outcome could not be judged)
 * included. Colleagues' touches arrive as merged rows (from a team hub or an outcome export) that
 * carry only their day, so they count from the start of that day (UTC): never later than they
 * happened, so a colleague's touch of this morning counts now. The merged rows are few (the team's
 * interventions) and have no account index, so that half reads them in one pass.
 */
export const RECENT_TOUCHES_SQL = `SELECT at, status, channel FROM (
    SELECT coalesce(sent_at, planned_at, created_at) AS at, status, channel FROM interventions
     WHERE account_id = @account AND NOT (status = 'expired' AND sent_at IS NULL) AND coalesce(sent_at, planned_at, created_at) > @since
    UNION ALL
    SELECT m.start_on || 'T00:00:00.000Z' AS at, m.status, coalesce(m.channel, 'other') AS channel FROM imported_outcomes m
     WHERE m.account_id = @account AND m.cohort = 'treated' AND m.start_on || 'T00:00:00.000Z' > @since
       AND NOT EXISTS (SELECT 1 FROM interventions i WHERE i.intervention_id = m.record_id)
  ) ORDER BY at`;

const recentTouchesStatement = perConnection((db) =>
  db.prepare<{ account: string; since: string }, Touch>(RECENT_TOUCHES_SQL),
);

export function recentTouches(db: Db, accountId: string, now: Date, windowDays: number): Touch[] {
  return recentTouchesStatement(db).all({
    account: accountId,
    since: new Date(now.getTime() - windowDays * DAY_MS).toISOString(),
  });
}

/**
 * Why one more touch at `at` would break the fatigue cap, or null when it would not. Only the cap
 * is a rule when logging (active hours are advice). The window is the one before `at`: a touch
 * logged after the fact (`--at 2026-06-01`) is judged against the touches of the 14 days before it
 * was sent, not against today's.
 */
export function fatigueCapReason(db: Db, account: { id: string; name: string }, at: Date): string | null {
  const settings = loadOutreachSettings(db);
  const guard = evaluateGuard({
    accountName: account.name,
    // Any channel: with active hours switched off only the count matters.
    channel: 'email',
    accountTimeZone: null,
    now: at,
    heldOut: false,
    triggerLabel: null,
    touches: recentTouches(db, account.id, at, settings.fatigue.windowDays).filter(
      (touch) => Date.parse(touch.at) <= at.getTime(),
    ),
    fatigue: settings.fatigue,
    activeHours: { ...settings.activeHours, channels: [] },
  });
  return guard.kind === 'fatigue'
    ? (guard.reason ?? `${account.name} has had enough proactive touches for now.`)
    : null;
}

export function evaluateGuard(input: GuardInput): GuardDecision {
  const locale = input.locale ?? 'en-US';
  const zoneKnown = input.accountTimeZone !== null && isTimeZone(input.accountTimeZone);
  const zone = zoneKnown ? (input.accountTimeZone as string) : input.activeHours.fallbackTimeZone;
  const local = localTime(input.now, zone);
  const nowMs = input.now.getTime();
  const windowStart = nowMs - input.fatigue.windowDays * DAY_MS;
  const inWindow = input.touches
    .filter((touch) => Date.parse(touch.at) > windowStart)
    .sort((a, b) => a.at.localeCompare(b.at));
  const count = inWindow.length;
  // The cap frees up when enough of the touches in the window have aged out of it.
  const freeing = count >= input.fatigue.maxTouches ? inWindow[count - input.fatigue.maxTouches] : undefined;
  const nextAllowedAt = freeing
    ? new Date(Math.max(Date.parse(freeing.at) + input.fatigue.windowDays * DAY_MS, nowMs)).toISOString()
    : null;
  const base = {
    touches: { count, max: input.fatigue.maxTouches, windowDays: input.fatigue.windowDays, nextAllowedAt },
    timeZone: zone,
    localNow: `${weekdayName(local.weekday, locale, 'short')} ${pad2(local.hour)}:${pad2(local.minute)}`,
    scheduleAt: null,
    scheduleLocal: null,
    scheduleLabel: null,
  };

  if (input.heldOut) {
    return {
      ...base,
      status: 'blocked',
      kind: 'holdout',
      reason: `${input.accountName} is in the control group${input.triggerLabel ? ` for “${input.triggerLabel}”` : ''}, so Foresight does not draft outreach for it: leaving a few accounts untouched is how you learn whether outreach works. It can be drafted again when the trigger fires in a later month.`,
    };
  }

  if (freeing && nextAllowedAt) {
    const dates = inWindow.map((touch) => shortDate(new Date(touch.at), locale, zone)).join(', ');
    return {
      ...base,
      status: 'blocked',
      kind: 'fatigue',
      reason: `${input.accountName} has already had ${count} proactive ${count === 1 ? 'touch' : 'touches'} in the last ${input.fatigue.windowDays} days (${dates}) and the fatigue guard allows ${input.fatigue.maxTouches}, so another message now would feel like pressure; the next one can go out on ${shortDate(new Date(nextAllowedAt), locale, zone)}.`,
    };
  }

  if (input.activeHours.channels.includes(input.channel)) {
    const check = nextActiveStart(local, zone, input.activeHours);
    if (check) {
      const label = `${input.activeHours.start} local on ${shortDate(check, locale, zone, true)}`;
      return {
        ...base,
        status: 'deferred',
        kind: 'active_hours',
        scheduleAt: check.toISOString(),
        scheduleLocal: input.activeHours.start,
        scheduleLabel: label,
        reason: `It's ${base.localNow} for ${input.accountName} (${zone}${zoneKnown ? '' : ', assumed: the account has no time zone on record'}), outside their working hours (${describeHours(input.activeHours, locale)}), so this can be scheduled for ${label} instead.`,
      };
    }
  }
  return { ...base, status: 'ok', kind: null, reason: null };
}

/** Null when `local` is inside active hours; otherwise the instant they next begin. */
export function nextActiveStart(local: LocalTime, zone: string, hours: ActiveHoursSettings): Date | null {
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const minute = local.hour * 60 + local.minute;
  if (hours.weekdays.includes(local.weekday) && minute >= start && minute < end) return null;
  for (let offset = 0; offset <= 7; offset++) {
    const day = addLocalDays(local, offset);
    if (!hours.weekdays.includes(day.weekday)) continue;
    if (offset === 0 && minute >= start) continue;
    return instantOf({ ...day, hour: Math.floor(start / 60), minute: start % 60 }, zone);
  }
  return null;
}

function describeHours(hours: ActiveHoursSettings, locale: string): string {
  const sorted = [...hours.weekdays].sort();
  const days =
    sorted.join() === '1,2,3,4,5' ? 'weekdays' : sorted.map((day) => weekdayName(day, locale, 'short')).join(', ');
  return `${days} ${hours.start}–${hours.end}`;
}

function weekdayName(isoWeekday: number, locale: string, width: 'short' | 'long'): string {
  // 2024-01-01 was a Monday.
  return dateFormat(locale, { weekday: width, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, isoWeekday)));
}

function shortDate(instant: Date, locale: string, zone: string, withWeekday = false): string {
  return dateFormat(locale, {
    ...(withWeekday ? { weekday: 'short' as const } : {}),
    month: 'short',
    day: 'numeric',
    timeZone: zone,
  }).format(instant);
}
