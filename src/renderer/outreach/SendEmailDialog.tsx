/**
 * Sends the composer's email through the user's own SMTP server: To and CC are chosen among the
 * account's contacts (the draft's recipient ticked in To). When the server cannot be reached the
 * message is queued and goes out on the next attempt; the dialog says which happened.
 */
import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../api/hooks.ts';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { toast } from '../ui/Toast.tsx';
import { errorMessage } from '../api/client.ts';
import { formatZonedTime } from '../format.ts';
import { settingsPlace } from '../screens/settings/sections.ts';

export interface SendEmailRequest {
  accountId: string;
  accountName: string;
  triggerId: string | null;
  riskItemId: number | null;
  templateId: string | null;
  templateVersion: number | null;
  /** The draft's recipient, ticked in To. */
  defaultContactId: string | null;
  subject: string;
  body: string;
  /** Outside the customer's working hours: when they next begin, and the customer's time zone. */
  sendAt: { at: string; timeZone: string } | null;
}

type Role = 'to' | 'cc' | '';

export function SendEmailDialog({
  open,
  onOpenChange,
  request,
  onSent,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  request: SendEmailRequest;
  onSent: () => void;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Send email to ${request.accountName}`}
      description={`Through your own SMTP server (${settingsPlace('email')}). Sent mail is logged as a touch; when the server cannot be reached it is queued and sent later.`}
      width="md"
    >
      {open && <SendForm request={request} onCancel={() => onOpenChange(false)} onSent={onSent} />}
    </Dialog>
  );
}

function SendForm({
  request,
  onCancel,
  onSent,
}: {
  request: SendEmailRequest;
  onCancel: () => void;
  onSent: () => void;
}) {
  const account = useApiQuery('risk.account', { accountId: request.accountId });
  const smtp = useApiQuery('mail.settings.get', {}, { reloadOn: false });
  const send = useApiMutation('mail.send');
  const [roles, setRoles] = useState<Record<string, Role>>(() =>
    request.defaultContactId ? { [request.defaultContactId]: 'to' } : {},
  );
  const [error, setError] = useState<string | null>(null);
  const contacts = (account.data?.contacts ?? []).filter((c) => c.email && c.active);
  const pick = (role: Role) =>
    Object.entries(roles)
      .filter(([, r]) => r === role)
      .map(([id]) => id);

  const submit = async (notBefore: string | null) => {
    if (pick('to').length === 0) return setError('Choose at least one recipient in To.');
    setError(null);
    try {
      const { mail, flushed } = await send.run({
        accountId: request.accountId,
        triggerId: request.triggerId,
        riskItemId: request.riskItemId,
        templateId: request.templateId,
        templateVersion: request.templateVersion,
        to: pick('to'),
        cc: pick('cc'),
        subject: request.subject,
        body: request.body,
        notBefore,
      });
      toast(
        notBefore && mail.status === 'queued'
          ? { tone: 'success', title: 'Email scheduled', description: `It goes at ${sendAtWords}; see the Outbox.` }
          : mail.status === 'sent'
            ? { tone: 'success', title: 'Email sent', description: `${request.accountName}: logged as a touch.` }
            : mail.status === 'failed'
              ? { tone: 'error', title: 'The server refused the email', description: mail.last_error ?? undefined }
              : mail.status === 'unknown'
                ? { tone: 'error', title: 'Delivery not confirmed', description: mail.last_error ?? undefined }
                : { title: 'Email queued', description: flushed.problem ?? 'It will be sent on the next attempt.' },
      );
      onSent();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  const sendAt = request.sendAt;
  const sendAtWords = sendAt
    ? `${formatZonedTime(sendAt.at, sendAt.timeZone)} their time (${formatZonedTime(sendAt.at)} yours)`
    : '';

  return (
    <form
      className="send-email__form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit(null);
      }}
    >
      {smtp.data && !smtp.data.settings && (
        <p role="status" className="oc-recipient__missing">
          No SMTP server is set up yet: the email will be queued until you add one in {settingsPlace('email')}.
        </p>
      )}
      <table className="send-email__contacts" aria-label="Recipients">
        <thead>
          <tr>
            <th scope="col">Contact</th>
            <th scope="col">To</th>
            <th scope="col">CC</th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((c) => (
            <tr key={c.contactId}>
              <th scope="row">
                {c.name ?? c.contactId}
                <div className="send-email__muted">{c.email}</div>
              </th>
              {(['to', 'cc'] as const).map((role) => (
                <td key={role}>
                  <input
                    type="checkbox"
                    aria-label={`${role === 'to' ? 'To' : 'CC'}: ${c.name ?? c.contactId}`}
                    checked={roles[c.contactId] === role}
                    onChange={(event) => setRoles((r) => ({ ...r, [c.contactId]: event.target.checked ? role : '' }))}
                  />
                </td>
              ))}
            </tr>
          ))}
          {account.data && contacts.length === 0 && (
            <tr>
              <td colSpan={3}>No active contact of this account has an email address.</td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="send-email__muted">Subject: {request.subject}</p>
      {error && (
        <p role="alert" className="send-email__error">
          {error}
        </p>
      )}
      <div className="dialog__footer">
        <Button onClick={onCancel}>Cancel</Button>
        {sendAt && (
          <Button variant="primary" loading={send.running} onClick={() => void submit(sendAt.at)}>
            Send at {sendAtWords}
          </Button>
        )}
        {/* Outside working hours sending at their next working time is suggested; now stays possible. */}
        <Button type="submit" variant={sendAt ? 'secondary' : 'primary'} loading={send.running}>
          Send now
        </Button>
      </div>
    </form>
  );
}
