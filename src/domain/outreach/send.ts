/**
 * What happens when the CSM acts on a draft: "Mark as sent" and "Schedule" record an intervention
 * through the interventions log (which refuses control-group accounts), "Save .eml" builds the
 * message file. The fatigue cap is enforced here as well as in the composer, so a script calling
 * the API directly cannot get round it.
 */
import type { Db } from '../db/open.ts';
import { recordSentTouch } from '../activities/sent-touch.ts';
import { accountsRepo } from '../db/repos/accounts.ts';
import { UserFacingError } from '../errors.ts';
import { isAccountHeldOut, logIntervention } from '../interventions/log.ts';
import { isTriggerId } from '../risk/catalog.ts';
import type { LoggedTouch } from '../../shared/dto/outreach.ts';
import { CHANNEL_LABELS, type OutreachChannel } from './channels.ts';
import { buildEml, emlFileName } from './eml.ts';
import { fatigueCapReason } from './fatigue.ts';
import { loadOutreachSettings } from './settings.ts';
import { senderFor } from './view.ts';

export interface TouchInput {
  accountId: string;
  triggerId: string;
  riskItemId?: number | null;
  templateId?: string | null;
  templateVersion?: number | null;
  channel: OutreachChannel;
  /** For the intervention's notes: who it went to and what it said. */
  to?: string | null;
  subject?: string | null;
  /** Sent by a playbook rule (a tier-2 step sent when due), not by a person. */
  byRule?: boolean;
}

function account(db: Db, accountId: string) {
  const row = accountsRepo(db).get(accountId);
  if (!row) throw new UserFacingError('ACCOUNT_NOT_FOUND', `There is no account with the id "${accountId}".`);
  return row;
}

function assertNotFatigued(db: Db, accountId: string, accountName: string, at: Date): void {
  const reason = fatigueCapReason(db, { id: accountId, name: accountName }, at);
  if (reason) throw new UserFacingError('FATIGUE', reason);
}

function notes(input: TouchInput): string {
  const parts = [`${CHANNEL_LABELS[input.channel]} ${input.byRule ? 'sent by rule from' : 'drafted in'} Foresight`];
  if (input.to) parts.push(`to ${input.to}`);
  const text = parts.join(' ');
  return input.subject ? `${text}: “${input.subject}”` : text;
}

function checkedTrigger(triggerId: string) {
  if (!isTriggerId(triggerId))
    throw new UserFacingError('UNKNOWN_TRIGGER', `There is no trigger called "${triggerId}".`);
  return triggerId;
}

/**
 * The checks "Mark as sent" makes, run before a message is queued for the SMTP server, so nothing
 * is sent that could not then be logged: a known account and trigger, the fatigue cap, and no
 * control-group account.
 */
export function assertTouchAllowed(
  db: Db,
  input: { accountId: string; triggerId: string | null; channel: OutreachChannel },
  now: Date,
): void {
  const row = account(db, input.accountId);
  assertNotFatigued(db, row.account_id, row.name, now);
  if (input.triggerId === null) return;
  const triggerId = checkedTrigger(input.triggerId);
  if (isAccountHeldOut(db, row.account_id, triggerId, now.toISOString().slice(0, 10)))
    throw new UserFacingError(
      'HOLDOUT',
      `${row.name} is in the control group for this play, so no outreach should be sent to it.`,
    );
}

/** Logs a touch for the account after the fatigue check at `at`; the intervention log refuses holdouts. */
function logTouch(
  db: Db,
  input: TouchInput,
  at: Date,
  now: Date,
  timing: { status: 'sent' } | { status: 'planned'; note: string },
): LoggedTouch {
  const row = account(db, input.accountId);
  const triggerId = checkedTrigger(input.triggerId);
  assertNotFatigued(db, row.account_id, row.name, at);
  const logged = logIntervention(
    db,
    {
      accountId: row.account_id,
      triggerId,
      riskItemId: input.riskItemId ?? null,
      templateId: input.templateId ?? null,
      templateVersion: input.templateVersion ?? null,
      channel: input.channel,
      status: timing.status,
      ...(timing.status === 'sent'
        ? { sentAt: at.toISOString(), notes: notes(input) }
        : { plannedAt: at.toISOString(), notes: `${notes(input)}, ${timing.note}` }),
    },
    now,
  );
  return {
    interventionId: logged.intervention_id,
    riskItemId: logged.risk_item_id,
    status: timing.status,
    sentAt: logged.sent_at,
    plannedAt: logged.planned_at,
  };
}

/**
 * A message the CSM sent is a CSM touch (written where the risk engine reads touches) and puts its
 * risk item in progress: someone is working on it.
 */
export function markSent(db: Db, input: TouchInput, now: Date): LoggedTouch {
  const logged = logTouch(db, input, now, now, { status: 'sent' });
  recordSentTouch(db, { ...input, interventionId: logged.interventionId, riskItemId: logged.riskItemId }, now);
  return logged;
}

export function scheduleTouch(db: Db, input: TouchInput & { plannedAt: string }, now: Date): LoggedTouch {
  const at = new Date(input.plannedAt);
  if (Number.isNaN(at.getTime()))
    throw new UserFacingError(
      'INVALID_DATE',
      `"${input.plannedAt}" is not a time; use ISO 8601, e.g. 2026-03-16T09:00:00+01:00.`,
    );
  if (at.getTime() < now.getTime() - 60_000)
    throw new UserFacingError('INVALID_DATE', 'A scheduled message needs a time in the future.');
  return logTouch(db, input, at, now, { status: 'planned', note: "scheduled for the customer's working hours" });
}

export interface EmlRequest {
  accountId: string;
  to: { name: string | null; email: string } | null;
  subject: string;
  body: string;
  label: string;
}

export function draftEml(db: Db, input: EmlRequest, now: Date): { fileName: string; content: string } {
  const row = account(db, input.accountId);
  const settings = loadOutreachSettings(db);
  const sender = senderFor(row.owner_email, settings.senders, settings.links);
  return {
    fileName: emlFileName(row.name, input.label),
    content: buildEml({
      from: sender.email ? { name: sender.name, email: sender.email } : null,
      to: input.to,
      subject: input.subject,
      body: input.body,
      date: now,
    }),
  };
}
