import type { SourceTeam, TeamLogKind, TeamUser } from '../../../shared/dto/sync.ts';
import { formatNumber } from '../../format.ts';

const ROLE: Record<TeamUser['role'], string> = { csm: 'CSM', lead: 'team lead', admin: 'admin' };

const KIND: Record<TeamLogKind, [one: string, many: string]> = {
  item_actions: ['item action', 'item actions'],
  interventions: ['intervention', 'interventions'],
  activities: ['activity', 'activities'],
};
const ORDER: TeamLogKind[] = ['item_actions', 'interventions', 'activities'];

function counted(counts: Record<TeamLogKind, number>): string {
  return ORDER.map((kind) => `${formatNumber(counts[kind])} ${KIND[kind][counts[kind] === 1 ? 0 : 1]}`).join(', ');
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
