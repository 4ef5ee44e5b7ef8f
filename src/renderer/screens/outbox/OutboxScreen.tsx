/**
 * The outbox: every email sent through the user's SMTP server, newest first, with its status,
 * attempts, last error and times, so a failure on a background attempt is never silent. A failed
 * message or one whose delivery is unknown can be retried (it keeps its Message-ID); a queued one
 * can be cancelled.
 */
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { MAIL_LIST_LIMIT, MAIL_STATUS_WORDS, type MailRow, type MailStatus } from '../../../shared/dto/mail.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { errorMessage } from '../../api/client.ts';
import { formatDateTime } from '../../format.ts';
import { Link } from '../../router/Link.tsx';
import { Button } from '../../ui/Button.tsx';
import { Chip, type ChipTone } from '../../ui/Chip.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { DataTable } from '../../ui/DataTable.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { toast } from '../../ui/Toast.tsx';
import './outbox.css';

const TONE: Record<MailStatus, ChipTone> = {
  queued: 'accent',
  sending: 'accent',
  sent: 'green',
  failed: 'red',
  unknown: 'yellow',
  cancelled: 'neutral',
};

const label = (status: MailStatus) => MAIL_STATUS_WORDS[status][0]!.toUpperCase() + MAIL_STATUS_WORDS[status].slice(1);

const column = createColumnHelper<MailRow>();

export function OutboxScreen() {
  const list = useApiQuery('mail.list', {}, { reloadOn: ['mail', 'interventions'] });
  const retry = useApiMutation('mail.retry');
  const cancel = useApiMutation('mail.cancel');
  // A message whose delivery is unknown may already be in the customer's inbox: one click must not
  // send it again, so its Retry asks first (a failed one was refused by the server and just retries).
  const [unsure, setUnsure] = useState<MailRow | null>(null);

  const act = async (mail: MailRow, action: 'retry' | 'cancel') => {
    try {
      if (action === 'cancel') {
        await cancel.run({ mailId: mail.mail_id });
        toast({ title: 'Email cancelled', description: `“${mail.subject}” will not be sent.` });
        return;
      }
      const { mail: after, flushed } = await retry.run({ mailId: mail.mail_id });
      toast(
        after.status === 'sent'
          ? { tone: 'success', title: 'Email sent', description: `“${after.subject}”: logged as a touch.` }
          : after.status === 'queued'
            ? { title: 'Email queued again', description: flushed.problem ?? 'It will be sent on the next attempt.' }
            : {
                tone: 'error',
                title: `Email ${MAIL_STATUS_WORDS[after.status]}`,
                description: after.last_error ?? undefined,
              },
      );
    } catch (error) {
      toast({ tone: 'error', title: 'Nothing was changed', description: errorMessage(error) });
    }
  };

  const columns = useMemo(
    () => [
      column.accessor('status', {
        header: 'Status',
        cell: ({ row }) => (
          <Chip tone={TONE[row.original.status]} dot>
            {label(row.original.status)}
          </Chip>
        ),
        meta: { width: '170px' },
      }),
      column.accessor('subject', {
        header: 'Email',
        cell: ({ row }) => (
          <div className="outbox__stack">
            <span>{row.original.subject}</span>
            <span className="outbox__sub">
              To {row.original.to.map((a) => a.name ?? a.email).join(', ')}
              {row.original.cc.length > 0 ? `, CC ${row.original.cc.map((a) => a.name ?? a.email).join(', ')}` : ''}
            </span>
          </div>
        ),
        meta: { width: '24%', cellClassName: 'outbox__wrap' },
      }),
      column.accessor((r) => r.account_name ?? r.account_id, {
        id: 'account',
        header: 'Account',
        cell: ({ row }) => (
          <Link to={`/accounts/${encodeURIComponent(row.original.account_id)}`}>
            {row.original.account_name ?? row.original.account_id}
          </Link>
        ),
        meta: { width: '14%' },
      }),
      column.accessor('queued_at', {
        header: 'Times',
        cell: ({ row }) => <Times mail={row.original} />,
        meta: { width: '18%' },
      }),
      column.accessor('attempts', { header: 'Attempts', meta: { width: '90px', align: 'right' } }),
      column.accessor('last_error', {
        header: 'Last error',
        cell: ({ row }) =>
          row.original.last_error && row.original.status !== 'sent' ? (
            <span className="outbox__error">{row.original.last_error}</span>
          ) : (
            '—'
          ),
        meta: { cellClassName: 'outbox__wrap' },
        enableSorting: false,
      }),
      column.display({
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        cell: ({ row }) => {
          const mail = row.original;
          if (mail.status === 'failed' || mail.status === 'unknown')
            return (
              <Button
                size="sm"
                onClick={() => (mail.status === 'unknown' ? setUnsure(mail) : void act(mail, 'retry'))}
                aria-label={`Retry “${mail.subject}”`}
              >
                Retry
              </Button>
            );
          if (mail.status === 'queued')
            return (
              <Button size="sm" onClick={() => void act(mail, 'cancel')} aria-label={`Cancel “${mail.subject}”`}>
                Cancel
              </Button>
            );
          return null;
        },
        meta: { width: '100px' },
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- act only calls the stable mutations
    [],
  );

  return (
    <div className="outbox">
      <PageHeader
        title="Outbox"
        description="Email sent through your SMTP server. A message whose delivery is unknown was received by the server but never confirmed: check the customer's inbox or your Sent folder before you retry it."
      />
      {list.error || !list.data ? (
        <QueryFallback query={list} what="the outbox" />
      ) : list.data.length === 0 ? (
        <EmptyState title="No email yet">
          <p>Email you send from the composer&apos;s “Send email…” or a playbook step appears here.</p>
        </EmptyState>
      ) : (
        <DataTable
          label="Outbox"
          data={list.data}
          columns={columns}
          getRowId={(row) => row.mail_id}
          virtualizeOver={MAIL_LIST_LIMIT}
        />
      )}
      <ConfirmDialog
        open={unsure !== null}
        onOpenChange={(open) => {
          if (!open) setUnsure(null);
        }}
        title={`Send “${unsure?.subject ?? ''}” again?`}
        description={
          <>
            Your SMTP server received this email
            {unsure?.last_attempt_at ? ` on ${formatDateTime(unsure.last_attempt_at)}` : ''} but never confirmed it, so
            it may already be in the customer&apos;s inbox. Check their inbox or your Sent folder first. It goes with
            the same Message-ID, so most mail servers drop a copy they already have.
          </>
        }
        confirmLabel="Send again"
        onConfirm={async () => {
          if (unsure) await act(unsure, 'retry');
        }}
      />
    </div>
  );
}

function Times({ mail }: { mail: MailRow }) {
  return (
    <div className="outbox__stack">
      <span>Queued {formatDateTime(mail.queued_at)}</span>
      {mail.not_before && mail.status === 'queued' && (
        <span className="outbox__sub">Not before {formatDateTime(mail.not_before)}</span>
      )}
      {mail.last_attempt_at && mail.status !== 'sent' && (
        <span className="outbox__sub">Last tried {formatDateTime(mail.last_attempt_at)}</span>
      )}
      {mail.sent_at && <span className="outbox__sub">Sent {formatDateTime(mail.sent_at)}</span>}
    </div>
  );
}
