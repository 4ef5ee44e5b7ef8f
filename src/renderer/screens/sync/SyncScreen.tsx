/**
 * The Sync screen: how fresh the data is, the feed sources with "Sync now", file import (drag and
 * drop or a picker), live progress, the history of runs, and the quarantine of rejected rows.
 */
import { useState } from 'react';
import { rankingFailedText, rankingText, stoppedText, type SyncOverview } from '../../../shared/dto/sync.ts';
import { api, errorMessage } from '../../api/client.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { useActiveJobs } from '../../api/jobs.ts';
import { jobBar, jobProgressText } from '../../api/job-progress.ts';
import { formatAge, formatCount, formatDate, formatDateTime, formatNumber } from '../../format.ts';
import { Button } from '../../ui/Button.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { ProgressBar } from '../../ui/ProgressBar.tsx';
import { Stat } from '../../ui/Stat.tsx';
import { toast } from '../../ui/Toast.tsx';
import { describeDataAge } from './age.ts';
import { AliasesPanel } from './AliasesPanel.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { QuarantinePanel } from './QuarantinePanel.tsx';
import { SourcesPanel } from './SourcesPanel.tsx';
import { SOURCE_STATUS, sourcesHint } from './source-status.ts';
import './SyncScreen.css';

const SYNC_JOB = /^(Importing|Syncing|Re-checking|Uploading)/;

export function SyncScreen() {
  const overview = useApiQuery('sync.overview', {}, { keepPreviousData: true });
  const [syncing, setSyncing] = useState(false);
  const data = overview.data;

  const syncNow = async (source?: string) => {
    setSyncing(true);
    try {
      const result = await api.call('sync.run', source ? { source } : {});
      const failed = result.sources.filter((s) => s.status !== 'ok');
      const accepted = Object.values(result.accepted).reduce((a, b) => a + b, 0);
      if (failed.length > 0) {
        toast({
          title: `${failed.map((s) => s.name).join(', ')}: ${failed[0]!.status === 'offline' ? 'offline' : 'sync failed'}`,
          description: `${failed[0]!.message ?? ''}. ${failed[0]!.pages === 0 && accepted + result.rejected > 0 ? whatWasKept(accepted, result.rejected) : stoppedText(failed[0]!)}`,
          tone: 'error',
        });
      } else {
        const said = [
          result.rankingFailed
            ? rankingFailedText('Synced', result.rankingFailed, 'Today scores the book again when you open it')
            : null,
          result.ranking
            ? rankingText(
                result.ranking,
                (n) => formatNumber(n),
                (day) => formatDate(day),
              )
            : null,
          result.older > 0 ? `${formatCount(result.older, 'record')} older than what you have, kept.` : null,
          result.rejected > 0 ? `${formatCount(result.rejected, 'row')} rejected; see the quarantine.` : null,
        ].filter((part): part is string => part !== null);
        toast({
          title: accepted > 0 ? `Synced: ${formatCount(accepted, 'row')} new or changed` : 'Synced: nothing new',
          description: said.length > 0 ? said.join(' ') : undefined,
          tone: 'success',
        });
      }
    } catch (error) {
      toast({ title: 'Sync did not run', description: errorMessage(error), tone: 'error' });
    } finally {
      setSyncing(false);
    }
  };

  return (
    <div className="sync">
      <PageHeader
        title="Sync"
        description="Bring accounts, contacts, usage and events into Foresight from exported files or your company's data feed."
        actions={
          <Button
            variant="primary"
            loading={syncing}
            disabled={!data || data.sources.length === 0}
            onClick={() => void syncNow()}
          >
            Sync now
          </Button>
        }
      />
      {overview.error && !data && <QueryFallback query={overview} what="the sync status" size="inline" />}
      <Freshness overview={data} />
      <ActiveJobs />
      <div className="sync__grid">
        <ImportPanel overview={data} />
        <SourcesPanel overview={data} syncing={syncing} onSync={(name) => void syncNow(name)} />
      </div>
      <QuarantinePanel count={data?.quarantined ?? 0} canSave={data?.canChooseFiles ?? false} />
      <AliasesPanel />
      <HistoryPanel />
    </div>
  );
}

function Freshness({ overview }: { overview: SyncOverview | undefined }) {
  const now = new Date();
  const last = overview?.lastSyncAt ?? null;
  const sources = overview?.sources ?? [];
  // A source not synced, unreachable or failing: the data cannot be called up to date.
  const notOk = sources.filter((s) => s.status !== 'ok');
  return (
    <section className="sync__freshness" aria-label="Data freshness">
      <p className="sync__freshness-line" role="status">
        {last ? (
          <>
            Last successful sync <time dateTime={last}>{formatDateTime(last)}</time>:{' '}
            <strong>{describeDataAge(last, now, notOk.length === 0)}</strong>.
          </>
        ) : (
          <>No data has been synced or imported yet.</>
        )}
        {notOk.length > 0 && (
          <>
            {' '}
            {notOk.map((s) => `${s.name} ${SOURCE_STATUS[s.status].phrase}`).join('; ')}
            {notOk.some((s) => s.status !== 'never') ? ': every screen keeps working on the last good data.' : '.'}
          </>
        )}
      </p>
      <div className="sync__stats">
        <Stat
          label="Last successful sync"
          value={last ? formatAge(last, { now }).replace(/ old$/, '') : 'Never'}
          hint={last ? formatDateTime(last) : 'Import a file or add a source'}
        />
        <Stat label="Feed sources" value={formatNumber(sources.length)} hint={sourcesHint(sources)} />
        <Stat
          label="Quarantined rows"
          value={formatNumber(overview?.quarantined ?? 0)}
          hint={(overview?.quarantined ?? 0) > 0 ? 'Rejected, waiting for a fix' : 'Nothing rejected'}
        />
      </div>
    </section>
  );
}

function ActiveJobs() {
  const jobs = useActiveJobs().filter((job) => SYNC_JOB.test(job.title));
  if (jobs.length === 0) return null;
  return (
    <section className="sync__jobs" aria-label="Running imports and syncs" aria-live="polite">
      {jobs.map((job) => (
        <ProgressBar
          key={job.jobId}
          label={job.done ? `${job.label}: done` : job.label}
          {...jobBar(job)}
          detail={[
            jobProgressText(job, 'rows'),
            job.ratePerSecond ? `${formatNumber(job.ratePerSecond)} ${job.unit ?? 'rows'}/s` : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        />
      ))}
    </section>
  );
}

/** What a failed sync still did: the rows it kept and the rows it set aside, or that nothing changed. */
function whatWasKept(accepted: number, rejected: number): string {
  const parts = [
    accepted > 0 ? `${formatCount(accepted, 'row')} new or changed were kept` : null,
    rejected > 0 ? `${formatCount(rejected, 'row')} went to the quarantine` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? `${parts.join('; ')}.` : 'Your data is unchanged.';
}
