import { useApiMutation } from '../api/hooks.ts';
import { useActiveJobs } from '../api/jobs.ts';
import { jobBar, jobProgressText } from '../api/job-progress.ts';
import { formatNumber } from '../format.ts';
import { Link } from '../router/Link.tsx';
import { Button } from '../ui/Button.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { ProgressBar } from '../ui/ProgressBar.tsx';
import { toast } from '../ui/Toast.tsx';
import './EmptyBook.css';

/** Shown instead of a data screen while the database has no accounts. */
export function EmptyBook({ title, onLoaded }: { title: string; onLoaded: () => void }) {
  const demo = useApiMutation('demo.load');
  const jobs = useActiveJobs();

  const load = async () => {
    try {
      const status = await demo.run({});
      onLoaded();
      toast({
        title: 'Demo data loaded',
        description: `${formatNumber(status.counts.accounts)} sample accounts are ready to explore.`,
        tone: 'success',
      });
    } catch {
      // demo.error is shown below; nothing else to do.
    }
  };

  return (
    <>
      <PageHeader title={title} />
      <EmptyState
        title="Your book is empty"
        action={
          <Button variant="primary" loading={demo.running} onClick={() => void load()}>
            Load demo data
          </Button>
        }
      >
        <p>
          There are no accounts in this database yet. Load a demo book of 400 generated accounts to look around, or
          import your own files or connect a feed on the <Link to="/sync">Sync</Link> screen.
        </p>
      </EmptyState>
      {demo.running && jobs.length > 0 && (
        <div className="empty-book__progress">
          {jobs.map((job) => (
            <ProgressBar key={job.jobId} label={job.label} {...jobBar(job)} detail={jobProgressText(job, 'records')} />
          ))}
        </div>
      )}
      {demo.error && (
        <p role="alert" className="empty-book__error">
          Could not load demo data: {demo.error.message}
        </p>
      )}
    </>
  );
}
