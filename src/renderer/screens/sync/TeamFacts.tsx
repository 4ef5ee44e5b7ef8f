import { pushedInterventionsText, teamCountsText, type SourceTeam, type TeamUser } from '../../../shared/dto/sync.ts';
import { formatNumber } from '../../format.ts';

const ROLE: Record<TeamUser['role'], string> = { csm: 'CSM', lead: 'team lead', admin: 'admin' };

const count = (n: number) => formatNumber(n);

/**
 * What a team hub said about itself (docs/sync.md, "A team hub"): who the token signs in as, and
 * what the last sync brought from colleagues and sent to them. A plain feed shows only whether it
 * takes activities.
 */
export function TeamFacts({ team }: { team: SourceTeam | null }) {
  if (!team) return null;
  if (team.protocol === null)
    return team.takesActivities === false ? (
      <span className="sync__muted">This feed does not take activities; they stay on this computer.</span>
    ) : null;
  return (
    <>
      <span>
        Team hub
        {team.user ? (
          <>
            {' '}
            · signed in as <strong>{team.user.email}</strong> ({ROLE[team.user.role]})
          </>
        ) : null}
      </span>
      {team.last && (
        <span className="sync__muted">
          Last sync received {teamCountsText(team.last.pulled, count)} from colleagues and sent{' '}
          {teamCountsText(team.last.pushed, count, pushedInterventionsText(team.last, count))}.
        </span>
      )}
    </>
  );
}
