/**
 * Composes a draft for one account: picks the trigger (the one asked for, or the account's top
 * open risk item), the recipient (the champion, else the first active contact with an address),
 * the template (the user's copy for this trigger and channel, else the built-in), then asks the
 * guard whether it may go, renders it and lints it.
 */
import { todayIso } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { accountsRepo } from '../db/repos/accounts.ts';
import { contactsRepo } from '../db/repos/contacts.ts';
import { UserFacingError } from '../errors.ts';
import { isAccountHeldOut } from '../interventions/log.ts';
import { DEFAULT_TRIGGERS, isTriggerId, type TriggerId } from '../risk/catalog.ts';
import { effectiveTriggers } from '../risk/config.ts';
import { configRepo } from '../risk/config-repo.ts';
import type { DraftRecipient, OutreachDraft, TemplateRef } from '../../shared/dto/outreach.ts';
import { hasSubject, type OutreachChannel } from './channels.ts';
import { customerEvidence, NO_EVIDENCE } from './evidence.ts';
import { evaluateGuard, recentTouches } from './fatigue.ts';
import { TEMPLATE_LANGUAGE, textLocale } from './format.ts';
import { lintMessage } from './lint.ts';
import { renderText } from './render.ts';
import { loadOutreachSettings } from './settings.ts';
import { getTemplate, listTemplates, suggestedTemplate, type TemplateRecord } from './templates.ts';
import { nextGoal } from '../success-plan/goals.ts';
import { buildView, firstNameOf, senderFor, type Recipient, type ViewAccount } from './view.ts';

export interface DraftRequest {
  accountId: string;
  triggerId?: string | null;
  riskItemId?: number | null;
  templateId?: string | null;
  channel?: OutreachChannel | null;
  /** The CSM's locale, for the dates in the guard's explanations. */
  uiLocale?: string | null;
}

export interface RiskItemRow {
  item_id: number;
  account_id: string;
  trigger_id: string;
  status: string;
  priority: number;
  is_control: 0 | 1;
  first_fired_on: string;
  facts_json: string;
}

const statements = perConnection(build);

function build(db: Db) {
  const columns = 'item_id, account_id, trigger_id, status, priority, is_control, first_fired_on, facts_json';
  return {
    byId: db.prepare<[number], RiskItemRow>(`SELECT ${columns} FROM risk_items WHERE item_id = ?`),
    live: db.prepare<[string, string], RiskItemRow>(
      `SELECT ${columns} FROM risk_items WHERE account_id = ? AND trigger_id = ? AND status IN ('open', 'in_progress')`,
    ),
    // The most urgent open item that is not snoozed: what a CSM would act on first.
    top: db.prepare<[string, string], RiskItemRow>(
      `SELECT ${columns} FROM risk_items
       WHERE account_id = ? AND status IN ('open', 'in_progress') AND (snoozed_until IS NULL OR snoozed_until <= ?)
       ORDER BY priority, last_fired_on DESC, item_id LIMIT 1`,
    ),
  };
}

export function toTemplateRef(template: TemplateRecord): TemplateRef {
  return {
    id: template.id,
    name: template.name,
    version: template.version,
    builtIn: template.builtIn,
    channel: template.channel,
    triggerId: template.triggerId,
  };
}

/**
 * The champion if active and reachable, else the first active contact with an address, else
 * anyone. "Reachable" is an email address, or for SMS a phone number: an SMS never goes to an email.
 */
export function chooseRecipient(
  contacts: ReturnType<ReturnType<typeof contactsRepo>['forAccount']>,
  channel: OutreachChannel = 'email',
): Recipient | null {
  const sms = channel === 'sms';
  const reachable = (c: (typeof contacts)[number]) => (sms ? !!c.phone : !!c.email);
  const pick =
    contacts.find((c) => c.is_champion && c.active && reachable(c)) ??
    contacts.find((c) => c.active && reachable(c)) ??
    contacts.find(reachable) ??
    (sms ? undefined : contacts[0]);
  if (!pick) return null;
  return {
    contactId: pick.contact_id,
    name: pick.name ?? null,
    email: sms ? null : (pick.email ?? null),
    phone: sms ? (pick.phone ?? null) : null,
    role: pick.role ?? null,
    isChampion: pick.is_champion,
  };
}

export function buildDraft(db: Db, request: DraftRequest, now: Date): OutreachDraft {
  const asOf = todayIso(now);
  const account = accountsRepo(db).get(request.accountId);
  if (!account)
    throw new UserFacingError('ACCOUNT_NOT_FOUND', `There is no account with the id "${request.accountId}".`);
  const settings = loadOutreachSettings(db);
  const sql = statements(db);

  // Which risk item and trigger the draft is about.
  let item: RiskItemRow | undefined;
  if (request.riskItemId != null) {
    item = sql.byId.get(request.riskItemId);
    if (!item || item.account_id !== account.account_id) {
      throw new UserFacingError(
        'RISK_ITEM_NOT_FOUND',
        `There is no risk item ${request.riskItemId} on ${account.name}.`,
      );
    }
  }
  let triggerId: TriggerId | null = null;
  if (request.triggerId) {
    if (!isTriggerId(request.triggerId))
      throw new UserFacingError('UNKNOWN_TRIGGER', `There is no trigger called "${request.triggerId}".`);
    triggerId = request.triggerId;
    if (item && item.trigger_id !== triggerId) item = undefined;
    item ??= sql.live.get(account.account_id, triggerId);
  } else {
    item ??= sql.top.get(account.account_id, asOf);
    if (item && isTriggerId(item.trigger_id)) triggerId = item.trigger_id;
  }

  // Which template and channel.
  let template: TemplateRecord | undefined;
  if (request.templateId) {
    template = getTemplate(db, request.templateId);
    if (!template || template.archived)
      throw new UserFacingError('TEMPLATE_NOT_FOUND', `There is no template with the id "${request.templateId}".`);
    if (request.channel && template.channel !== request.channel) {
      throw new UserFacingError(
        'TEMPLATE_CHANNEL',
        `The template "${template.name}" is for ${template.channel}, not ${request.channel}.`,
      );
    }
    triggerId ??= template.triggerId;
  }
  const channel: OutreachChannel = template?.channel ?? request.channel ?? 'email';
  template ??= triggerId ? suggestedTemplate(db, triggerId, channel) : undefined;
  if (!triggerId && !template) {
    throw new UserFacingError(
      'NO_TRIGGER',
      `${account.name} has no open risk item to write about; choose a trigger for the draft.`,
    );
  }
  const choices = listTemplates(db, { triggerId, channel }).filter(
    (t) => !triggerId || t.triggerId === triggerId || t.triggerId === null,
  );
  const ordered = template ? [template, ...choices.filter((t) => t.id !== template!.id)] : choices;

  const contacts = contactsRepo(db).forAccount(account.account_id);
  const recipient = chooseRecipient(contacts, channel);
  if (channel === 'sms' && !recipient)
    throw new UserFacingError(
      'NO_PHONE',
      `No contact at ${account.name} has a phone number on record, so an SMS cannot be drafted; add a phone to a contact (the phone column of a contacts import) or choose another channel.`,
    );
  const sender = senderFor(account.owner_email, settings.senders, settings.links);
  const locale = textLocale(TEMPLATE_LANGUAGE, account.locale);
  const label = triggerId ? DEFAULT_TRIGGERS[triggerId].label : null;

  const heldOut = triggerId
    ? item
      ? item.is_control === 1
      : isAccountHeldOut(db, account.account_id, triggerId, asOf)
    : false;
  const guard = evaluateGuard({
    accountName: account.name,
    channel,
    accountTimeZone: account.timezone ?? null,
    now,
    heldOut,
    triggerLabel: label,
    touches: recentTouches(db, account.account_id, now, settings.fatigue.windowDays),
    fatigue: settings.fatigue,
    activeHours: settings.activeHours,
    locale: request.uiLocale ?? 'en-US',
  });

  const to: DraftRecipient | null = recipient
    ? {
        contactId: recipient.contactId,
        name: recipient.name,
        firstName: firstNameOf(recipient.name),
        email: recipient.email,
        phone: recipient.phone ?? null,
        role: recipient.role,
        isChampion: recipient.isChampion,
      }
    : null;
  const base: OutreachDraft = {
    accountId: account.account_id,
    accountName: account.name,
    trigger: triggerId && label ? { id: triggerId, label } : null,
    riskItemId: item?.item_id ?? null,
    channel,
    template: template ? toTemplateRef(template) : null,
    templates: ordered.map(toTemplateRef),
    to,
    from: { name: sender.name, email: sender.email },
    subject: null,
    body: null,
    warnings: [],
    guard,
    blocked: guard.status === 'blocked' ? guard.reason : null,
    locale,
  };
  if (guard.status === 'blocked' || !template) return base;

  const view = accountView(db, account, recipient, sender, triggerId, item, contacts, asOf).view;
  const subject = hasSubject(channel) ? renderText(template.subject ?? '', view) : null;
  const body = renderText(template.body, view);
  const warnings = lintMessage({ channel, subject, body, senderName: sender.known ? sender.name : null });
  return { ...base, subject, body, warnings };
}

type AccountRow = NonNullable<ReturnType<ReturnType<typeof accountsRepo>['get']>>;

/** The values a template renders with for one account (and optionally one trigger's evidence). */
export function accountView(
  db: Db,
  account: AccountRow,
  recipient: Recipient | null,
  sender: ReturnType<typeof senderFor>,
  triggerId: TriggerId | null,
  item: RiskItemRow | undefined,
  contacts: ReturnType<ReturnType<typeof contactsRepo>['forAccount']>,
  asOf: string,
) {
  const settings = loadOutreachSettings(db);
  const contactNames = new Map(contacts.map((c) => [c.contact_id, firstNameOf(c.name)]));
  const viewAccount: ViewAccount = {
    account_id: account.account_id,
    name: account.name,
    plan: account.plan ?? null,
    arr: account.arr,
    currency: account.currency ?? 'USD',
    seats_purchased: account.seats_purchased ?? null,
    usage_limit: account.usage_limit ?? null,
    renewal_date: account.renewal_date ?? null,
    created_at: account.created_at ?? null,
    locale: account.locale ?? null,
    owner_email: account.owner_email ?? null,
  };
  const evidence = triggerId
    ? customerEvidence(
        triggerId,
        item?.facts_json,
        {
          locale: textLocale(TEMPLATE_LANGUAGE, viewAccount.locale),
          seatsPurchased: viewAccount.seats_purchased,
          renewalDate: viewAccount.renewal_date,
          createdAt: viewAccount.created_at,
          contactNames,
        },
        effectiveTriggers(configRepo(db).active().config)[triggerId].params,
      )
    : NO_EVIDENCE;
  return {
    view: buildView({
      account: viewAccount,
      recipient,
      sender,
      evidence,
      links: settings.links,
      asOf,
      nextGoal: nextGoal(db, account.account_id, asOf),
    }),
    viewAccount,
  };
}

/** The view for previewing a template against a real account (the template editor). */
export function previewViewFor(db: Db, accountId: string, triggerId: TriggerId | null, now: Date) {
  const account = accountsRepo(db).get(accountId);
  if (!account) throw new UserFacingError('ACCOUNT_NOT_FOUND', `There is no account with the id "${accountId}".`);
  const settings = loadOutreachSettings(db);
  const contacts = contactsRepo(db).forAccount(account.account_id);
  const recipient = chooseRecipient(contacts);
  const sender = senderFor(account.owner_email, settings.senders, settings.links);
  const item = triggerId ? statements(db).live.get(account.account_id, triggerId) : undefined;
  const { view } = accountView(db, account, recipient, sender, triggerId, item, contacts, todayIso(now));
  return { view, accountName: account.name, senderName: sender.known ? sender.name : null };
}
