import { useActiveJobs } from '../api/jobs.ts';
import { jobBar, jobProgressText } from '../api/job-progress.ts';
import { formatNumber } from '../format.ts';
import { ProgressBar } from '../ui/ProgressBar.tsx';
import './JobsIndicator.css';

/** Background work in progress, visible from every screen. Renders nothing when idle. */
export function JobsIndicator() {
  const jobs = useActiveJobs();
  if (jobs.length === 0) return null;
  return (
    <section className="jobs-indicator" aria-label="Background activity">
      {jobs.map((job) => {
        const counts = jobProgressText(job, 'items');
        const rate = job.ratePerSecond ? ` · ${formatNumber(job.ratePerSecond, { compact: true })}/s` : '';
        return (
          <ProgressBar
            key={job.jobId}
            label={job.done ? `${job.label} — done` : job.label}
            {...jobBar(job)}
            detail={`${counts}${job.done ? '' : rate}`}
          />
        );
      })}
    </section>
  );
}
