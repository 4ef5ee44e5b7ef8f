/**
 * The built-in plays, evaluated for one account on one day. Every threshold comes from the
 * trigger's `params` (catalog defaults, overridden by the score configuration); the code here only
 * says what the numbers are compared with. Each check returns whether it fired, one sentence a
 * CSM can read (the evidence when it fired, the current state when it did not, which becomes the
 * reason an open item is resolved), and machine-readable facts for outreach and interventions.
 */
import { countBetween, eventsOf, lastIndexOnOrBefore, type AccountBundle, type Series } from './bundle.ts';
import { championState, usageSeries } from './components.ts';
import type { EffectiveTrigger } from './config.ts';
import type { TriggerId } from './catalog.ts';
import { dayNumber, dayString } from './days.ts';
import { ago, dayAgo, num, percent, plural, signedPercent } from './explain.ts';

export type Band = 'red' | 'yellow' | 'green';

export interface TriggerCheck {
  id: TriggerId;
  fired: boolean;
  /** Evidence when fired; the current state otherwise ('' when it was not asked for). */
  text: string;
  facts: Record<string, unknown>;
}

export interface TriggerContext {
  bundle: AccountBundle;
  day: number;
  band: Band | null;
  score: number | null;
  /** The component costing the most points today, for the renewal evidence. */
  weakest?: { label: string; score: number } | null;
}

/** A window counts only when at least this share of its days has data, so a gap is not a drop. */
export const MIN_WINDOW_COVERAGE = 0.5;

type Params = Record<string, number>;
/** Sentences are built only when someone reads them: most checks do not fire and nobody does. */
type Check = (ctx: TriggerContext, p: Params) => { fired: boolean; text: () => string; facts: Record<string, unknown> };

const covered = (days: number) => Math.max(1, Math.ceil(days * MIN_WINDOW_COVERAGE));

function ageDays(ctx: TriggerContext): number | null {
  const created = ctx.bundle.account.created_at;
  return created ? ctx.day - dayNumber(created) : null;
}

function meanDrop(series: Series, day: number, recentDays: number, baselineDays: number) {
  const recentFrom = day - recentDays + 1;
  const recent = series.mean(recentFrom, day, covered(recentDays));
  const baseline = series.mean(recentFrom - baselineDays, recentFrom - 1, covered(baselineDays));
  return recent && baseline
    ? { recent: recent.mean, baseline: baseline.mean, share: baseline.mean > 0 ? recent.mean / baseline.mean : null }
    : null;
}

const setupIncomplete: Check = ({ bundle, day, ...rest }, p) => {
  const age = ageDays({ bundle, day, ...rest });
  if (age === null) return { fired: false, text: () => 'No creation date on record.', facts: {} };
  const createdAt = bundle.account.created_at as string;
  const setup = eventsOf(bundle, 'setup_completed');
  const done = lastIndexOnOrBefore(setup, day);
  const facts = { createdAt, ageDays: age };
  if (done >= 0)
    return { fired: false, text: () => `Setup completed on ${dayAgo(setup.days[done] as number, day)}.`, facts };
  if (age < (p.minAgeDays ?? 3))
    return { fired: false, text: () => `Created ${ago(age)}; setup is not late yet.`, facts };
  if (age >= (p.maxAgeDays ?? 60))
    return {
      fired: false,
      text: () => `The account is ${plural(age, 'day')} old, past the ${p.maxAgeDays}-day setup window.`,
      facts,
    };
  return { fired: true, text: () => `Created ${ago(age)} (${createdAt}) and setup is still not completed.`, facts };
};

const onboardingStalled: Check = ({ bundle, day }, p) => {
  const onboarded = eventsOf(bundle, 'onboarding_completed');
  const i = lastIndexOnOrBefore(onboarded, day);
  if (i < 0) return { fired: false, text: () => 'Onboarding has not been completed.', facts: {} };
  const on = onboarded.days[i] as number;
  const since = day - on;
  const core = bundle.metrics.get('core_feature_uses');
  const uses = core ? core.window(on + 1, day) : { sum: 0, n: 0 };
  const facts = { onboardedOn: dayString(on), daysSince: since, coreUsesSince: uses.sum };
  if (!core || (uses.n === 0 && since > 0))
    return { fired: false, text: () => 'No core-feature data since onboarding.', facts };
  if (uses.sum > 0)
    return {
      fired: false,
      text: () => `${plural(uses.sum, 'core feature use')} since onboarding on ${dayString(on)}.`,
      facts,
    };
  if (since < (p.daysSinceOnboarding ?? 7))
    return { fired: false, text: () => `Onboarding completed ${ago(since)}; too early to call it stalled.`, facts };
  return {
    fired: true,
    text: () => `Onboarding completed ${ago(since)} (${dayString(on)}) and the core feature has not been used since.`,
    facts,
  };
};

const paymentFailing: Check = ({ bundle, day }, p) => {
  const failed = eventsOf(bundle, 'payment_failed');
  const succeeded = eventsOf(bundle, 'payment_succeeded');
  const windowDays = p.windowDays ?? 30;
  const failures = countBetween(failed, day - windowDays + 1, day);
  const lastFail = lastIndexOnOrBefore(failed, day);
  const lastOk = lastIndexOnOrBefore(succeeded, day);
  const facts: Record<string, unknown> = {
    failures,
    windowDays,
    lastFailedOn: lastFail >= 0 ? dayString(failed.days[lastFail] as number) : null,
  };
  if (lastFail >= 0 && lastOk >= 0 && (succeeded.at[lastOk] as string) > (failed.at[lastFail] as string)) {
    return {
      fired: false,
      text: () => `A payment succeeded on ${dayString(succeeded.days[lastOk] as number)}, after the latest failure.`,
      facts,
    };
  }
  if (failures < (p.failures ?? 3))
    return { fired: false, text: () => `${plural(failures, 'failed payment')} in the last ${windowDays} days.`, facts };
  return {
    fired: true,
    text: () =>
      `${plural(failures, 'failed payment')} in the last ${windowDays} days (latest ${dayString(failed.days[lastFail] as number)}) and none has succeeded since.`,
    facts,
  };
};

const powerUserDormant: Check = ({ bundle, day }, p) => {
  const quietDays = p.quietDays ?? 10;
  const baselineDays = p.baselineDays ?? 28;
  const needed = p.activeDaysInBaseline ?? 20;
  const quietFrom = day - quietDays + 1;
  const baseFrom = quietFrom - baselineDays;
  const dormant: { id: string; name: string | null; activeDays: number; lastLogin: number | null }[] = [];
  let bestActive = 0;
  for (const [contactId, series] of bundle.contactLogins) {
    const contact = bundle.contacts.find((c) => c.contact_id === contactId);
    if (contact && !contact.active) continue;
    const activeDays = series.positiveDays(baseFrom, quietFrom - 1);
    bestActive = Math.max(bestActive, activeDays);
    if (activeDays >= needed && series.positiveDays(quietFrom, day) === 0) {
      dormant.push({
        id: contactId,
        name: contact?.name ?? null,
        activeDays,
        lastLogin: series.lastPositive(day, quietDays + baselineDays),
      });
    }
  }
  if (dormant.length === 0) {
    return {
      fired: false,
      text: () =>
        bundle.contactLogins.size === 0
          ? 'No per-person login data.'
          : `No daily user has gone quiet (most active: ${bestActive} of ${baselineDays} days).`,
      facts: {},
    };
  }
  dormant.sort((a, b) => b.activeDays - a.activeDays || a.id.localeCompare(b.id));
  const top = dormant[0]!;
  const who = top.name ?? top.id;
  const others = dormant.length > 1 ? ` (and ${plural(dormant.length - 1, 'other power user')})` : '';
  return {
    fired: true,
    text: () =>
      `${who} logged in on ${top.activeDays} of the ${baselineDays} days before the last ${quietDays}, then not once in the last ${quietDays} days${others}.`,
    facts: {
      contactId: top.id,
      contactName: top.name,
      activeDays: top.activeDays,
      lastLoginOn: top.lastLogin !== null ? dayString(top.lastLogin) : null,
      quietDays,
      dormantContacts: dormant.map((d) => d.id),
    },
  };
};

function usageDropState(ctx: TriggerContext, p: Params) {
  const recentDays = p.recentDays ?? 14;
  const baselineDays = p.baselineDays ?? 28;
  const found = usageSeries(ctx.bundle, ctx.day - recentDays - baselineDays + 1, ctx.day);
  const drop = found ? meanDrop(found.series, ctx.day, recentDays, baselineDays) : null;
  if (!found || !drop)
    return { holds: false, text: () => 'Not enough active-user or usage history to compare.', facts: {} };
  const label = found.metric === 'active_users' ? 'Active users' : 'Usage';
  const share = drop.share;
  const facts = {
    metric: found.metric,
    recent: drop.recent,
    baseline: drop.baseline,
    share,
    dropShare: share === null ? null : Math.max(0, 1 - share),
    recentDays,
    baselineDays,
  };
  const sentence = () =>
    `${label} ${recentDays}-day mean ${num(drop.recent)} vs the preceding ${baselineDays}-day mean ${num(drop.baseline)}${share === null ? '' : ` (${signedPercent(share - 1)})`}`;
  const holds = drop.baseline >= (p.minBaseline ?? 5) && share !== null && share <= (p.maxShare ?? 0.7);
  return { holds, text: sentence, facts };
}

function seatDropState(ctx: TriggerContext, p: Params) {
  const recentDays = p.recentDays ?? 7;
  const baselineDays = p.baselineDays ?? 28;
  const series = ctx.bundle.metrics.get('seats_used');
  const drop = series ? meanDrop(series, ctx.day, recentDays, baselineDays) : null;
  if (!drop) return { holds: false, text: () => 'Not enough seats_used history to compare.', facts: {} };
  const share = drop.share;
  const facts = {
    recent: drop.recent,
    baseline: drop.baseline,
    share,
    dropShare: share === null ? null : Math.max(0, 1 - share),
    recentDays,
    baselineDays,
  };
  const holds = drop.baseline > 0 && share !== null && share <= (p.maxShare ?? 0.8);
  return {
    holds,
    text: () =>
      `Seats used ${recentDays}-day mean ${num(drop.recent)} vs the prior ${baselineDays}-day mean ${num(drop.baseline)}${share === null ? '' : ` (${signedPercent(share - 1)})`}`,
    facts,
  };
}

const usageDrop: Check = (ctx, p) => {
  const s = usageDropState(ctx, p);
  if (s.holds) return { fired: true, text: () => `${s.text()}.`, facts: s.facts };
  const baseline = (s.facts as { baseline?: number }).baseline;
  const note =
    baseline !== undefined && baseline < (p.minBaseline ?? 5)
      ? `; the baseline is below ${p.minBaseline ?? 5}, too small to judge`
      : '';
  return { fired: false, text: () => `${s.text()}${note}.`, facts: s.facts };
};

const seatDrop: Check = (ctx, p) => {
  const s = seatDropState(ctx, p);
  return { fired: s.holds, text: () => `${s.text()}.`, facts: s.facts };
};

const seatUnderuse: Check = (ctx, p) => {
  const { bundle, day } = ctx;
  const purchased = bundle.account.seats_purchased;
  const age = ageDays(ctx);
  if (!purchased) return { fired: false, text: () => 'No seats purchased on record.', facts: {} };
  const used = bundle.metrics.get('seats_used')?.mean(day - 6, day, 1);
  if (!used) return { fired: false, text: () => 'No seats_used data in the last 7 days.', facts: {} };
  const utilisation = used.mean / purchased;
  const facts = { seatsUsed: used.mean, seatsPurchased: purchased, utilisation, ageDays: age };
  const sentence = () =>
    `${num(used.mean)} of ${plural(purchased, 'seat')} in use (${percent(utilisation)}, 7-day mean)`;
  if (age === null) return { fired: false, text: () => `${sentence()}; account age unknown.`, facts };
  if (age <= (p.minAgeDays ?? 90))
    return { fired: false, text: () => `${sentence()}; the account is only ${plural(age, 'day')} old.`, facts };
  if (utilisation >= (p.maxUtilisation ?? 0.5)) return { fired: false, text: () => `${sentence()}.`, facts };
  return { fired: true, text: () => `${sentence()} on an account ${plural(age, 'day')} old.`, facts };
};

const approachingLimit: Check = ({ bundle, day }, p) => {
  const limit = bundle.account.usage_limit;
  const recentDays = p.recentDays ?? 7;
  if (!limit) return { fired: false, text: () => 'No usage limit on record.', facts: {} };
  const usage = bundle.metrics.get('usage')?.mean(day - recentDays + 1, day, 1);
  if (!usage) return { fired: false, text: () => `No usage data in the last ${recentDays} days.`, facts: {} };
  const shareOfLimit = usage.mean / limit;
  const facts = { recent: usage.mean, usageLimit: limit, shareOfLimit };
  const sentence = () =>
    `Usage ${recentDays}-day mean ${num(usage.mean)} of the plan limit ${num(limit)} (${percent(shareOfLimit)})`;
  return { fired: shareOfLimit >= (p.minShareOfLimit ?? 0.8), text: () => `${sentence()}.`, facts };
};

const renewalAtRisk: Check = ({ bundle, day, band, score, weakest }, p) => {
  const renewal = bundle.account.renewal_date;
  if (!renewal) return { fired: false, text: () => 'No renewal date on record.', facts: {} };
  const days = dayNumber(renewal) - day;
  const facts = { renewalDate: renewal, daysToRenewal: days, band, score };
  const within = p.withinDays ?? 90;
  if (days < 0) return { fired: false, text: () => `The renewal date ${renewal} has passed.`, facts };
  if (days > within)
    return {
      fired: false,
      text: () => `Renews in ${plural(days, 'day')} (${renewal}), outside the ${within}-day window.`,
      facts,
    };
  if (band !== 'red' && band !== 'yellow')
    return {
      fired: false,
      text: () => `Renews in ${plural(days, 'day')} (${renewal}) with a ${band ?? 'unknown'} score.`,
      facts,
    };
  const why = weakest ? `; weakest: ${weakest.label.toLowerCase()} ${Math.round(weakest.score)}/100` : '';
  return {
    fired: true,
    text: () => `Renews in ${plural(days, 'day')} (${renewal}) with a ${band} health score of ${score}${why}.`,
    facts,
  };
};

const championLeft: Check = ({ bundle, day }, p) => {
  const windowDays = p.windowDays ?? 30;
  const left = eventsOf(bundle, 'champion_left');
  const assigned = eventsOf(bundle, 'champion_assigned');
  const l = lastIndexOnOrBefore(left, day);
  const a = lastIndexOnOrBefore(assigned, day);
  const state = championState(bundle, day);
  const nameOf = (id: string | null) => (id ? (bundle.contacts.find((c) => c.contact_id === id)?.name ?? id) : null);
  const recentLeft = l >= 0 && (left.days[l] as number) >= day - windowDays + 1;
  const replaced = l >= 0 && a >= 0 && (assigned.at[a] as string) > (left.at[l] as string);
  const hasActiveChampion = bundle.contacts.some((c) => c.is_champion && c.active);
  const hadChampion = l >= 0 || bundle.contacts.some((c) => c.is_champion && !c.active);
  const leftName = l >= 0 ? nameOf(left.contacts[l] ?? null) : null;
  const facts = {
    contactId: l >= 0 ? (left.contacts[l] ?? null) : null,
    contactName: leftName,
    leftOn: l >= 0 ? dayString(left.days[l] as number) : null,
    activeChampion: hasActiveChampion,
  };
  if (recentLeft && !replaced) {
    return {
      fired: true,
      text: () =>
        `Champion ${leftName ?? '(unnamed)'} left ${dayAgo(left.days[l] as number, day)} and no new champion has been assigned.`,
      facts,
    };
  }
  if (!hasActiveChampion && hadChampion && !(replaced && state.present)) {
    const since = l >= 0 ? ` since ${leftName ?? 'the champion'} left ${dayAgo(left.days[l] as number, day)}` : '';
    return { fired: true, text: () => `No active champion contact remains${since}.`, facts };
  }
  if (state.present) return { fired: false, text: () => `Champion ${state.name ?? '(unnamed)'} is in place.`, facts };
  return { fired: false, text: () => 'No champion on record.', facts };
};

const supportSurge: Check = ({ bundle, day }, p) => {
  const windowDays = p.windowDays ?? 30;
  const baselineDays = p.baselineDays ?? 90;
  const escalationDays = p.escalationDays ?? 14;
  const opened = eventsOf(bundle, 'ticket_opened');
  const escalated = eventsOf(bundle, 'ticket_escalated');
  const from = day - windowDays + 1;
  const tickets = countBetween(opened, from, day);
  const baselineMonthly = (countBetween(opened, from - baselineDays, from - 1) * windowDays) / baselineDays;
  const escalations = countBetween(escalated, day - escalationDays + 1, day);
  const last = lastIndexOnOrBefore(escalated, day);
  const facts = {
    tickets,
    baselineMonthly,
    multiple: baselineMonthly > 0 ? tickets / baselineMonthly : null,
    escalations,
    lastEscalatedOn: last >= 0 ? dayString(escalated.days[last] as number) : null,
    windowDays,
  };
  const surge = tickets >= (p.minTickets ?? 3) && tickets >= (p.multiple ?? 2) * baselineMonthly;
  const ticketText = () =>
    `${plural(tickets, 'ticket')} opened in the last ${windowDays} days vs ${num(baselineMonthly)}/month over the prior ${baselineDays} days`;
  if (surge && escalations > 0)
    return {
      fired: true,
      text: () => `${ticketText()}, and ${plural(escalations, 'escalation')} in ${escalationDays} days.`,
      facts,
    };
  if (surge) return { fired: true, text: () => `${ticketText()}.`, facts };
  if (escalations > 0)
    return {
      fired: true,
      text: () => `A ticket was escalated ${dayAgo(escalated.days[last] as number, day)}; ${ticketText()}.`,
      facts,
    };
  return { fired: false, text: () => `${ticketText()}; no escalation in ${escalationDays} days.`, facts };
};

const detractor: Check = ({ bundle, day }, p) => {
  const nps = eventsOf(bundle, 'nps_response');
  const i = lastIndexOnOrBefore(nps, day);
  const windowDays = p.windowDays ?? 60;
  if (i < 0 || nps.values[i] === null) return { fired: false, text: () => 'No NPS response on record.', facts: {} };
  const on = nps.days[i] as number;
  const score = nps.values[i] as number;
  const facts = { score, respondedOn: dayString(on), contactId: nps.contacts[i] ?? null };
  if (on < day - windowDays + 1)
    return { fired: false, text: () => `The latest NPS answer (${score}) is older than ${windowDays} days.`, facts };
  return { fired: score <= (p.maxScore ?? 6), text: () => `Latest NPS answer ${score} on ${dayAgo(on, day)}.`, facts };
};

export interface SilentChurnInputs {
  usageDrop: Params;
  seatDrop: Params;
}

function silentChurnCheck(inputs: SilentChurnInputs): Check {
  return (ctx, p) => {
    const quietDays = p.quietDays ?? 60;
    const usage = usageDropState(ctx, inputs.usageDrop);
    const seats = seatDropState(ctx, inputs.seatDrop);
    const from = ctx.day - quietDays + 1;
    const tickets = countBetween(eventsOf(ctx.bundle, 'ticket_opened'), from, ctx.day);
    const touches = eventsOf(ctx.bundle, 'csm_touch');
    const touchCount = countBetween(touches, from, ctx.day);
    const lastTouch = lastIndexOnOrBefore(touches, ctx.day);
    const decline = usage.holds ? usage : seats.holds ? seats : null;
    const facts = {
      ...(decline?.facts ?? usage.facts),
      quietDays,
      ticketsInQuiet: tickets,
      touchesInQuiet: touchCount,
      lastTouchOn: lastTouch >= 0 ? dayString(touches.days[lastTouch] as number) : null,
    };
    if (!decline) return { fired: false, text: () => 'Neither usage nor seats have dropped.', facts };
    if (tickets > 0 || touchCount > 0) {
      return {
        fired: false,
        text: () =>
          `${decline.text()}, but there ${tickets + touchCount === 1 ? 'was' : 'were'} ${plural(tickets, 'ticket')} and ${plural(touchCount, 'CSM touch', 'CSM touches')} in the last ${quietDays} days.`,
        facts,
      };
    }
    return {
      fired: true,
      text: () => `${decline.text()}, with no ticket and no CSM touch in the last ${quietDays} days.`,
      facts,
    };
  };
}

const performanceDegradation: Check = ({ bundle, day }, p) => {
  const recentDays = p.recentDays ?? 3;
  const baselineDays = p.baselineDays ?? 28;
  const latency = bundle.metrics.get('latency_ms');
  const recentFrom = day - recentDays + 1;
  const recent = latency?.mean(recentFrom, day, covered(recentDays));
  const median = latency?.median(recentFrom - baselineDays, recentFrom - 1, covered(baselineDays));
  if (!latency || !recent || !median)
    return { fired: false, text: () => 'Not enough latency history to compare.', facts: {} };
  const ratio = median.median > 0 ? recent.mean / median.median : null;
  const threshold = p.minShare ?? 1.15;
  let since: number | null = null;
  if (ratio !== null) {
    for (let d = recentFrom - 1; d <= day; d++) {
      const v = latency.values[d - latency.start];
      if (v !== undefined && v >= threshold * median.median) {
        since = d;
        break;
      }
    }
  }
  const facts = {
    recent: recent.mean,
    baseline: median.median,
    ratio,
    since: since !== null ? dayString(since) : null,
  };
  const text = () =>
    `Latency ${recentDays}-day mean ${num(recent.mean)} ms vs the ${baselineDays}-day median ${num(median.median)} ms${ratio === null ? '' : ` (${signedPercent(ratio - 1)})`}.`;
  return { fired: ratio !== null && ratio >= threshold, text, facts };
};

const checksByCatalog = new WeakMap<Record<TriggerId, EffectiveTrigger>, Record<TriggerId, Check>>();

function checksFor(triggers: Record<TriggerId, EffectiveTrigger>): Record<TriggerId, Check> {
  const cached = checksByCatalog.get(triggers);
  if (cached) return cached;
  const checks: Record<TriggerId, Check> = {
    setup_incomplete: setupIncomplete,
    onboarding_stalled: onboardingStalled,
    payment_failing: paymentFailing,
    power_user_dormant: powerUserDormant,
    usage_drop: usageDrop,
    seat_drop: seatDrop,
    seat_underuse: seatUnderuse,
    approaching_limit: approachingLimit,
    renewal_at_risk: renewalAtRisk,
    champion_left: championLeft,
    support_surge: supportSurge,
    detractor,
    silent_churn: silentChurnCheck({ usageDrop: triggers.usage_drop.params, seatDrop: triggers.seat_drop.params }),
    performance_degradation: performanceDegradation,
  };
  checksByCatalog.set(triggers, checks);
  return checks;
}

/**
 * Evaluates every enabled trigger for one account on one day, in catalog order. A check that did
 * not fire has its sentence written only when `wantText` asks for it (default: always).
 */
export function checkTriggers(
  ctx: TriggerContext,
  triggers: Record<TriggerId, EffectiveTrigger>,
  wantText: (id: TriggerId) => boolean = () => true,
): TriggerCheck[] {
  const checks = checksFor(triggers);
  const out: TriggerCheck[] = [];
  for (const definition of Object.values(triggers)) {
    if (!definition.enabled) continue;
    const result = checks[definition.id](ctx, definition.params);
    out.push({
      id: definition.id,
      fired: result.fired,
      text: result.fired || wantText(definition.id) ? result.text() : '',
      facts: result.facts,
    });
  }
  return out;
}
