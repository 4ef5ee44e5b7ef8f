/**
 * Builds the values a template is rendered with, from an account, its recipient, the sender and
 * the evidence. Formatting happens here, once, in the account's locale and currency; fallbacks for
 * missing data happen here too, so no template ever shows a blank where a word should be.
 */
import { daysBetween } from '../contract/dates.ts';
import { TRIGGER_IDS, type TriggerId } from '../risk/catalog.ts';
import { customerEvidence, type CustomerEvidence } from './evidence.ts';
import { formatDay, formatInteger, formatMoney, TEMPLATE_LANGUAGE, textLocale } from './format.ts';
import { DEFAULT_OUTREACH_SETTINGS, type LinkSettings, type SenderSettings } from './settings.ts';
import type { TemplateView } from './tokens.ts';

export interface ViewAccount {
  account_id: string;
  name: string;
  plan: string | null;
  arr: number;
  currency: string;
  seats_purchased: number | null;
  usage_limit: number | null;
  renewal_date: string | null;
  created_at: string | null;
  locale: string | null;
  owner_email: string | null;
}

export interface Recipient {
  contactId: string | null;
  name: string | null;
  email: string | null;
  /** For SMS: a normalised phone number, or null. */
  phone?: string | null;
  role: string | null;
  isChampion: boolean;
}

export interface Sender {
  name: string;
  firstName: string;
  email: string | null;
  phone: string | null;
  bookingLink: string;
  /** False when the account has no owner and the name is a team fallback. */
  known: boolean;
}

export const FIRST_NAME_FALLBACK = 'there';

/** The first word of a name, or "there" ("Hi there,") when the name is blank. */
export function firstNameOf(name: string | null | undefined): string {
  const first = (name ?? '').trim().split(/\s+/)[0] ?? '';
  return first === '' ? FIRST_NAME_FALLBACK : first;
}

/**
 * The person who signs: the account owner, named from Settings or else from the address
 * ("maya.chen@…" → "Maya Chen"); without an owner, the team.
 */
export function senderFor(
  ownerEmail: string | null,
  senders: Record<string, SenderSettings>,
  links: LinkSettings,
): Sender {
  if (!ownerEmail) {
    return {
      name: 'The Customer Success team',
      firstName: 'the Customer Success team',
      email: null,
      phone: null,
      bookingLink: links.app,
      known: false,
    };
  }
  const configured = senders[ownerEmail.toLowerCase()] ?? senders[ownerEmail] ?? {};
  const local = ownerEmail.split('@')[0] ?? ownerEmail;
  const derived = local
    .split(/[._+-]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
  const name = configured.name?.trim() || derived || ownerEmail;
  const slug = local
    .toLowerCase()
    .split(/[._+]+/)
    .filter(Boolean)
    .join('-');
  return {
    name,
    firstName: name.split(/\s+/)[0] ?? name,
    email: ownerEmail,
    phone: configured.phone?.trim() || null,
    bookingLink: configured.bookingLink || links.booking.split('{local}').join(encodeURIComponent(slug)),
    known: true,
  };
}

/** The success plan's next open goal (success-plan/goals.ts `nextGoal`). */
export interface ViewGoal {
  title: string;
  dueOn: string;
  metric: string | null;
}

export interface ViewSource {
  account: ViewAccount;
  recipient: Recipient | null;
  sender: Sender;
  evidence: CustomerEvidence;
  links: LinkSettings;
  /** YYYY-MM-DD, for "days until renewal". */
  asOf: string;
  /** The template's language (default English): dates and numbers are written in it. */
  language?: string;
  nextGoal?: ViewGoal | null;
}

export function buildView({
  account,
  recipient,
  sender,
  evidence,
  links,
  asOf,
  language,
  nextGoal,
}: ViewSource): TemplateView {
  const locale = textLocale(language ?? TEMPLATE_LANGUAGE, account.locale);
  const renewalDays = account.renewal_date ? daysBetween(asOf, account.renewal_date) : null;
  const recipientName = recipient?.name?.trim() ?? '';
  return {
    account: {
      name: account.name,
      arr: formatMoney(account.arr, account.currency, locale),
      seats: account.seats_purchased !== null ? formatInteger(account.seats_purchased, locale) : '',
    },
    contact: {
      first_name: firstNameOf(recipientName),
      name: recipientName || FIRST_NAME_FALLBACK,
      email: recipient?.email ?? '',
      role: recipient?.role ?? '',
    },
    csm: {
      name: sender.name,
      first_name: sender.firstName,
      email: sender.email ?? '',
      phone: sender.phone ?? '',
      booking_link: sender.bookingLink,
    },
    plan: {
      name: account.plan?.trim() || 'your plan',
      limit: account.usage_limit !== null ? formatInteger(account.usage_limit, locale) : '',
    },
    renewal: {
      date: account.renewal_date ? formatDay(account.renewal_date, locale) : 'your renewal date',
      days: renewalDays !== null && renewalDays >= 0 ? formatInteger(renewalDays, locale) : '',
    },
    evidence: { ...evidence },
    next_goal: {
      title: nextGoal?.title ?? '',
      due: nextGoal ? formatDay(nextGoal.dueOn, locale) : '',
      metric: nextGoal?.metric ?? '',
    },
    links: {
      app: links.app,
      billing: links.billing,
      setup: links.setup,
      team: links.team,
      plans: links.plans,
      help: links.help,
      status: links.status,
      feedback: links.feedback,
    },
  };
}

/** The account the template editor previews against when no real account is chosen. */
export const SAMPLE_ACCOUNT: ViewAccount = {
  account_id: 'sample',
  name: 'Acme Corp',
  plan: 'Business',
  arr: 48000,
  currency: 'USD',
  seats_purchased: 40,
  usage_limit: 6000,
  renewal_date: null,
  created_at: null,
  locale: 'en-US',
  owner_email: 'maya.chen@foresight.example',
};

export const SAMPLE_GOAL: ViewGoal = {
  title: 'Roll out to the support team',
  dueOn: '2026-04-30',
  metric: '40 weekly active users',
};

export const SAMPLE_RECIPIENT: Recipient = {
  contactId: null,
  name: 'Ana Silva',
  email: 'ana.silva@acme.example',
  role: 'Head of Operations',
  isChampion: true,
};

/** A realistic view for a template on its own: the sample account, and evidence worded without facts. */
export function sampleView(triggerId: string | null, asOf: string): TemplateView {
  const links = DEFAULT_OUTREACH_SETTINGS.links;
  const trigger = (TRIGGER_IDS as readonly string[]).includes(triggerId ?? '') ? (triggerId as TriggerId) : null;
  const inDays = (days: number) =>
    new Date(Date.parse(`${asOf}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const renewal = inDays(60);
  const account = { ...SAMPLE_ACCOUNT, renewal_date: renewal };
  return buildView({
    account,
    recipient: SAMPLE_RECIPIENT,
    sender: senderFor(account.owner_email, {}, links),
    evidence: customerEvidence(trigger, '{}', {
      locale: account.locale,
      seatsPurchased: account.seats_purchased,
      renewalDate: renewal,
      createdAt: null,
      contactNames: new Map(),
    }),
    links,
    asOf,
    nextGoal: { ...SAMPLE_GOAL, dueOn: inDays(45) },
  });
}
