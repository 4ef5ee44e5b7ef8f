/** The account page's logged activities, newest first, with the button that logs one. */
import { useState } from 'react';
import { ACTIVITY_LABELS } from '../../shared/dto/activities.ts';
import { useApiQuery } from '../api/hooks.ts';
import { formatDate } from '../format.ts';
import { Button } from '../ui/Button.tsx';
import { Chip } from '../ui/Chip.tsx';
import { LogActivityDialog } from './LogActivityDialog.tsx';
import './activities.css';

export function ActivitiesPanel({
  accountId,
  accountName,
  today,
}: {
  accountId: string;
  accountName: string;
  today: string;
}) {
  const [open, setOpen] = useState(false);
  const list = useApiQuery('activities.list', { accountId }, { reloadOn: ['events'] });
  const rows = list.data ?? [];
  return (
    <section className="account__panel" aria-labelledby="account-activities">
      <div className="activity-panel__head">
        <h2 id="account-activities" className="account__heading">
          Activities
        </h2>
        <Button size="sm" variant="primary" onClick={() => setOpen(true)}>
          Log activity
        </Button>
      </div>
      {list.error ? (
        <p role="alert" className="activity-form__error">
          Could not load the activities: {list.error.message}
        </p>
      ) : rows.length === 0 ? (
        <p className="account__muted">
          No calls, meetings, emails or notes logged yet{list.loading ? '' : '; log one after you talk to them'}.
        </p>
      ) : (
        <ul className="activity-list">
          {rows.slice(0, 20).map((a) => (
            <li key={a.activity_id}>
              <time dateTime={a.occurred_at}>{formatDate(a.occurred_at.slice(0, 10))}</time>{' '}
              <Chip tone={a.is_touch ? 'accent' : 'neutral'}>{ACTIVITY_LABELS[a.type]}</Chip>{' '}
              {a.contact_name ? <strong>{a.contact_name}: </strong> : null}
              {a.summary}
              {a.outcome && <span className="account__muted"> — outcome: {a.outcome}</span>}
            </li>
          ))}
        </ul>
      )}
      <LogActivityDialog
        open={open}
        onOpenChange={setOpen}
        accountId={accountId}
        accountName={accountName}
        today={today}
      />
    </section>
  );
}
