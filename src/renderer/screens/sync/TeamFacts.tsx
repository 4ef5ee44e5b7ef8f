import { TEAM_LOG_NOUNS, type SourceTeam, type TeamLogKind, type TeamUser } from '../../../shared/dto/sync.ts';
import { formatNumber } from '../../format.ts';

const ROLE: Record<TeamUser['role'], string> = { csm: 'CSM', lead: 'team lead', admin: 'admin' };

function counted(counts: Record<TeamLogKind, number>): string {
  return TEAM_LOG_NOUNS.map(
    ([kind, one, many]) => `${formatNumber(counts[kind])} ${counts[kind] === 1 ? one : many}`,
  ).join(', ');
}

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
          Last sync received {counted(team.last.pulled)} from colleagues and sent {counted(team.last.pushed)}.
        </span>
      )}
    </>
  );
}
