/**
 * Every setting a person can change, in words: a label, its unit and one line of help. This is the
 * one place that wording lives; Settings, the validation sentences (settings-issues.ts) and the
 * settings reference in docs/settings.md read it, and test/unit/settings-fields.test.ts checks
 * that every component parameter, trigger parameter and outreach setting has an entry here and
 * that no entry outlives its setting.
 *
 * Keys are the setting's path in its document: `components.<component>.<param>`, `bands.<name>`,
 * `triggers.<trigger>.params.<param>` (the score configuration) and `fatigue.<name>`,
 * `activeHours.<name>`, `senders.<name>` (the outreach settings).
 */

/** How a value is counted; `fraction` values are stored 0–1 and read as a share (0.7 = 70%). */
export type FieldUnit = 'days' | 'fraction' | 'multiple' | 'points' | 'count' | 'score' | 'weight' | 'time' | 'text';

export interface FieldDescription {
  /** Sentence-case words, no unit: "Recent window". */
  label: string;
  unit: FieldUnit;
  /** One line under the field: what it changes, in the CSM's words. */
  help: string;
  /** What a sentence calls it when the label does not read as one ("number of … allowed"). */
  noun?: string;
}

const UNIT_WORDS: Record<FieldUnit, string | null> = {
  days: 'days',
  fraction: '0–1, 0.7 = 70%',
  multiple: '× usual',
  points: 'points of 100',
  count: 'number',
  score: 'NPS 0–10',
  weight: 'relative',
  time: 'HH:MM',
  text: null,
};

/** "Recent window (days)": the label with its unit, for a field's visible label. */
export function labelWithUnit(field: FieldDescription): string {
  const unit = UNIT_WORDS[field.unit];
  return unit ? `${field.label} (${unit})` : field.label;
}

const f = (label: string, unit: FieldUnit, help: string, noun?: string): FieldDescription => ({
  label,
  unit,
  help,
  ...(noun ? { noun } : {}),
});
const weight = (what: string) =>
  f('Weight', 'weight', `How much ${what} counts in the health score against the other components.`);
const firing = (help: string) => f('Firing level', 'fraction', help);

/** Score components: `components.<id>.<param>`. */
export const COMPONENT_FIELDS: Record<string, Record<string, FieldDescription>> = {
  usage_trend: {
    weight: weight('the usage trend'),
    recentDays: f('Recent window', 'days', 'Usage over these last days is compared with the usual level.'),
    baselineDays: f('Usual-level window', 'days', 'The days before the recent window that set the usual level.'),
    minBaselineDays: f('Days of history needed', 'days', 'With fewer days of usage data, no trend is scored.'),
    minBaselineMean: f('Smallest usual level', 'count', 'A usual level below this is too small to compare with.'),
    zeroAtRatio: f(
      'Level that scores 0',
      'fraction',
      'Recent usage at or below this share of the usual level scores 0.',
    ),
    fullAtRatio: f(
      'Level that scores 100',
      'fraction',
      'Recent usage at this share of the usual level or more scores 100.',
    ),
  },
  adoption: {
    weight: weight('seat utilisation'),
    recentDays: f('Recent window', 'days', 'Seats in use are averaged over these last days.'),
    zeroAtUtilisation: f(
      'Level that scores 0',
      'fraction',
      'Seats in use at or below this share of those bought score 0.',
    ),
    fullAtUtilisation: f(
      'Level that scores 100',
      'fraction',
      'Seats in use at this share of those bought or more score 100.',
    ),
  },
  billing: {
    weight: weight('billing health'),
    windowDays: f('Recent window', 'days', 'Failed payments in these last days lower the score.'),
    lookbackDays: f('History read', 'days', 'How far back payments are read to find the latest state.'),
    penaltyPerFailure: f('Penalty per failed payment', 'points', 'Points taken off for each recent failed payment.'),
  },
  engagement: {
    weight: weight('engagement recency'),
    fullWithinDays: f('Recency that scores 100', 'days', 'Activity at most this many days ago scores 100.'),
    zeroAfterDays: f('Silence that scores 0', 'days', 'No activity for this many days scores 0.'),
  },
  support: {
    weight: weight('support burden'),
    windowDays: f('Recent window', 'days', 'Tickets opened in these last days are compared with the usual rate.'),
    baselineDays: f('Usual-rate window', 'days', 'The days before the recent window that set the usual ticket rate.'),
    fullAtMultiple: f(
      'Ticket level that scores 100',
      'multiple',
      'Tickets up to this multiple of the usual rate score 100.',
    ),
    zeroAtMultiple: f(
      'Ticket level that scores 0',
      'multiple',
      'Tickets at this multiple of the usual rate or more score 0.',
    ),
    escalationDays: f('Escalation window', 'days', 'An escalated ticket in these last days lowers the score.'),
    escalationPenalty: f('Escalation penalty', 'points', 'Points taken off for a recent escalation.'),
  },
  sentiment: {
    weight: weight('NPS sentiment'),
    windowDays: f('Answers read', 'days', 'Only NPS answers from these last days count.'),
    detractorMax: f('Highest detractor answer', 'score', 'Answers up to this are detractors (6 in standard NPS).'),
    detractorTop: f('Best detractor score', 'points', 'The highest score a detractor answer can give.'),
    passiveFloor: f('Lowest passive score', 'points', 'The score the lowest answer above a detractor gives.'),
  },
  relationship: {
    weight: weight('the relationship'),
    championPoints: f('Champion points', 'points', 'Points for having an active champion at the account.'),
    touchFullWithinDays: f(
      'Touch recency that scores full',
      'days',
      'A CSM touch at most this many days ago scores full marks.',
    ),
    touchZeroAfterDays: f('Touch gap that scores 0', 'days', 'No CSM touch for this many days scores no touch points.'),
  },
};

/** The health bands: `bands.<name>`. */
export const BAND_FIELDS: Record<string, FieldDescription> = {
  redBelow: f('Red below', 'points', 'Health scores below this are red.'),
  greenFrom: f('Green from', 'points', 'Health scores from this up are green; in between is yellow.'),
};

/** Plays: `triggers.<id>.params.<param>`. */
export const TRIGGER_FIELDS: Record<string, Record<string, FieldDescription>> = {
  setup_incomplete: {
    minAgeDays: f('Youngest account checked', 'days', 'Younger accounts still have time to finish setup.'),
    maxAgeDays: f('Oldest account checked', 'days', 'Older accounts are past onboarding and no longer checked.'),
  },
  onboarding_stalled: {
    daysSinceOnboarding: f('Days after onboarding', 'days', 'Fires when the core feature is unused this long after.'),
  },
  payment_failing: {
    failures: f('Failed payments', 'count', 'This many failures in the window, with no success since, fire it.'),
    windowDays: f('Window', 'days', 'Failed payments in these last days count.'),
  },
  power_user_dormant: {
    quietDays: f('Quiet spell', 'days', 'A regular user with no login for this many days fires it.'),
    baselineDays: f('Usual-use window', 'days', 'The days before the quiet spell in which the user was regular.'),
    activeDaysInBaseline: f('Active days needed', 'count', 'Days with a login in that window to count as regular.'),
  },
  usage_drop: {
    recentDays: f('Recent window', 'days', 'Active users over these last days are compared with the usual level.'),
    baselineDays: f('Usual-level window', 'days', 'The days before the recent window that set the usual level.'),
    maxShare: firing('Recent usage under this share of the usual level fires it.'),
    minBaseline: f('Smallest usual level', 'count', 'Accounts with fewer usual active users are not checked.'),
  },
  seat_drop: {
    recentDays: f('Recent window', 'days', 'Seats in use over these last days are compared with the prior level.'),
    baselineDays: f('Prior window', 'days', 'The days before the recent window that set the prior level.'),
    maxShare: firing('Seats in use under this share of the prior level fire it.'),
  },
  seat_underuse: {
    maxUtilisation: firing('Seats in use under this share of those bought fire it.'),
    minAgeDays: f('Youngest account checked', 'days', 'Younger accounts are still rolling out and are not checked.'),
  },
  approaching_limit: {
    recentDays: f('Recent window', 'days', 'Usage over these last days is compared with the plan limit.'),
    minShareOfLimit: firing('Usage at this share of the plan limit or more fires it.'),
  },
  renewal_at_risk: {
    withinDays: f('Renewal window', 'days', 'A red or yellow account renewing within this many days fires it.'),
  },
  champion_left: {
    windowDays: f('Window', 'days', 'A champion who left in these last days, with nobody taking over, fires it.'),
  },
  support_surge: {
    windowDays: f('Recent window', 'days', 'Tickets opened in these last days are compared with the usual rate.'),
    minTickets: f('Fewest tickets', 'count', 'Fewer recent tickets than this never count as a surge.'),
    multiple: f('Firing level', 'multiple', 'Recent tickets at this multiple of the usual rate or more fire it.'),
    baselineDays: f('Usual-rate window', 'days', 'The days before the recent window that set the usual rate.'),
    escalationDays: f('Escalation window', 'days', 'An escalated ticket in these last days fires it too.'),
  },
  detractor: {
    windowDays: f('Answer window', 'days', 'Only an NPS answer from these last days can fire it.'),
    maxScore: f('Highest detractor answer', 'score', 'An answer at or below this fires it.'),
  },
  silent_churn: {
    quietDays: f('Quiet spell', 'days', 'Falling usage and no conversation for this many days fire it.'),
  },
  performance_degradation: {
    recentDays: f('Recent window', 'days', 'Response times over these last days are compared with the norm.'),
    baselineDays: f('Norm window', 'days', 'The days before the recent window that set the normal response time.'),
    minShare: f('Firing level', 'multiple', 'Response times at this multiple of the norm or more fire it.'),
  },
  integration_failing: {
    failures: f('Failed syncs', 'count', 'This many failed syncs in the window fire it.'),
    windowDays: f('Window', 'days', 'Failed syncs in these last days count.'),
  },
  milestone_reached: {
    meanDays: f('Averaging window', 'days', 'Active users are averaged over this many days.'),
    highDays: f('New-high window', 'days', 'The average must be the highest of this many days.'),
    minGrowth: f('Growth needed', 'fraction', 'The average must have grown by at least this share.'),
    minAgeDays: f('Youngest account checked', 'days', 'Growth of younger accounts is onboarding, not a milestone.'),
  },
};

/** Outreach settings: `fatigue.<name>`, `activeHours.<name>`, `senders.<address>.<name>`. */
export const OUTREACH_FIELDS: Record<'fatigue' | 'activeHours' | 'senders', Record<string, FieldDescription>> = {
  fatigue: {
    maxTouches: f(
      'Proactive touches allowed',
      'count',
      'An account gets at most this many proactive messages in the period…',
      'number of proactive touches allowed',
    ),
    windowDays: f('Fatigue period', 'days', '…and the next one waits until the period allows it.'),
  },
  activeHours: {
    start: f('Working hours start', 'time', "Messages wait until this time in the customer's time zone."),
    end: f('Working hours end', 'time', 'Messages due after this time wait for the next working day.'),
    weekdays: f(
      'Working days',
      'text',
      'Messages due on other days wait for the next working day.',
      'list of working days',
    ),
    channels: f(
      'Channels that wait',
      'text',
      'Only these channels wait for working hours.',
      'list of channels that wait',
    ),
    fallbackTimeZone: f(
      'Time zone when unknown',
      'text',
      'Used for accounts with no time zone on record, e.g. Europe/Berlin.',
    ),
  },
  senders: {
    email: f(
      'Your email address',
      'text',
      'The account-owner address these details belong to; empty: your email from Preferences.',
      'sender’s email address',
    ),
    name: f('Name', 'text', 'How you sign messages; empty: taken from the address.', 'sender’s name'),
    phone: f('Phone', 'text', 'Shown in your signature so customers can call you.', 'sender’s phone'),
    bookingLink: f(
      'Booking link',
      'text',
      'Where customers book a call with you; empty: the team default.',
      'sender’s booking link',
    ),
  },
};

/** What each score component is called inside a sentence ("the usage trend weight"). */
export const COMPONENT_NOUNS: Record<string, string> = {
  usage_trend: 'usage trend',
  adoption: 'seat utilisation',
  billing: 'billing',
  engagement: 'engagement',
  support: 'support',
  sentiment: 'NPS sentiment',
  relationship: 'relationship',
};

/** Display names of triggers (the modules' labels), for sentences; the id with spaces without it. */
export type TriggerNames = (id: string) => string | undefined;

interface Owner {
  owner: string;
  field?: FieldDescription;
}

/** Which setting a path names, and what it belongs to. */
function ownerOf(path: readonly PropertyKey[], triggerName: TriggerNames): Owner {
  const [root, id, third, fourth] = path.map(String);
  if (root === 'components' && id)
    return {
      owner: COMPONENT_NOUNS[id] ?? id.replace(/_/g, ' '),
      field: third ? COMPONENT_FIELDS[id]?.[third] : undefined,
    };
  if (root === 'triggers' && id)
    return {
      owner: triggerName(id) ?? id.replace(/_/g, ' '),
      field: fourth ? TRIGGER_FIELDS[id]?.[fourth] : undefined,
    };
  if (root === 'bands') return { owner: 'health bands', field: id ? BAND_FIELDS[id] : undefined };
  if (root === 'fatigue') return { owner: 'fatigue cap', field: id ? OUTREACH_FIELDS.fatigue[id] : undefined };
  if (root === 'activeHours')
    return { owner: 'working hours', field: id ? OUTREACH_FIELDS.activeHours[id] : undefined };
  if (root === 'senders') return { owner: 'sender', field: OUTREACH_FIELDS.senders[third ?? 'email'] };
  return { owner: path.map(String).join(' ') || 'setting' };
}

/** The field at a path, if it is one a person edits. */
export function fieldAt(path: readonly PropertyKey[]): FieldDescription | undefined {
  if (path[0] === 'segments') return fieldAt(path.slice(2));
  return ownerOf(path, () => undefined).field;
}

const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * The subject of a sentence about the setting at `path`, lower case: "the usage trend weight",
 * "the “Usage drop” play’s recent window", "the number of proactive touches allowed".
 */
export function subjectOf(path: readonly PropertyKey[], triggerName: TriggerNames = () => undefined): string {
  // A segment's override: `segments.<name>.components.<id>.<param>`.
  if (path[0] === 'segments' && path.length > 2)
    return `${subjectOf(path.slice(2), triggerName)} for the ${String(path[1])} segment`;
  const { owner, field } = ownerOf(path, triggerName);
  if (!field) return path[0] === 'triggers' ? `the “${owner}” play` : `the ${owner}`;
  const noun = field.noun ?? lower(field.label);
  if (path[0] === 'bands') return `the “${field.label}” limit`;
  if (path[0] === 'triggers') return `the “${owner}” play’s ${noun}`;
  if (path[0] === 'components') return `the ${owner} ${noun}`;
  return `the ${noun}`;
}
